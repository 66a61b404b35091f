import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

const HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';

/** An API Gateway REST (v1 payload) proxy event, as the deployed SCIM routes receive it (stage `prod`). */
export function scimEvent(opts: {
  method: string;
  tenant: string;
  token: string;
  resource: string;
  id?: string;
  query?: Record<string, string>;
  body?: unknown;
}): APIGatewayProxyEvent {
  const path = `/scim/${opts.tenant}${opts.resource.replace('/{id}', `/${opts.id ?? ''}`)}`;
  const headers: Record<string, string> = {
    Host: HOST,
    Authorization: `Bearer ${opts.token}`,
    'User-Agent': 'Azure Active Directory SCIM Client',
    'Content-Type': 'application/scim+json; charset=utf-8',
    'X-Forwarded-Proto': 'https',
  };
  return {
    httpMethod: opts.method,
    resource: `/scim/{tenant}${opts.resource}`,
    path,
    pathParameters: { tenant: opts.tenant, ...(opts.id ? { id: opts.id } : {}) },
    queryStringParameters: opts.query ?? null,
    multiValueQueryStringParameters: null,
    headers,
    multiValueHeaders: {},
    body: opts.body === undefined ? null : JSON.stringify(opts.body),
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: { path: `/prod${path}`, stage: 'prod', httpMethod: opts.method, requestId: 'bench' } as APIGatewayProxyEvent['requestContext'],
  };
}

export const lambdaContext = { functionName: 'scimlink-bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
