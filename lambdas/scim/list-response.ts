import { ScimError, badRequest } from './errors';
import { LIST_RESPONSE_SCHEMA } from './schema';

/** RFC 7644 §3.4.2.4: paging defaults, also advertised in ServiceProviderConfig. */
export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 500;

/**
 * How far index paging may walk. DynamoDB pages by key, not by position: startIndex N reads the N-1 users before
 * the page only to skip them. Past this, cursors (RFC 9865) page at the cost of the page alone.
 */
export const MAX_START_INDEX = 1000;

export interface Paging {
  startIndex: number;
  count: number;
  /** RFC 9865 cursor paging: '' asks for the first page, otherwise a `nextCursor` we issued. Absent: index paging. */
  cursor?: string;
}

const CURSOR_WAY_ON = 'page with cursors instead (RFC 9865): send cursor= (empty) for the first page, then each response\'s nextCursor';

/**
 * startIndex is 1-based (values < 1 mean 1); count < 0 means 0 and is capped at MAX_COUNT (RFC 7644 §3.4.2.4).
 * Non-numeric values are a client error Entra would log: 400 invalidValue. `cursor` selects RFC 9865 paging.
 */
export function parsePaging(query: Record<string, string | undefined>): Paging {
  const num = (name: string, raw: string | undefined, fallback: number) => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw badRequest(`${name} must be an integer, not '${raw}'`);
    return n;
  };
  const count = Math.min(MAX_COUNT, Math.max(0, num('count', query.count, DEFAULT_COUNT)));
  if (query.cursor !== undefined) {
    if (query.startIndex !== undefined && query.startIndex.trim() !== '') {
      throw badRequest('Send either startIndex (index paging) or cursor (cursor paging, RFC 9865), not both.');
    }
    if (query.cursor !== '' && decodeCursor(query.cursor) === undefined) {
      throw new ScimError(400, 'This cursor was not issued by this service provider; start again with cursor= (empty) and follow nextCursor.', 'invalidCursor');
    }
    return { startIndex: 1, count, cursor: query.cursor };
  }
  const startIndex = Math.max(1, num('startIndex', query.startIndex, 1));
  if (startIndex > MAX_START_INDEX) {
    throw badRequest(`startIndex may be at most ${MAX_START_INDEX}: index paging reads every user before the page. To go further, ${CURSOR_WAY_ON}.`);
  }
  return { startIndex, count };
}

/**
 * Cursors are opaque to clients (RFC 9865 §2) and made of RFC 3986 unreserved characters: base64url of the id of
 * the last user examined. A cursor only ever positions a read inside the caller's own account, so a forged one
 * reveals nothing; it never expires (it is a position, not a server-side session).
 */
export const encodeCursor = (afterUserId: string): string => Buffer.from(`u:${afterUserId}`, 'utf8').toString('base64url');

const CURSOR = /^[A-Za-z0-9_-]{1,128}$/;
const USER_ID = /^u:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The user id a cursor continues after; undefined for '' and for anything we did not issue. */
export function decodeCursor(cursor: string): string | undefined {
  if (!CURSOR.test(cursor)) return undefined;
  return USER_ID.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1];
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

/**
 * A page of cursor paging (RFC 9865 §2): `nextCursor` on every page but the last (its absence is the end);
 * `totalResults` only when known without reading the whole result (RFC 9865 lets it be left out).
 */
export function cursorListResponse(resources: unknown[], totalResults: number | undefined, nextCursor: string | undefined) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    ...(totalResults !== undefined ? { totalResults } : {}),
    itemsPerPage: resources.length,
    Resources: resources,
    ...(nextCursor !== undefined ? { nextCursor } : {}),
  };
}
