/** Issue 13, item 2: paging parameters (RFC 7644 §3.4.2.4, RFC 9865 cursors) and the cost bound of filters. */
import { type FilterNode, MAX_FILTER_SCAN, MAX_FILTER_WORK, comparisons, parseFilter, scanBudget } from '../../lambdas/scim/filter';
import { MAX_START_INDEX, cursorListResponse, decodeCursor, encodeCursor, parsePaging } from '../../lambdas/scim/list-response';
import { scimError } from '../support/caught';

const ID = '0b6f8a52-3c1e-4a8e-9d0f-3f1f5e2b7c11';

describe('cursors', () => {
  it('round-trip a user id through RFC 3986 unreserved characters', () => {
    // Act
    const cursor = encodeCursor(ID);
    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(ID);
    // What a cursor holds: `u:` and the id (so a bare id, base64url-encoded, is not one).
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).toBe(`u:${ID}`);
    expect(decodeCursor(Buffer.from(ID).toString('base64url'))).toBeUndefined();
  });

  it.each([
    ['empty (first page)', ''],
    ['not base64url', 'a+b/c='],
    ['base64url of something else', Buffer.from('hello').toString('base64url')],
    ['an id that is not a user id', Buffer.from('u:../../x').toString('base64url')],
    ['too long', 'A'.repeat(200)],
  ])('decode to nothing when %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});

describe('a page of cursor paging (RFC 9865 §2)', () => {
  const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
  it('has nextCursor on every page but the last, and totalResults only when known', () => {
    expect(cursorListResponse([{ id: 'a' }], 7, 'next')).toEqual({ schemas: [LIST], totalResults: 7, itemsPerPage: 1, Resources: [{ id: 'a' }], nextCursor: 'next' });
    expect(cursorListResponse([], undefined, undefined)).toEqual({ schemas: [LIST], itemsPerPage: 0, Resources: [] });
    expect(Object.keys(cursorListResponse([], 0, undefined))).toEqual(['schemas', 'totalResults', 'itemsPerPage', 'Resources']);
  });
});

describe('parsePaging', () => {
  it.each([
    [{}, { startIndex: 1, count: 100 }],
    [{ startIndex: '0', count: '-3' }, { startIndex: 1, count: 0 }],
    [{ count: '9999' }, { startIndex: 1, count: 500 }],
    [{ startIndex: String(MAX_START_INDEX) }, { startIndex: MAX_START_INDEX, count: 100 }],
    [{ cursor: '' }, { startIndex: 1, count: 100, cursor: '' }],
    [{ cursor: encodeCursor(ID), count: '10' }, { startIndex: 1, count: 10, cursor: encodeCursor(ID) }],
    // Blank values are absent values (a client that sends `count=&startIndex=`).
    [{ count: '  ', startIndex: ' ' }, { startIndex: 1, count: 100 }],
    [{ count: ' 7 ', startIndex: '3' }, { startIndex: 3, count: 7 }],
    [{ cursor: '', startIndex: '  ' }, { startIndex: 1, count: 100, cursor: '' }],
  ])('%j → %j', (query, paging) => {
    expect(parsePaging(query)).toEqual(paging);
  });

  it.each([
    ['startIndex beyond the walk bound', { startIndex: String(MAX_START_INDEX + 1) }, 'invalidValue', /cursor= \(empty\)/],
    ['a cursor we did not issue', { cursor: 'bm9wZQ' }, 'invalidCursor', /start again with cursor=/],
    ['cursor with startIndex', { cursor: '', startIndex: '5' }, 'invalidValue', /not both/],
    ['a count that is not an integer', { count: '2.5' }, 'invalidValue', /^count must be an integer, not '2\.5'$/],
    ['a count that is not a number', { count: 'ten' }, 'invalidValue', /^count must be an integer, not 'ten'$/],
    ['a startIndex that is not a number', { startIndex: 'first' }, 'invalidValue', /^startIndex must be an integer, not 'first'$/],
    ['a cursor outside the cursor alphabet', { cursor: 'a+b/c=' }, 'invalidCursor', /start again with cursor=/],
  ])('refuses %s with 400 %s', (_name, query, scimType, detail) => {
    const e = scimError(() => parsePaging(query));
    expect(e.status).toBe(400);
    expect(e.scimType).toBe(scimType);
    expect(e.detail).toMatch(detail);
  });
});

describe('the evaluation budget of a filter no key answers', () => {
  it.each([
    ['displayName co "a"', 1],
    ['title pr and not (active eq true)', 2],
    ['emails[type eq "work" and value co "@x"] or userName sw "a"', 3],
  ])('%s has %i comparisons', (filter, n) => {
    expect(comparisons(parseFilter(filter))).toBe(n);
  });

  it('is MAX_FILTER_SCAN users, fewer as comparisons × users reaches MAX_FILTER_WORK, never 0', () => {
    const withClauses = (n: number) => parseFilter(Array.from({ length: n }, (_, i) => `title eq "${i}"`).join(' or '));
    expect(scanBudget(withClauses(1))).toBe(MAX_FILTER_SCAN);
    expect(scanBudget(withClauses(100))).toBe(MAX_FILTER_WORK / 100);
    expect(scanBudget(withClauses(200)) * 200).toBeLessThanOrEqual(MAX_FILTER_WORK);
  });

  it('still evaluates one user when a filter has more comparisons than MAX_FILTER_WORK', () => {
    // Larger than any filter the 4,096-character limit lets through: built as an AST, balanced to keep recursion shallow.
    const tree = (n: number): FilterNode =>
      n === 1 ? { kind: 'present', path: { attr: 'title' } } : { kind: 'or', left: tree(Math.floor(n / 2)), right: tree(n - Math.floor(n / 2)) };
    const huge = tree(MAX_FILTER_WORK + 1);
    expect(comparisons(huge)).toBe(MAX_FILTER_WORK + 1);
    expect(scanBudget(huge)).toBe(1);
  });
});
