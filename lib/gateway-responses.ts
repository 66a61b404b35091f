import { GatewayResponse, IRestApi, ResponseType } from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';

/** RFC 7644 §3.12 error schema. */
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface GatewayError {
  type: ResponseType;
  status: string;
  detail: string;
  /** Seconds; sent as `Retry-After` (SPEC: transient trouble is 429/503 with Retry-After, and Entra retries). */
  retryAfter?: number;
}

/**
 * What API Gateway answers by itself (before or instead of a handler), as SCIM errors: Entra and operators read
 * `detail`, never API Gateway's `{"message": …}`. Every response type is listed with the status it sends, so the
 * body's `status` always equals the HTTP status; the DEFAULT_* entries only catch types AWS adds later.
 *
 * Mapping notes:
 * - MISSING_AUTHENTICATION_TOKEN is what a REST API answers for an unknown path or method (403 by default):
 *   SCIM clients expect 404. An unsigned request to an IAM-authorised admin route gets it too.
 * - UNAUTHORIZED comes only from the console's Cognito authorizer (no or an expired ID token): SCIM routes have no
 *   gateway authorizer (their handlers answer 401 themselves) and IAM routes answer 403 types.
 * - INTEGRATION_TIMEOUT is transient by nature: 503 with Retry-After, so Entra retries instead of failing the user.
 */
export const GATEWAY_ERRORS: GatewayError[] = [
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: '404', detail: 'No such resource: check the Tenant URL and the path (admin API requests must be signed with SigV4).' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: '404', detail: 'No such resource.' },
  { type: ResponseType.UNAUTHORIZED, status: '401', detail: 'Not signed in, or the sign-in has expired: sign in to the console again.' },
  { type: ResponseType.ACCESS_DENIED, status: '403', detail: 'Access denied: the caller may not invoke this route.' },
  { type: ResponseType.INVALID_SIGNATURE, status: '403', detail: 'The request signature is invalid.' },
  { type: ResponseType.EXPIRED_TOKEN, status: '403', detail: 'The request credentials have expired.' },
  { type: ResponseType.INVALID_API_KEY, status: '403', detail: 'Access denied.' },
  { type: ResponseType.WAF_FILTERED, status: '403', detail: 'The request was blocked by the web application firewall.' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: '400', detail: 'The request parameters are invalid.' },
  { type: ResponseType.BAD_REQUEST_BODY, status: '400', detail: 'The request body is invalid.' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: '413', detail: 'The request body is too large.' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, status: '415', detail: 'Unsupported Content-Type; send application/scim+json.' },
  { type: ResponseType.THROTTLED, status: '429', detail: 'Too many requests; retry later.', retryAfter: 5 },
  { type: ResponseType.QUOTA_EXCEEDED, status: '429', detail: 'Request quota exceeded; retry later.', retryAfter: 60 },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: '503', detail: 'The service did not answer in time; retry later.', retryAfter: 5 },
  { type: ResponseType.INTEGRATION_FAILURE, status: '504', detail: 'The service failed to answer; it has been logged.' },
  { type: ResponseType.API_CONFIGURATION_ERROR, status: '500', detail: 'An internal error occurred; it has been logged.' },
  { type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR, status: '500', detail: 'An internal error occurred; it has been logged.' },
  { type: ResponseType.AUTHORIZER_FAILURE, status: '500', detail: 'An internal error occurred; it has been logged.' },
  { type: ResponseType.DEFAULT_4XX, status: '400', detail: 'The request was rejected.' },
  { type: ResponseType.DEFAULT_5XX, status: '500', detail: 'An internal error occurred; it has been logged.' },
];

/** The SCIM error body; `$context.requestId` lets an operator find the request in the access log. */
export function scimErrorTemplate(e: GatewayError): string {
  return JSON.stringify({ schemas: [SCIM_ERROR_SCHEMA], status: e.status, detail: `${e.detail} (request $context.requestId)` });
}

/** Installs GATEWAY_ERRORS on the API. */
export function addScimGatewayResponses(scope: Construct, restApi: IRestApi): void {
  for (const e of GATEWAY_ERRORS) {
    const body = scimErrorTemplate(e);
    new GatewayResponse(scope, e.type.responseType, {
      restApi,
      type: e.type,
      statusCode: e.status,
      // Header values are mapping expressions: static strings go in single quotes.
      responseHeaders: {
        'Content-Type': "'application/scim+json'",
        'Cache-Control': "'no-store'",
        ...(e.retryAfter === undefined ? {} : { 'Retry-After': `'${e.retryAfter}'` }),
      },
      // API Gateway picks the template by content type; both keys carry the same SCIM body.
      templates: { 'application/json': body, 'application/scim+json': body },
    });
  }
}
