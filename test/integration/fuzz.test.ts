/**
 * Fuzzing the SCIM endpoint over real HTTP (issue 6, fast-check): hostile bodies (wrong types, deep nesting, huge
 * strings, unicode, `__proto__`/`constructor` keys, broken JSON), filters, PATCH paths and bodies, query
 * parameters, headers and paths. Properties, for every input:
 *  - never a 5xx (501 for a /Groups write is the one designed answer), and always a SCIM answer;
 *  - never a change to stored data when the answer is 4xx: a middleware counts the data writes each request makes
 *    (requests are sent one at a time, so every write belongs to the request in flight);
 *  - the local server never crashes (it answers after every input; its adapter never logs an unhandled error);
 *  - afterwards, `verify` finds nothing and nothing reached Object.prototype.
 *
 * `npm test` runs a few thousand inputs (FUZZ_RUNS unset: 2,400); the full run is
 * `FUZZ_RUNS=100000 npx jest test/integration/fuzz.test.ts` (about 10 minutes).
 */
import fc from 'fast-check';
import { TestServer, startTestServer } from '../support/local-server';
import type { ScimResponse } from '../support/local-server';
import { PATCH_SCHEMA, scimAnswerProblem, userWith, verifyLocal } from '../support/robustness';
import { anyString, filterText, hostileJsonText, patchBody, patchPath, queryValue, userBody } from '../support/arbitraries';

const TOTAL = Number(process.env.FUZZ_RUNS ?? 2400);
// A fixed number of inputs, not a time budget: on a loaded 2-core machine one property took ~50 s (jest's default
// is 30 s). Time is no part of what these tests assert.
jest.setTimeout(5 * 60_000);
/** Share of the runs per property (they add up to 1). */
const share = (fraction: number) => Math.max(10, Math.round(TOTAL * fraction));

let s: TestServer;
let target: { id: string; body: Record<string, unknown> };
/** Items that hold directory data: users, sentinels, the externalId index, counts (not the request log, not "last request seen"). */
const DATA_KEY = /"(USER|UNIQUE|EXTID|COUNT)#/;
/** Data writes since the last reset. */
let writes = 0;
let inputs = 0;
const consoleErrors: unknown[][] = [];

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

beforeAll(async () => {
  s = await startTestServer();
  s.app.dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (WRITE_COMMANDS.has(context.commandName ?? '') && DATA_KEY.test(JSON.stringify(args.input))) writes++;
      return result;
    },
    { step: 'initialize', name: 'fuzz-write-counter', priority: 'low' },
  );
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
  target = await createTarget();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await s.close();
});

async function createTarget() {
  const body = userWith({ userName: 'fuzz-target@fuzz.test', email: 'fuzz-target@fuzz.test', phone: '+14155550999', externalId: 'fuzz-ext', extension: '4711' });
  const res = await s.scim('POST', '/Users', body);
  expect(res.status).toBe(201);
  return { id: res.body.id as string, body };
}

const PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/**
 * Send one input and check the properties. `raw` bodies are sent as they are (possibly not JSON at all).
 * Returns the response for property-specific checks.
 */
async function send(method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null } = {}): Promise<ScimResponse> {
  inputs++;
  writes = 0;
  let res: ScimResponse;
  try {
    res = await s.scim(method, path, init.body, { ...(init.raw !== undefined ? { raw: init.raw } : {}), ...(init.headers ? { headers: init.headers } : {}), ...(init.token !== undefined ? { token: init.token } : {}) });
  } catch (e) {
    throw new Error(`${method} ${path.slice(0, 200)}: no answer (${(e as Error).message}) — did the server crash?`);
  }
  const where = `${method} ${path.slice(0, 200)} → ${res.status}`;
  const groupsWrite = /\/Groups/.test(path) && method !== 'GET';
  if (res.status >= 500 && !(res.status === 501 && groupsWrite)) throw new Error(`${where}: ${res.text.slice(0, 300)}`);
  const problem = scimAnswerProblem(res);
  if (problem) throw new Error(`${where}: ${problem}`);
  if (res.status >= 400 && writes > 0) throw new Error(`${where}: answered ${res.status} but wrote ${writes} item(s)`);
  if (consoleErrors.length > 0) throw new Error(`${where}: the local adapter logged ${JSON.stringify(consoleErrors[0]).slice(0, 300)}`);
  return res;
}

/** After a successful write, keep the fixture usable: remove created users, recreate a deleted target. */
async function tidy(res: ScimResponse, method: string) {
  if (method === 'POST' && res.status === 201 && typeof res.body?.id === 'string') {
    expect((await s.scim('DELETE', `/Users/${res.body.id}`)).status).toBe(204);
  }
  if (method === 'DELETE' && res.status === 204 && (await s.scim('GET', `/Users/${target.id}`)).status === 404) {
    target = await createTarget();
  }
}

/** Percent-encode the UTF-8 bytes (lone surrogates become U+FFFD, as any HTTP client would send them). */
function percentEncode(v: string): string {
  return [...Buffer.from(v, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Entra-style: spaces as '+', quotes and brackets as they are, only what HTTP cannot carry encoded. */
function percentEncodeLoosely(v: string): string {
  return percentEncode(v).replace(/%20/g, '+').replace(/%22/g, '"').replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%40/g, '@').replace(/%28/g, '(').replace(/%29/g, ')');
}

/** At most `max` characters of an encoded string, never ending inside a %XX escape. */
function upTo(encoded: string, max: number): string {
  return encoded.length <= max ? encoded : encoded.slice(0, max).replace(/%[0-9A-F]?$/, '');
}

const contentType = fc.constantFrom(
  'application/scim+json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/SCIM+JSON;charset=UTF-8',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=utf-16',
  'application/scim+json; version=2',
  'application/scim+json ;charset=utf-8',
);
/** A body: structured (sent as JSON), raw hostile JSON text, or damaged text. */
type FuzzBody = { json?: unknown; raw?: string };
const bodyOf = (structured: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzBody> =>
  fc.oneof(
    { weight: 5, arbitrary: structured.map((b): FuzzBody => ({ json: b })) },
    { weight: 2, arbitrary: hostileJsonText().map((t): FuzzBody => ({ raw: t })) },
    { weight: 1, arbitrary: fc.oneof(anyString(), fc.constantFrom('{', '{"a":', '[', '{"userName":"x",}', 'null', '""', '\ufeff{}', '{}{}')).map((t): FuzzBody => ({ raw: t })) },
  );

function sendBody(method: string, path: string, b: { json?: unknown; raw?: string }, ct: string) {
  let raw = b.raw;
  if (raw === undefined) {
    try {
      raw = JSON.stringify(b.json);
    } catch {
      raw = '{"unserialisable":true}'; // too deep for JSON.stringify on this side
    }
  }
  return send(method, path, { raw: raw ?? 'null', headers: { 'Content-Type': ct } });
}

const params = (fraction: number) => ({ numRuns: share(fraction), endOnFailure: true, interruptAfterTimeLimit: 15 * 60_000 });

describe('the SCIM endpoint under fuzzed input', () => {
  it('POST /Users: any body, any content type', async () => {
    await fc.assert(
      fc.asyncProperty(bodyOf(userBody()), contentType, async (b, ct) => {
        await tidy(await sendBody('POST', '/Users', b, ct), 'POST');
      }),
      params(0.2),
    );
  });

  it('PUT /Users/{id}: any body, on an existing user', async () => {
    await fc.assert(
      fc.asyncProperty(bodyOf(userBody()), contentType, async (b, ct) => {
        await tidy(await sendBody('PUT', `/Users/${target.id}`, b, ct), 'PUT');
      }),
      params(0.15),
    );
  });

  it('PATCH /Users/{id}: any PATCH body, paths, values and If-Match', async () => {
    const body = fc.oneof(
      { weight: 6, arbitrary: patchBody() },
      { weight: 2, arbitrary: fc.array(fc.record({ op: fc.constantFrom('add', 'replace', 'remove'), path: patchPath(), value: fc.oneof(anyString(), fc.constant(null)) }), { minLength: 1, maxLength: 3 }).map((Operations) => ({ schemas: [PATCH_SCHEMA], Operations })) },
    );
    const ifMatch = fc.option(fc.oneof(anyString(), fc.constantFrom('W/"1"', '"1"', 'W/"999"', 'W/"1", W/"2"', '')), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(bodyOf(body), ifMatch, async (b, im) => {
        const res = await send('PATCH', `/Users/${target.id}`, {
          raw: b.raw ?? safeJson(b.json),
          headers: { 'Content-Type': 'application/scim+json', ...(im !== undefined && safeHeader(im) ? { 'If-Match': im } : {}) },
        });
        await tidy(res, 'PATCH');
      }),
      params(0.25),
    );
  });

  it('GET /Users: any filter, attributes, excludedAttributes, startIndex, count, sortBy', async () => {
    await fc.assert(
      // Query strings stay under 8 KB: longer request lines are refused by the HTTP layer itself (Node: 431, API
      // Gateway: 414), before any handler — not an answer of ours.
      fc.asyncProperty(fc.oneof(filterText(), anyString().map((v) => v.slice(0, 1000))), queryValue(), queryValue(), queryValue(), queryValue(), fc.boolean(), async (filter, attributes, excluded, startIndex, count, rawUrl) => {
        const q = new URLSearchParams();
        q.set(rawUrl ? 'Filter' : 'filter', filter);
        if (attributes !== undefined) q.set('attributes', attributes);
        if (excluded !== undefined) q.set('excludedAttributes', excluded);
        if (startIndex !== undefined) q.set('startIndex', startIndex);
        if (count !== undefined) q.set('count', count);
        if (rawUrl) q.set('aadOptscim062020', '');
        for (let keep = 1000; q.toString().length > 7000 && keep > 0; keep = Math.floor(keep / 2)) {
          q.set(rawUrl ? 'Filter' : 'filter', filter.slice(0, keep));
          for (const name of ['attributes', 'excludedAttributes']) if (q.has(name)) q.set(name, q.get(name)!.slice(0, keep));
        }
        const res = await send('GET', `/Users?${q.toString()}`);
        if (res.status === 200) expect(Array.isArray(res.body.Resources)).toBe(true);
        // Entra's filters with the value unencoded in the URL, as some clients send them.
        if (rawUrl) await send('GET', `/Users?filter=${upTo(percentEncodeLoosely(filter), 7000)}`);
      }),
      params(0.25),
    );
  });

  it('any path, method, id and headers', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
    const segment = fc.oneof(
      fc.constantFrom('Users', 'users', 'Groups', 'Schemas', 'ResourceTypes', 'ServiceProviderConfig', 'Users/', 'Me', 'Bulk', '.search', '..', '%2e%2e', '%', '%ZZ', '%00', '%ED%A0%80', '%C0%AF', '__proto__'),
      anyString().map((v) => percentEncode(v).slice(0, 2000)),
      fc.constantFrom('x'.repeat(1100), 'é'.repeat(600)).map(percentEncode),
    );
    // Request lines stay under 8 KB (longer ones are refused by the HTTP layer itself: Node 431, API Gateway 414).
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => upTo(`/${parts.join('/')}`, 6000));
    const authorization = fc.option(fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer  x', 'Bearer scimlink_x'), anyString()), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(method, path, authorization, fc.option(anyString(), { nil: undefined }), async (m, p, auth, ifMatch) => {
        // Never the real If-Match "*" on the target: that is a legitimate delete.
        const headers: Record<string, string> = {};
        if (ifMatch !== undefined && safeHeader(ifMatch) && ifMatch.trim() !== '*') headers['If-Match'] = ifMatch;
        const useOwnToken = auth === undefined;
        if (!useOwnToken && safeHeader(auth)) headers.Authorization = auth;
        const res = await send(m === 'HEAD' || m === 'OPTIONS' ? 'GET' : m, p, { headers, ...(useOwnToken ? {} : { token: null }), ...(m === 'POST' || m === 'PUT' || m === 'PATCH' ? { raw: '{}' } : {}) });
        if (!useOwnToken && res.status !== 404 && res.status !== 405) expect(res.status).toBe(401);
        await tidy(res, m);
      }),
      params(0.15),
    );
  });

  it('afterwards: the server answers, verify finds nothing, nothing reached Object.prototype', async () => {
    expect((await s.scim('GET', '/ServiceProviderConfig')).status).toBe(200);
    expect((await verifyLocal(s.app)).findings).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(PROTOTYPE);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(consoleErrors).toEqual([]);
    console.log(`fuzz: ${inputs} inputs over HTTP, 0 server errors, 0 writes on a 4xx, verify findings 0`);
  });
});

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return '{"unserialisable":true}';
  }
}

/** fetch refuses header values with control characters or non-Latin-1: those never reach a server anyway. */
function safeHeader(v: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(v) && v.length < 8000;
}
