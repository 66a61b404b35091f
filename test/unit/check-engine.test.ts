/**
 * The check engine with made-up steps on a fetch stub: ordering, skips, warnings vs failures, Ctrl-C, and the
 * cleanup that must run whatever happened. Then the report rendered from such runs.
 */
import { consequence } from '../../cli/check/consequences';
import { runCheck } from '../../cli/check/engine';
import { StepFailure, expectStatus, failure } from '../../cli/check/expect';
import { ScimClient } from '../../cli/check/http';
import { progressLine, summary, toJson } from '../../cli/check/report';
import { summarizeBody } from '../../cli/check/summary';
import type { Step } from '../../cli/check/types';
import { ThrowAwayUsers } from '../../cli/check/users';
import { exitCodeOf, verdictOf } from '../../cli/check/verdict';

type Handler = (method: string, url: URL, body: unknown) => { status: number; body?: unknown; headers?: Record<string, string> };

function client(handler: Handler = () => ({ status: 200, body: { Resources: [] } })) {
  const calls: string[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url.pathname.replace(/^\/scim\/t/, '')}${url.search}`);
    const answer = handler(method, url, init?.body ? JSON.parse(String(init.body)) : undefined);
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/scim+json', ...answer.headers },
    });
  }) as typeof globalThis.fetch;
  return { client: new ScimClient({ base: 'https://h.example/scim/t', token: 'scimlink_secret', fetch }), calls };
}

const step = (id: string, over: Partial<Step> = {}): Step => ({ id, title: `step ${id}`, critical: true, run: async () => undefined, ...over });
const run = (steps: Step[], c = client().client, opts: { readOnly?: boolean; signal?: AbortSignal; users?: ThrowAwayUsers } = {}) =>
  runCheck({ client: c, steps, readOnly: opts.readOnly ?? false, signal: opts.signal ?? new AbortController().signal, ...(opts.users ? { users: opts.users } : {}) });

describe('runCheck', () => {
  it('runs steps in order and passes when all pass', async () => {
    const order: string[] = [];
    const r = await run([step('a', { run: async () => void order.push('a') }), step('b', { run: async () => (order.push('b'), 'a note') })]);
    expect(order).toEqual(['a', 'b']);
    expect(r.outcomes.map((o) => [o.id, o.result, o.note])).toEqual([
      ['a', 'pass', undefined],
      ['b', 'pass', 'a note'],
    ]);
    expect(verdictOf(r)).toBe('pass');
    expect(exitCodeOf('pass')).toBe(0);
  });

  it('--read-only runs only read-only steps', async () => {
    const r = await run([step('probe', { readOnly: true }), step('create')], undefined, { readOnly: true });
    expect(r.outcomes.map((o) => o.id)).toStrictEqual(['probe']);
  });

  it('fails the verdict on a critical failure, only warns on an advisory one', async () => {
    const boom = async () => {
      throw new StepFailure(failure(undefined, 'broken', consequence('user-fails')));
    };
    const advisory = await run([step('discovery', { critical: false, run: boom })]);
    expect(advisory.outcomes[0]?.result).toBe('warn');
    expect(verdictOf(advisory)).toBe('pass');
    const critical = await run([step('put', { run: boom })]);
    expect(critical.outcomes[0]?.result).toBe('fail');
    expect(verdictOf(critical)).toBe('fail');
    expect(exitCodeOf('fail')).toBe(1);
  });

  it('skips a step whose prerequisite is missing, and stops (no more rows) after a fatal failure', async () => {
    const later = jest.fn(async () => undefined);
    const r = await run([
      step('needy', { needs: () => 'no throw-away user (create failed)' }),
      step('probe', {
        run: async (ctx) => {
          ctx.state.fatal = 'the token was refused';
          throw new StepFailure(failure(undefined, 'expected 200, got 401', consequence('quarantine')));
        },
      }),
      step('later', { run: later }),
    ]);
    expect(r.outcomes.map((o) => [o.id, o.result, o.note])).toEqual([
      ['needy', 'skip', 'no throw-away user (create failed)'],
      ['probe', 'fail', undefined],
    ]);
    expect(later).not.toHaveBeenCalled();
    expect(r.stopped).toBe('the token was refused');
    expect(verdictOf(r)).toBe('fail');
    expect(summary(r, verdictOf(r))).toMatch(/\nStopped: the token was refused\.\nFAIL: probe failed, so nothing else was checked; 0 requests in \d+\.\d s\.\n$/);
  });

  it('reports a bug in a step as the check failing, not the endpoint', async () => {
    const r = await run([step('x', { run: async () => { throw new TypeError('oops'); } })]);
    expect(r.outcomes[0]?.failure?.problem).toBe('the check itself failed: oops');
  });

  it('removes the users a run created even when a step fails, looking up ones whose POST answer was lost', async () => {
    const { client: c, calls } = client((method, url) => {
      if (method === 'GET' && url.searchParams.get('filter')?.includes('lost')) {
        return { status: 200, body: { Resources: [{ id: 'id-lost', userName: decodeURIComponent(url.searchParams.get('filter')!.split('"')[1]!) }] } };
      }
      if (method === 'GET') return { status: 200, body: { Resources: [] } };
      return { status: 204 };
    });
    const users = new ThrowAwayUsers();
    const r = await run(
      [
        step('create', {
          run: async (ctx) => {
            ctx.cleanup.expect(ctx.users.userName('a'));
            ctx.cleanup.created(ctx.users.userName('a'), 'id-a');
            ctx.cleanup.expect(ctx.users.userName('lost')); // the POST timed out: no id
            throw new StepFailure(failure(undefined, 'broken', consequence('retry')));
          },
        }),
      ],
      c,
      { users },
    );
    expect(calls.filter((x) => x.startsWith('DELETE'))).toEqual(['DELETE /Users/id-a', 'DELETE /Users/id-lost']);
    expect(r.cleanup).toEqual({
      removed: [
        { id: 'id-a', userName: users.userName('a') },
        { id: 'id-lost', userName: users.userName('lost') },
      ],
      leftBehind: [],
    });
  });

  it('never deletes a user without the run prefix, and reports what it could not delete', async () => {
    const { client: c, calls } = client((method) => (method === 'DELETE' ? { status: 500 } : { status: 200, body: { Resources: [{ id: 'someone', userName: 'ann@contoso.com' }] } }));
    const r = await run([
      step('x', {
        run: async (ctx) => {
          ctx.cleanup.expect('ann@contoso.com'); // not ours: never looked up, never deleted
          ctx.cleanup.created(ctx.users.userName('a'), 'id-a');
        },
      }),
    ], c);
    expect(calls.filter((x) => x.startsWith('DELETE'))).toEqual(['DELETE /Users/id-a']);
    expect(r.cleanup.leftBehind).toEqual([{ userName: expect.stringMatching(/^scimlink-check-/), id: 'id-a', reason: 'DELETE answered 500' }]);
  });

  it('on Ctrl-C stops, skips the rest, still cleans up, and exits 130', async () => {
    const controller = new AbortController();
    const { client: c, calls } = client((method) => (method === 'DELETE' ? { status: 204 } : { status: 200, body: { Resources: [] } }));
    const r = await run(
      [
        step('create', { run: async (ctx) => ctx.cleanup.created(ctx.users.userName('a'), 'id-a') }),
        step('slow', {
          run: async (ctx) => {
            controller.abort(new Error('interrupted'));
            await ctx.client.send('GET', '/Users', undefined, ctx.signal);
          },
        }),
        step('after'),
      ],
      c,
      { signal: controller.signal },
    );
    expect(r.outcomes.map((o) => [o.id, o.result])).toEqual([
      ['create', 'pass'],
      ['slow', 'skip'],
      ['after', 'skip'],
    ]);
    expect(r.interrupted).toBe(true);
    expect(verdictOf(r)).toBe('interrupted');
    expect(exitCodeOf('interrupted')).toBe(130);
    expect(calls).toContain('DELETE /Users/id-a');
  });
});

describe('report', () => {
  async function failedRun() {
    const { client: c } = client(() => ({ status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: 'op must be lower case' } }));
    return run([
      step('probe', { title: 'Test Connection probe' }),
      step('patch.disable-old', {
        title: 'disable, old dialect',
        run: async (ctx) => {
          const ex = await ctx.client.send('PATCH', '/Users/u1', { schemas: [], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }, ctx.signal);
          expectStatus(ex, 'update', 200, 204);
        },
      }),
    ], c);
  }

  it('shows each failure under its step line with the request, the answer, the problem and what Entra does', async () => {
    const r = await failedRun();
    const text = progressLine(r.outcomes[1]!, 1, 2);
    expect(text).toMatch(/^\[2\/2\] FAIL {2}disable, old dialect {2}\d+ ms\n/);
    expect(text).toContain(
      [
        ' ms',
        '  request:  PATCH /Users/u1  PatchOp: Replace active "False"',
        '  answer:   400 (Content-Type application/scim+json)  {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"op must be lower case"}',
        '  problem:  expected 200 or 204, got 400 (invalidValue: op must be lower case)',
        '  Entra:    gives up on that user: ',
      ].join('\n'),
    );
    expect(text).toContain('[user-fails]');
    expect(text).not.toContain('scimlink_secret');
  });

  it('prints each step once: the summary is only the cleanup and the verdict', async () => {
    const r = await failedRun();
    expect(progressLine(r.outcomes[0]!, 0, 2)).toMatch(/^\[1\/2\] PASS {2}Test Connection probe {2}\d+ ms\n$/);
    const text = summary(r, verdictOf(r));
    expect(text).toMatch(/^\nFAIL: 1 of 2 checks Entra relies on failed \(patch\.disable-old\); 1 request in \d+\.\d s\.\n$/);
  });

  it('renders the run as JSON for scripts', async () => {
    const r = await failedRun();
    const j = toJson(r, 'fail', 1, 'https://h.example/scim/t', false);
    expect(j).toMatchObject({ tenantUrl: 'https://h.example/scim/t', verdict: 'fail', exitCode: 1, tally: { pass: 1, fail: 1, warn: 0, skip: 0 } });
    expect(j.steps[1]).toMatchObject({
      id: 'patch.disable-old',
      result: 'fail',
      failure: { request: { method: 'PATCH', path: '/Users/u1' }, answer: { status: 400 }, consequence: { kind: 'user-fails' } },
    });
    expect(JSON.stringify(j)).not.toContain('scimlink_secret');
  });

  it('summarises bodies without dumping them', () => {
    expect(summarizeBody({ schemas: ['x'], Operations: [{ op: 'replace', value: { 'name.givenName': 'A' } }] })).toBe('PatchOp: replace (no path) {"name.givenName":"A"}');
    expect(summarizeBody({ schemas: ['x'], userName: 'a@b.c', emails: [], name: {} })).toBe('User userName="a@b.c" (+2 attributes)');
    expect(summarizeBody(undefined)).toBeUndefined();
  });
});
