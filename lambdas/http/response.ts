import type { APIGatewayProxyResult } from 'aws-lambda';
import { ScimError } from '../scim/errors';

/** RFC 7644 §3.1: every SCIM response body is application/scim+json. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export interface ScimResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, headers: Record<string, string> = {}): ScimResult => ({ status: 200, body, headers });
export const created = (body: unknown, headers: Record<string, string> = {}): ScimResult => ({ status: 201, body, headers });
export const noContent = (): ScimResult => ({ status: 204 });

export function toProxyResult(result: ScimResult): APIGatewayProxyResult {
  return {
    statusCode: result.status,
    headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

export const errorResult = (e: ScimError): ScimResult => ({ status: e.status, body: e.toBody(), headers: e.headers });

/** What a client sees for a bug: nothing about the cause (it is logged with the request id instead). */
export const internalError = () =>
  new ScimError(500, 'An internal error occurred. It has been logged; retrying later may succeed.');
