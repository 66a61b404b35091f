/**
 * 7. Cost model, measured (issue #17): what Entra's traffic costs on AWS, from figures measured on the deployed
 * handlers (the local server, as deployed: no local stand-ins on the request path):
 *  - per SCIM operation: DynamoDB capacity units as DynamoDB reports them (`ReturnConsumedCapacity`, the bench
 *    meter), calls, sequential round trips, the handler's wall time at concurrency 1, and the bytes it writes to
 *    CloudWatch Logs (its request line and EMF metric line, captured from stdout);
 *  - an initial cycle (Entra looks each user up, then creates it) of N users with a realistic attribute mix at 16
 *    requests in flight: requests, capacity, wall time; extrapolated to 100,000 users (per-user cost does not grow
 *    with the directory: section 4 shows lookups flat from 1,000 to 100,000 users);
 *  - priced with on-demand list prices (`PRICES`), beside the physical floor: one transaction per create with its
 *    sentinels, and the two strongly consistent reads nothing can avoid.
 * `npx tsx bench/cost.ts [--users=N]` prints it on its own.
 */
import { startLocal } from '../local/app';
import { scimDeps, setScimDeps } from '../lambdas/runtime/deps';
import { installMeter } from './lib/ddb-meter';
import { round } from './lib/stats';
import { table } from './lib/table';
import { entraDisablePatch, entraMultiPatch, userBody } from './lib/users';

/**
 * On-demand list prices, US East (N. Virginia), in USD. Sources (read 2026-12-05; prices change — check before
 * quoting): aws.amazon.com/dynamodb/pricing/on-demand (after the 1 Nov 2024 on-demand reduction),
 * aws.amazon.com/lambda/pricing (Arm), aws.amazon.com/api-gateway/pricing (REST, first 333 million),
 * aws.amazon.com/cloudwatch/pricing (Logs ingestion, standard class).
 */
export const PRICES = {
  date: '2026-12-05',
  region: 'us-east-1',
  perWriteRequestUnit: 0.625 / 1e6,
  perReadRequestUnit: 0.125 / 1e6,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaPerRequest: 0.2 / 1e6,
  apiGatewayRestPerRequest: 3.5 / 1e6,
  logsIngestionPerGb: 0.5,
};
/** The functions' memory (lib/config.ts default `memorySize` 1024). */
const MEMORY_GB = 1;
/** Lambda's own START/END/REPORT lines per invocation (~3 lines of text), not written by us. */
const PLATFORM_LOG_BYTES = 300;
const ENTRA_CONCURRENCY = 16;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

interface OpRow {
  op: string;
  status: number;
  rcu: number;
  wcu: number;
  calls: number;
  sequential: number;
  ms: number;
  logBytes: number;
}

export interface CostResult {
  prices: typeof PRICES;
  ops: OpRow[];
  perMillion: Record<string, { dynamo: number; lambda: number; apiGateway: number; logs: number; total: number }>;
  cycle: { users: number; requests: number; rcu: number; wcu: number; seconds: number; reqPerSec: number; logBytes: number };
  at100k: { requests: number; rcu: number; wcu: number; dollars: number; minutes: number };
  floor: { rcuPerUser: number; wcuPerUser: number; measuredRcuPerUser: number; measuredWcuPerUser: number };
}

/** Bytes written to stdout/stderr while `run` runs (what Lambda would ship to CloudWatch Logs), not printed. */
async function countingOutput<T>(run: () => Promise<T>): Promise<{ value: T; bytes: () => number }> {
  let bytes = 0;
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  for (const s of streams) {
    s.write = ((chunk: string | Uint8Array) => {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return true;
    }) as typeof s.write;
  }
  try {
    return { value: await run(), bytes: () => bytes };
  } finally {
    streams.forEach((s, i) => (s.write = originals[i] as typeof s.write));
  }
}

export async function measureCost(opts: { users: number }): Promise<CostResult> {
  // The handlers' log lines at INFO and their EMF lines, as deployed (both are what CloudWatch Logs ingests).
  const savedMetrics = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const app = await startLocal({ port: 0, memory: true, logLevel: 'INFO' });
  try {
    setScimDeps({ ...scimDeps(), requestSink: undefined }); // as deployed: the provisioning log goes through CloudWatch Logs
    app.dynamo.client.middlewareStack.remove('scimlinkLocalStream');
    const meter = installMeter(app.dynamo.client);
    const headers = { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' };
    const send = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${app.tenantUrl}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      const json = res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
      return { status: res.status, json };
    };
    const lookup = (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

    // Per operation, one request at a time over 30 users (after a warm-up), averaged.
    await countingOutput(() => send('GET', lookup('warm-up')));
    const samples = new Map<string, Array<Omit<OpRow, 'op'>>>();
    const measure = async (op: string, method: string, path: string, body?: unknown) => {
      meter.reset();
      const started = process.hrtime.bigint();
      const { value, bytes } = await countingOutput(() => send(method, path, body));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const c = meter.read();
      samples.set(op, [...(samples.get(op) ?? []), { status: value.status, rcu: c.rcu, wcu: c.wcu, calls: c.calls, sequential: c.sequential, ms, logBytes: bytes() }]);
      return value;
    };
    for (let i = 0; i < 30; i++) {
      const body = userBody('cost', 7, i);
      await measure('lookup (userName eq, none)', 'GET', lookup(body.userName));
      const created = await measure('POST /Users', 'POST', '/Users', body);
      const id = String(created.json?.id);
      await measure('lookup (userName eq, found)', 'GET', lookup(body.userName));
      await measure('GET /Users/{id}', 'GET', `/Users/${id}`);
      await measure('PATCH (multi-attribute)', 'PATCH', `/Users/${id}`, entraMultiPatch('cost', i));
      await measure('PATCH disable', 'PATCH', `/Users/${id}`, entraDisablePatch());
      await measure('DELETE /Users/{id}', 'DELETE', `/Users/${id}`);
    }
    const ops: OpRow[] = [...samples].map(([op, s]) => ({
      op,
      status: s[0]!.status,
      rcu: round(mean(s.map((x) => x.rcu)), 2),
      wcu: round(mean(s.map((x) => x.wcu)), 2),
      calls: round(mean(s.map((x) => x.calls)), 1),
      sequential: round(mean(s.map((x) => x.sequential)), 1),
      ms: round(mean(s.map((x) => x.ms)), 1),
      logBytes: Math.round(mean(s.map((x) => x.logBytes))),
    }));

    // An initial cycle at Entra's concurrency: each user looked up, then created.
    meter.reset();
    let next = 0;
    let requests = 0;
    let failures = 0;
    const started = process.hrtime.bigint();
    const { bytes } = await countingOutput(() =>
      Promise.all(
        Array.from({ length: ENTRA_CONCURRENCY }, async () => {
          for (let i = next++; i < opts.users; i = next++) {
            const body = userBody('init', 8, i);
            const found = await send('GET', lookup(body.userName));
            const made = await send('POST', '/Users', body);
            requests += 2;
            if (found.status !== 200 || made.status !== 201) failures++;
          }
        }),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (failures > 0) throw new Error(`cost cycle: ${failures} users failed`);
    const total = meter.read();
    const cycle = { users: opts.users, requests, rcu: round(total.rcu, 1), wcu: round(total.wcu, 1), seconds: round(seconds, 1), reqPerSec: round(requests / seconds, 0), logBytes: bytes() };

    const byOp = new Map(ops.map((o) => [o.op, o]));
    const price = (o: OpRow) => ({
      dynamo: o.rcu * PRICES.perReadRequestUnit + o.wcu * PRICES.perWriteRequestUnit,
      // Lambda bills each invocation's duration, rounded up to the millisecond, at the function's memory.
      lambda: PRICES.lambdaPerRequest + (Math.ceil(o.ms) / 1000) * MEMORY_GB * PRICES.lambdaPerGbSecondArm,
      apiGateway: PRICES.apiGatewayRestPerRequest,
      logs: ((o.logBytes + PLATFORM_LOG_BYTES) / 1e9) * PRICES.logsIngestionPerGb,
    });
    const perMillion: CostResult['perMillion'] = {};
    const mixes: Record<string, string[]> = {
      'initial cycle (lookup, create)': ['lookup (userName eq, none)', 'POST /Users'],
      'incremental cycle (lookup, PATCH)': ['lookup (userName eq, found)', 'PATCH (multi-attribute)'],
      'whole life (lookup, create, GET, PATCH, disable, DELETE)': ['lookup (userName eq, none)', 'POST /Users', 'GET /Users/{id}', 'PATCH (multi-attribute)', 'PATCH disable', 'DELETE /Users/{id}'],
    };
    for (const [mix, names] of Object.entries(mixes)) {
      const parts = names.map((n) => price(byOp.get(n)!));
      const avg = (k: 'dynamo' | 'lambda' | 'apiGateway' | 'logs') => round((1e6 * parts.reduce((s, p) => s + p[k], 0)) / parts.length, 2);
      const row = { dynamo: avg('dynamo'), lambda: avg('lambda'), apiGateway: avg('apiGateway'), logs: avg('logs'), total: 0 };
      row.total = round(row.dynamo + row.lambda + row.apiGateway + row.logs, 2);
      perMillion[mix] = row;
    }
    const scale = 100_000 / opts.users;
    const initial = perMillion['initial cycle (lookup, create)']!;
    const at100k = {
      requests: Math.round(requests * scale),
      rcu: Math.round(total.rcu * scale),
      wcu: Math.round(total.wcu * scale),
      dollars: round(((requests * scale) / 1e6) * initial.total, 2),
      minutes: round((seconds * scale) / 60, 1),
    };
    // The floor: auth's read (1 strongly consistent read unit; no cache may outlive a revocation) on each of the two
    // requests, the lookup's sentinel read (1), and one TransactWriteItems of the user item and one sentinel per
    // unique value (userName, work email, mobile: 4 items of ≤ 1 KB, transactional = 2 units each).
    const floor = { rcuPerUser: 3, wcuPerUser: 8, measuredRcuPerUser: round(total.rcu / opts.users, 2), measuredWcuPerUser: round(total.wcu / opts.users, 2) };
    return { prices: PRICES, ops, perMillion, cycle, at100k, floor };
  } finally {
    await app.close();
    process.env.POWERTOOLS_METRICS_DISABLED = savedMetrics;
    if (savedMetrics === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
}

/** The tables `npm run bench` prints for section 7. */
export function costTables(r: CostResult): string[] {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  return [
    table(
      `7a. Cost per SCIM operation (local server as deployed, one request at a time, mean of 30; logs = our request line + EMF line)`,
      ['operation', 'status', 'RCU', 'WCU', 'calls', 'round trips', 'local ms', 'log bytes'],
      r.ops.map((o) => [o.op, o.status, o.rcu, o.wcu, o.calls, o.sequential, o.ms, o.logBytes]),
    ),
    table(
      `7b. Cost per million Entra operations (USD, on-demand list prices ${r.prices.region}, read ${r.prices.date}; Lambda arm64 ${MEMORY_GB * 1024} MB billed at the local ms)`,
      ['mix', 'DynamoDB', 'Lambda', 'API Gateway', 'CloudWatch Logs', 'total'],
      Object.entries(r.perMillion).map(([mix, p]) => [mix, usd(p.dynamo), usd(p.lambda), usd(p.apiGateway), usd(p.logs), usd(p.total)]),
    ),
    table(
      `7c. Initial cycle at ${ENTRA_CONCURRENCY} in flight: measured for ${r.cycle.users} users, extrapolated to 100,000 (per-user cost is flat in the directory size)`,
      ['users', 'requests', 'RCU', 'WCU', 'wall', 'req/s', 'cost'],
      [
        [r.cycle.users, r.cycle.requests, r.cycle.rcu, r.cycle.wcu, `${r.cycle.seconds} s`, r.cycle.reqPerSec, ''],
        ['100,000', r.at100k.requests, r.at100k.rcu, r.at100k.wcu, `${r.at100k.minutes} min`, r.cycle.reqPerSec, usd(r.at100k.dollars)],
      ],
    ),
    table(
      '7d. DynamoDB per user of an initial cycle vs the physical floor (auth read ×2 + sentinel lookup; one transaction: user + 3 sentinels, transactional)',
      ['', 'RCU per user', 'WCU per user'],
      [
        ['floor', r.floor.rcuPerUser, r.floor.wcuPerUser],
        ['measured', r.floor.measuredRcuPerUser, r.floor.measuredWcuPerUser],
        ['measured / floor', round(r.floor.measuredRcuPerUser / r.floor.rcuPerUser, 2), round(r.floor.measuredWcuPerUser / r.floor.wcuPerUser, 2)],
      ],
    ),
  ];
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const usersArg = process.argv.find((a) => a.startsWith('--users='));
  void measureCost({ users: usersArg ? Number(usersArg.slice('--users='.length)) : 2000 }).then((r) => {
    for (const t of costTables(r)) console.log(t);
  });
}
