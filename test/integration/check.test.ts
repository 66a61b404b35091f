/**
 * `scimlink check` end to end, through `run()`, against the real local server — and against deliberately broken
 * variants of it: a tiny HTTP proxy in front of the server that breaks exactly one thing Entra relies on. Each
 * must be reported as the right failing step with the right consequence and a non-zero exit, and the
 * throw-away users must be gone afterwards, whatever failed (checked through the local server itself).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer, IncomingMessage, Server } from 'node:http';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { LocalApp, startLocal } from '../../local/app';
import { run } from '../../cli/main';
import { runCheckCommand } from '../../cli/check';

const ROOT = join(__dirname, '..', '..');

let app: LocalApp;
beforeAll(async () => {
  app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
});
afterAll(async () => {
  await app?.close();
});

interface Seen {
  method: string;
  url: string;
  body: string;
}
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}
interface Breakage {
  /** Answer instead of the server (return undefined to forward). */
  intercept?(req: Seen): Answer | undefined;
  /** Change the request before forwarding. */
  rewrite?(req: Seen): Seen;
  /** Change the server's answer. */
  transform?(req: Seen, answer: Answer): Answer;
}

/** A proxy in front of the local server: same paths, so the tenant URL only changes its port. */
async function proxy(breakage: Breakage = {}): Promise<{ tenantUrl: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let request: Seen = { method: req.method ?? 'GET', url: req.url ?? '/', body: Buffer.concat(chunks).toString('utf8') };
    seen.push(request);
    let answer = breakage.intercept?.(request);
    if (!answer) {
      request = breakage.rewrite?.(request) ?? request;
      const headers: Record<string, string> = {};
      for (const h of ['authorization', 'content-type', 'if-match']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string;
      const upstream = await fetch(`${app.url}${request.url}`, { method: request.method, headers, ...(request.body ? { body: request.body } : {}) });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v;
      });
      answer = { status: upstream.status, headers: out, body: await upstream.text() };
      answer = breakage.transform?.(request, answer) ?? answer;
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    tenantUrl: app.tenantUrl.replace(app.url, `http://127.0.0.1:${port}`),
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const scimError = (status: number, detail: string, scimType?: string): Answer => ({
  status,
  headers: { 'content-type': 'application/scim+json' },
  body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}), detail }),
});

async function check(tenantUrl: string, extra: string[] = [], options: { token?: string; interrupt?: AbortSignal } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env: { SCIMLINK_SCIM_TOKEN: options.token ?? app.secretToken } };
  const argv = ['check', tenantUrl, ...extra];
  const code = options.interrupt ? await runCheckCommand(argv, { ...io, interrupt: options.interrupt }) : await run(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

interface JsonStep {
  id: string;
  result: string;
  note?: string;
  failure?: { problem: string; request?: { method: string; path: string; body?: string }; answer?: { status: number }; consequence: { kind: string; summary: string } };
}
interface JsonRun {
  verdict: string;
  exitCode: number;
  steps: JsonStep[];
  cleanup: { removed: unknown[]; leftBehind: unknown[] };
}

async function checkJson(tenantUrl: string, extra: string[] = []) {
  const r = await check(tenantUrl, ['--json', ...extra]);
  return { code: r.code, json: JSON.parse(r.out) as JsonRun, err: r.err };
}

const byId = (run: JsonRun) => Object.fromEntries(run.steps.map((s) => [s.id, s]));
const failed = (run: JsonRun) => run.steps.filter((s) => s.result === 'fail').map((s) => s.id);

/** Every user the local server holds whose userName carries the check's prefix — must be none after a run. */
async function leftovers(): Promise<string[]> {
  const res = await fetch(`${app.tenantUrl}/Users?filter=userName+sw+%22scimlink-check-%22&count=500`, { headers: { Authorization: `Bearer ${app.secretToken}` } });
  const body = (await res.json()) as { Resources: Array<{ userName: string }> };
  return body.Resources.map((r) => r.userName);
}

const ALL_STEPS = [
  'tenant-url',
  'probe',
  'discovery.spc',
  'discovery.schemas',
  'discovery.resource-types',
  'create',
  'find.userName',
  'find.externalId',
  'find.email',
  'patch.disable-old',
  'patch.dotted-new',
  'patch.add-mobile',
  'patch.disable-new',
  'patch.reenable-old',
  'put',
  'delete',
  'uniqueness',
  'validation',
  'burst',
];

describe('scimlink check against the local server', () => {
  it('(the leftover probe used below does see a user with the check prefix)', async () => {
    const headers = { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' };
    const userName = 'scimlink-check-sanity@example.com';
    const created = await fetch(`${app.tenantUrl}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ userName, displayName: 'x', emails: [{ type: 'work', value: userName }] }),
    });
    const { id } = (await created.json()) as { id: string };
    expect(await leftovers()).toEqual([userName]);
    expect((await fetch(`${app.tenantUrl}/Users/${id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect(await leftovers()).toEqual([]);
  });

  it('passes every step, prints each once, then the cleanup and the verdict, exits 0 and leaves no user behind', async () => {
    const r = await check(app.tenantUrl);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scimlink check http:\/\/127\.0\.0\.1:\d+\/scim\/demo\.\S+\nthrow-away users scimlink-check-[a-z0-9]+-\* \(always removed at the end; marked synthetic/);
    expect(r.out).toMatch(/\[ 1\/19\] PASS {2}Tenant URL scheme \(Entra needs https:\/\/\) {2}\d+ ms {2}\(http on this machine: fine here; Entra needs an https:\/\/ URL/);
    for (const title of ['Test Connection probe', 'POST /Users', 'burst: 50 GETs']) expect(r.out.split(title)).toHaveLength(2);
    // The burst's rate depends on the machine's load (a warning, not a failure, when it falls short).
    expect(r.out).toMatch(/\[19\/19\] (PASS|WARN) {2}burst: 50 GETs at 50\/s .*\(50 GETs in \d\.\d\d s \(\d+\/s\): p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms\)/);
    expect(r.out).toMatch(/\nCleanup: removed 2 throw-away users \(.+\)\.\nPASS: Entra ID can provision users to this tenant URL; (19 passed|18 passed, 1 warning); \d+ requests in [\d.]+ s\.\n$/);
    expect(r.out).not.toContain(app.secretToken);
    expect(await leftovers()).toEqual([]);
  });

  it('--json: every step passes, in Entra order', async () => {
    const { code, json } = await checkJson(app.tenantUrl);
    expect(code).toBe(0);
    expect(json.verdict).toBe('pass');
    // The burst may only warn on a loaded machine (its rate is a timing); every other step must pass.
    expect(json.steps.map((s) => [s.id, s.id === 'burst' && s.result === 'warn' ? 'pass' : s.result])).toEqual(ALL_STEPS.map((id) => [id, 'pass']));
    expect(json.cleanup.leftBehind).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });

  it('--read-only sends only the probe and discovery GETs', async () => {
    const p = await proxy();
    try {
      const { code, json } = await checkJson(p.tenantUrl, ['--read-only']);
      expect(code).toBe(0);
      expect(json.steps.map((s) => s.id)).toEqual(ALL_STEPS.slice(0, 5));
      expect(p.seen.map((s) => s.method)).toStrictEqual(['GET', 'GET', 'GET', 'GET']);
    } finally {
      await p.close();
    }
  });

  it('a wrong token: the probe fails with 401 (quarantine), nothing else is sent', async () => {
    const p = await proxy();
    try {
      const r = await check(p.tenantUrl, ['--json'], { token: 'scimlink_wrongwrongwrong' });
      const json = JSON.parse(r.out) as JsonRun;
      expect(r.code).toBe(1);
      expect(byId(json).probe).toMatchObject({ result: 'fail', failure: { answer: { status: 401 }, consequence: { kind: 'quarantine' } } });
      expect(json.steps.map((s) => s.id)).toStrictEqual(['tenant-url', 'probe']);
      expect(p.seen).toHaveLength(1);
    } finally {
      await p.close();
    }
  });
});

describe('scimlink check against broken variants', () => {
  const GUID_PROBE = /^\/scim\/[^/]+\/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}%22$/;

  it('a 404 on the Test Connection probe: the probe fails, Entra quarantines the job', async () => {
    const p = await proxy({ intercept: (req) => (req.method === 'GET' && GUID_PROBE.test(req.url) ? scimError(404, 'no such route') : undefined) });
    try {
      const { code, json } = await checkJson(p.tenantUrl);
      expect(code).toBe(1);
      expect(json.verdict).toBe('fail');
      expect(failed(json)).toEqual(['probe']);
      expect(byId(json).probe!.failure).toMatchObject({
        problem: 'expected 200, got 404 (no such route)',
        request: { method: 'GET', path: expect.stringMatching(/^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/) },
        answer: { status: 404 },
        consequence: { kind: 'quarantine', summary: expect.stringContaining('quarantines the provisioning job') },
      });
      expect(await leftovers()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('a case-sensitive PATCH op (rejects "Replace" with 400): both old-dialect PATCHes fail, that user is given up', async () => {
    const p = await proxy({
      intercept: (req) => {
        if (req.method !== 'PATCH') return undefined;
        const ops = (JSON.parse(req.body) as { Operations: Array<{ op: string }> }).Operations;
        const bad = ops.find((o) => !['add', 'replace', 'remove'].includes(o.op));
        return bad ? scimError(400, `Unsupported op '${bad.op}'`, 'invalidSyntax') : undefined;
      },
    });
    try {
      const r = await check(p.tenantUrl);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/\] FAIL {2}disable, old dialect: op "Replace", path active, value "False" {2}\d+ ms\n/);
      expect(r.out).toMatch(/ {2}request: {2}PATCH \/Users\/[0-9a-f-]+ {2}PatchOp: Replace active "False"\n/);
      expect(r.out).toMatch(/ {2}answer: {3}400 \(Content-Type application\/scim\+json\) {2}\{.*"detail":"Unsupported op 'Replace'"\}\n/);
      expect(r.out).toContain("  problem:  expected 200 or 204, got 400 (invalidSyntax: Unsupported op 'Replace')\n");
      expect(r.out).toContain('  Entra:    gives up on that user');
      expect(r.out).toMatch(/\nFAIL: 2 of 15 checks Entra relies on failed \(patch\.disable-old, patch\.reenable-old\)/);
      expect(await leftovers()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('no Content-Type: application/scim+json on answers: the probe fails Test Connection', async () => {
    const p = await proxy({
      transform: (_req, a) => {
        const { 'content-type': _dropped, ...headers } = a.headers;
        return { ...a, headers };
      },
    });
    try {
      const { code, json } = await checkJson(p.tenantUrl);
      expect(code).toBe(1);
      expect(byId(json).probe).toMatchObject({
        result: 'fail',
        failure: { problem: expect.stringContaining("the answer's Content-Type is missing, not application/scim+json"), consequence: { kind: 'connection-fails' } },
      });
      expect(failed(json)).toEqual(expect.arrayContaining(['probe', 'create', 'find.userName', 'patch.disable-old', 'put', 'uniqueness']));
      // Cleanup does not depend on the Content-Type: it still found and removed everything.
      expect(json.cleanup.leftBehind).toEqual([]);
      expect(await leftovers()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('a 500 on PUT: the PUT step fails, Entra retries later, and the throw-away users are still removed', async () => {
    const p = await proxy({ intercept: (req) => (req.method === 'PUT' ? scimError(500, 'An internal error occurred.') : undefined) });
    try {
      const { code, json } = await checkJson(p.tenantUrl);
      expect(code).toBe(1);
      expect(failed(json)).toEqual(['put']);
      expect(byId(json).put!.failure).toMatchObject({ request: { method: 'PUT' }, answer: { status: 500 }, consequence: { kind: 'retry' } });
      expect(byId(json).delete!.result).toBe('pass');
      expect(json.cleanup.leftBehind).toEqual([]);
      expect(await leftovers()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('uniqueness not enforced (the clash is created): silent divergence, and the accepted duplicate is removed too', async () => {
    // Make the clashing userName unique on the way in, so the server accepts it as Entra's duplicate would be.
    const p = await proxy({
      rewrite: (req) => {
        if (req.method !== 'POST' || !/"userName":"SCIMLINK-CHECK-/.test(req.body)) return req;
        return { ...req, body: req.body.replace(/"userName":"SCIMLINK-CHECK-([^"]+)"/, (_m, rest: string) => `"userName":"scimlink-check-dup-${rest.toLowerCase()}"`) };
      },
    });
    try {
      const { code, json } = await checkJson(p.tenantUrl);
      expect(code).toBe(1);
      expect(failed(json)).toEqual(['uniqueness']);
      expect(byId(json).uniqueness!.failure).toMatchObject({ answer: { status: 201 }, consequence: { kind: 'silent-divergence' } });
      expect(json.cleanup.removed).toHaveLength(3);
      expect(await leftovers()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('Ctrl-C in the middle: the run stops, exits 130, and no throw-away user is left', async () => {
    const controller = new AbortController();
    // "Press Ctrl-C" when the first PATCH arrives: a user exists by then.
    const p = await proxy({
      intercept: (req) => {
        if (req.method === 'PATCH') controller.abort(new Error('interrupted'));
        return undefined;
      },
    });
    try {
      const r = await check(p.tenantUrl, [], { interrupt: controller.signal });
      expect(r.code).toBe(130);
      expect(r.out).toMatch(/\nINTERRUPTED: stopped after \d+ of 19 steps; no throw-away user is left/);
      expect(await leftovers()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('a real SIGINT to `scimlink` during the burst (requests in flight): exit 130, every user removed', async () => {
    // The real executable, so the real signal handling and Node's real unhandled-rejection behaviour apply
    // (jest would swallow an unhandled rejection; the bare process dies of it, before cleanup).
    let child: ChildProcess | undefined;
    let validated = false;
    let burstGets = 0;
    const p = await proxy({
      intercept: (req) => {
        if (req.method === 'POST' && req.body.includes('(415) 555-0100')) validated = true;
        else if (validated && req.method === 'GET' && (burstGets += 1) === 10) child?.kill('SIGINT');
        return undefined;
      },
    });
    try {
      child = spawn(process.execPath, [join(ROOT, 'cli', 'bin.cjs'), 'check', p.tenantUrl], {
        cwd: ROOT,
        env: { ...process.env, SCIMLINK_SCIM_TOKEN: app.secretToken },
      });
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => child!.on('exit', (c) => resolve(c)));
      expect({ code, err }).toEqual({ code: 130, err: '\nscimlink: interrupted; removing the throw-away users (Ctrl-C again to quit now)\n' });
      expect(out).toMatch(/\[19\/19\] SKIP {2}burst: .*\(interrupted\)/);
      expect(out).toMatch(/\nCleanup: removed 2 throw-away users .*\nINTERRUPTED: stopped after 18 of 19 steps; no throw-away user is left/);
      expect(await leftovers()).toEqual([]);
    } finally {
      child?.kill();
      await p.close();
    }
  });
});
