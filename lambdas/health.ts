import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * GET /health: for uptime checks and load-balancer style probes (issue #17). It answers 200 when API Gateway
 * routes to a running function of this deployment, and does nothing else: no authentication (a checker has no
 * token), no table, no secret, no tenant data — so a public, floodable route costs one short invocation and
 * can leak nothing. Whether DynamoDB, Secrets Manager and Entra's traffic are healthy is what the metrics and
 * alarms watch (docs/observability.md); a probe that read the table would add a read per check and still not say
 * whether a tenant's requests succeed.
 */
export const handler = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  body: '{"status":"ok"}',
});
