import middy from '@middy/core';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { AdminService } from '../admin/admin-service';
import { requireAccountAccess } from '../admin/access';
import type { Principal } from '../admin/principal';
import { ScimError } from '../scim/errors';
import { AdminDeps, adminDeps } from '../runtime/admin-deps';
import { adminPrincipal } from './admin-auth';
import { withDeadline } from './deadline';
import { ScimEvent, requestLog, scimBody } from './middleware';
import { apiBaseUrl, lowerCaseHeaders } from './request';

export interface AdminRequest {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** The API's public base URL (tenant URLs are built from it). */
  apiBaseUrl: string;
  /** The caller; routes without an {accountId} apply its role themselves (lambdas/admin/access.ts). */
  principal: Principal;
}

export interface AdminResult {
  status: number;
  body?: unknown;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/**
 * The admin handlers' middy chain: request log → errors as `{status, message}` → body parsing → admin auth →
 * account access → the operation. Admin auth is checked before the operation runs; a SCIM token never passes it.
 * Every route with an {accountId} is refused (403) here unless the caller's role reaches that account, so no
 * per-account operation reads anything for a caller who may not see it.
 */
export function adminRoute(operation: (req: AdminRequest, admin: AdminService, deps: AdminDeps) => Promise<AdminResult>) {
  const logger = () => adminDeps().logger;
  // As in scimRoute: a request out of time answers 503 (withDeadline), not middy's 500.
  return middy<ScimEvent, APIGatewayProxyResult>({ timeoutEarlyInMillis: 0 })
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
    .handler((event, context) =>
      withDeadline(context, async () => {
        const deps = adminDeps();
        const headers = lowerCaseHeaders(event.headers);
        const principal = adminPrincipal(deps.auth, event, headers);
        const params = defined(event.pathParameters);
        if (params.accountId !== undefined) await requireAccountAccess(principal, params.accountId, (id) => deps.admin.findAccount(id));
        const result = await operation(
          {
            method: event.httpMethod,
            params,
            query: defined(event.queryStringParameters),
            body: event.parsedBody,
            apiBaseUrl: apiBaseUrl(event, headers),
            principal,
          },
          deps.admin,
          deps,
        );
        return {
          statusCode: result.status,
          headers: JSON_HEADERS,
          body: result.body === undefined ? '' : JSON.stringify(result.body),
        };
      }),
    );
}

function defined(map: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (v !== undefined) out[k] = v;
  return out;
}
