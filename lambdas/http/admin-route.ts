import middy from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { AdminService } from '../admin/admin-service';
import { bearerToken, tokenMatches } from '../auth/tokens';
import { ScimError } from '../scim/errors';
import { AdminDeps, adminDeps } from '../runtime/admin-deps';
import { ScimEvent, requestLog, scimBody } from './middleware';
import { apiBaseUrl, lowerCaseHeaders } from './request';

export interface AdminRequest {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** The API's public base URL (tenant URLs are built from it). */
  apiBaseUrl: string;
}

export interface AdminResult {
  status: number;
  body?: unknown;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/**
 * The admin handlers' middy chain: request log → errors as `{status, message}` → body parsing → admin auth →
 * the operation. Admin auth is checked before anything else runs; a SCIM token never passes it.
 */
export function adminRoute(operation: (req: AdminRequest, admin: AdminService, deps: AdminDeps) => Promise<AdminResult>) {
  const logger = () => adminDeps().logger;
  return middy<ScimEvent, APIGatewayProxyResult>()
    .use(requestLog(logger, 'Admin request'))
    .use({
      onError: async (request) => {
        const e = request.error;
        if (e instanceof ScimError) {
          request.response = { statusCode: e.status, headers: { ...JSON_HEADERS, ...e.headers }, body: JSON.stringify({ status: e.status, message: e.detail }) };
          return;
        }
        logger().error('Unhandled error', { error: e as Error });
        request.response = { statusCode: 500, headers: JSON_HEADERS, body: JSON.stringify({ status: 500, message: 'internal error (logged)' }) };
      },
    })
    .use(scimBody())
    .handler(async (event) => {
      const deps = adminDeps();
      const headers = lowerCaseHeaders(event.headers);
      authorize(deps, event, headers);
      const result = await operation(
        {
          method: event.httpMethod,
          params: defined(event.pathParameters),
          query: defined(event.queryStringParameters),
          body: event.parsedBody,
          apiBaseUrl: apiBaseUrl(event, headers),
        },
        deps.admin,
        deps,
      );
      return {
        statusCode: result.status,
        headers: JSON_HEADERS,
        body: result.body === undefined ? '' : JSON.stringify(result.body),
      };
    });
}

function authorize(deps: AdminDeps, event: ScimEvent, headers: Record<string, string>) {
  if (deps.auth.mode === 'iam') {
    // API Gateway (AWS_IAM) verified the SigV4 signature and the caller's permission before invoking us; a
    // request without an IAM identity did not come through that route.
    const identity = event.requestContext?.identity as { userArn?: string | null; caller?: string | null } | undefined;
    if (!identity?.userArn && !identity?.caller) throw new ScimError(403, 'admin routes require AWS IAM (SigV4) authorisation');
    return;
  }
  const token = bearerToken(headers['authorization']);
  if (!token || !tokenMatches(token, deps.auth.hash)) {
    throw new ScimError(401, 'admin token missing or wrong: use the Admin Token printed by npm start (SCIMLINK_ADMIN_TOKEN)');
  }
}

function defined(map: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
