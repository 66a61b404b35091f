import { badRequest } from './errors';
import { LIST_RESPONSE_SCHEMA } from './schema';

/** RFC 7644 §3.4.2.4: paging defaults, also advertised in ServiceProviderConfig. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 500;

export interface Paging {
  startIndex: number;
  count: number;
}

/**
 * startIndex is 1-based (values < 1 mean 1); count < 0 means 0 and is capped at MAX_COUNT (RFC 7644 §3.4.2.4).
 * Non-numeric values are a client error Entra would log: 400 invalidValue.
 */
export function parsePaging(query: Record<string, string | undefined>): Paging {
  const num = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw badRequest(`${name} must be an integer, not '${raw}'`);
    return n;
  };
  const startIndex = Math.max(1, num('startIndex', query.startIndex, 1));
  const count = Math.min(MAX_COUNT, Math.max(0, num('count', query.count, DEFAULT_COUNT)));
  return { startIndex, count };
}

export function listResponse(resources: unknown[], totalResults: number, startIndex: number) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
