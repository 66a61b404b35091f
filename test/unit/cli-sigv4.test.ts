/**
 * Without an admin token the CLI signs with SigV4 for `execute-api` (the deployed admin API is IAM-authorised).
 * The signature is re-computed here independently, from the AWS algorithm with node:crypto, so a wrong
 * canonical request (path, query, host, body hash) fails the test instead of failing only in AWS.
 */
import { createHash, createHmac } from 'node:crypto';
import { run } from '../../cli/main';
import { resolveRegion } from '../../cli/sigv4';

const KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

interface Sent {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const sent: Sent[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: init?.body ? String(init.body) : '',
    });
    const answer = String(input).includes('/users') ? { totalResults: 0, startIndex: 1, users: [] } : { id: 'a', name: 'N', type: 'partner', createdAt: 'T' };
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof globalThis.fetch;
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env, fetch });
  return { code, out: out.join(''), err: err.join(''), sent };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The AWS SigV4 algorithm, written out from the documentation. */
function expectedSignature(req: Sent, signedHeaders: string[], region: string): string {
  const amzDate = req.headers['x-amz-date']!;
  const date = amzDate.slice(0, 8);
  const headerValue = (name: string) => (name === 'host' ? req.url.host : req.headers[name]!.trim());
  const query = [...req.url.searchParams]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    req.method,
    req.url.pathname,
    query,
    signedHeaders.map((h) => `${h}:${headerValue(h)}\n`).join(''),
    signedHeaders.join(';'),
    sha256(req.body),
  ].join('\n');
  const scope = `${date}/${region}/execute-api/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), 'execute-api'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function parseAuthorization(header: string) {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/execute-api\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(header);
  if (!m) throw new Error(`not a SigV4 execute-api Authorization header: ${header}`);
  return { keyId: m[1], date: m[2], region: m[3]!, signedHeaders: m[4]!.split(';'), signature: m[5]! };
}

const AWS_ENV = { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: 'eu-west-1' };

describe('SigV4 signing when no admin token is given', () => {
  it.each([
    ['GET with a query', ['users', 'list', 'acme', '--active', 'false', '--count', '5']],
    ['POST with a body', ['accounts', 'create', '--name', 'N & Co', '--type', 'partner']],
  ])('%s: an execute-api Authorization header that verifies', async (_, argv) => {
    const r = await cli([...argv, '--url', 'http://127.0.0.1:8080/prod/admin'], AWS_ENV);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const req = r.sent[0]!;
    const auth = parseAuthorization(req.headers.authorization!);
    expect(auth).toMatchObject({ keyId: KEY_ID, region: 'eu-west-1' });
    expect(auth.signedHeaders).toContain('host');
    expect(auth.signedHeaders).toContain('x-amz-date');
    expect(auth.date).toBe(req.headers['x-amz-date']!.slice(0, 8));
    expect(auth.signature).toBe(expectedSignature(req, auth.signedHeaders, 'eu-west-1'));
    expect(req.headers.authorization).not.toContain('Bearer');
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it('takes the region from an execute-api host over AWS_REGION, and --region over both', async () => {
    const url = 'https://abc123.execute-api.ap-southeast-2.amazonaws.com/prod/admin';
    const fromHost = await cli(['accounts', 'show', 'a', '--url', url], AWS_ENV);
    expect(parseAuthorization(fromHost.sent[0]!.headers.authorization!).region).toBe('ap-southeast-2');
    const fromFlag = await cli(['accounts', 'show', 'a', '--url', url, '--region', 'us-west-2'], AWS_ENV);
    expect(parseAuthorization(fromFlag.sent[0]!.headers.authorization!).region).toBe('us-west-2');
    const fromDefault = await cli(['accounts', 'show', 'a', '--url', 'https://admin.example.com/admin'], {
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_DEFAULT_REGION: 'ca-central-1',
    });
    expect(parseAuthorization(fromDefault.sent[0]!.headers.authorization!).region).toBe('ca-central-1');
  });

  it('sends the session token of temporary credentials', async () => {
    const r = await cli(['accounts', 'show', 'a', '--url', 'https://h.example/admin'], { ...AWS_ENV, AWS_SESSION_TOKEN: 'FQoGZXIvYXdzEXAMPLE' });
    expect(r.sent[0]!.headers['x-amz-security-token']).toBe('FQoGZXIvYXdzEXAMPLE');
    expect(parseAuthorization(r.sent[0]!.headers.authorization!).signedHeaders).toContain('x-amz-security-token');
  });

  it('without any region: a usage error, nothing sent', async () => {
    const r = await cli(['accounts', 'show', 'a', '--url', 'https://h.example/admin'], { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET });
    expect(r.code).toBe(2);
    expect(r.sent).toEqual([]);
    expect(r.err).toBe('scimlink: cannot tell the AWS region of h.example to sign the request; pass --region or set AWS_REGION (or pass --token for a local server)\n');
  });

  it('an admin token wins over AWS credentials (local server)', async () => {
    const r = await cli(['accounts', 'show', 'a', '--url', 'http://127.0.0.1:1234/admin', '--token', 'tok-12345678'], AWS_ENV);
    expect(r.sent[0]!.headers.authorization).toBe('Bearer tok-12345678');
    expect(r.sent[0]!.headers['x-amz-date']).toBeUndefined();
  });
});

describe('resolveRegion', () => {
  it.each([
    ['https://x.execute-api.us-east-1.amazonaws.com/p', {}, 'us-east-1'],
    ['https://x.execute-api.cn-north-1.amazonaws.com.cn/p', {}, 'cn-north-1'],
    ['https://api.example.com/p', { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-east-2' }, 'eu-central-1'],
  ])('%s → %s', (url, env, region) => {
    expect(resolveRegion(new URL(url), { env })).toBe(region);
  });
});
