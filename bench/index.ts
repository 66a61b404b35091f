/**
 * `npm run bench` — scimlink's performance, each figure next to its target (issue #5):
 *   1. DynamoDB round trips, calls and capacity units per SCIM operation;
 *   2. cold start: every handler bundled as the CDK app bundles it, size and import time vs. an empty handler and
 *      the SDK floor;
 *   3. throughput and latency of Entra's provisioning cycle mix against the local server, concurrency 1 and 16,
 *      and our own CPU per request with DynamoDB mocked;
 *   4. scale: lookups with 1,000 vs 100,000 users;
 *   5. a peer (SCIMMY + scimmy-routers on express, in memory) side by side;
 *   6. the browser console: shipped JS/CSS (gzip) and first load in headless Chromium;
 *   7. the worst request of each route shape at 100,000 users, authenticated and not (issue 13);
 *   8. the cost model: capacity, duration and log bytes per operation priced at on-demand list prices, and a
 *      100,000-user initial cycle (bench/cost.ts, docs/cost.md);
 *   9. one CLI command's start-up, the installed bundle vs. the checkout's tsx.
 * Prints tables and writes bench/results.json (sections 1-5, 7-9) and bench/console.json (6). `--quick` (≤ 60 s) runs
 * fewer users and samples; `--users=N` sets the cycle's users. `--only=roundTrips,bundles,cycle,handlerCpu,scale,peer,console,edge,cost,cliStart` runs a subset (the
 * others are left out of the files).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureColdStart } from './cold-start';
import { measureCliStart } from './cli-start';
import { measureConsole } from './console';
import { measureEdge } from './edge';
import { costTables, measureCost } from './cost';
import { runCycle, type CycleResult } from './cycle';
import { measureHandlerCpu } from './handler-cpu';
import { measureRoundTrips } from './round-trips';
import { runScale, type ScaleResult } from './scale';
import { startServerProcess, type BenchServer } from './lib/child';
import { startNpmStart } from './lib/npm-start';
import { mark, table } from './lib/table';
import { round } from './lib/stats';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Like the handlers' log lines (SILENT in the bench), their EMF metric lines stay off stdout (server children inherit this).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const SECTIONS = ['roundTrips', 'bundles', 'cycle', 'handlerCpu', 'scale', 'peer', 'edge', 'cost', 'cliStart'] as const;
type Section = (typeof SECTIONS)[number];

const TARGETS = {
  importOverFloor: 1.15,
  reqPerSecAt16: 500,
  p99Ms: 100,
  handlerCpuUs: 250,
  scaleRatio: 1.2,
  oursOverTheirs: 0.5,
  /** `npm start` as a user runs it (issue 16, item 5). */
  npmStartOverTheirs: 0.5,
  userNameEqOverTheirs: 0.1,
};

/** The handlers whose bundles differ in what they import (quick mode measures these; full mode all of them). */
const QUICK_BUNDLES = ['users-get', 'users-create', 'admin-users-get'];

interface Options {
  quick: boolean;
  only: Set<Section>;
  /** Section 6, kept out of results.json (its six keys are sections 1-5): written to bench/console.json. */
  console: boolean;
  /** `--users=N`: users of the measured cycle runs (default 1,000; 80 with --quick). */
  users?: number;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = new Set<Section>(
    onlyArg ? (onlyArg.slice('--only='.length).split(',').filter((s): s is Section => (SECTIONS as readonly string[]).includes(s))) : SECTIONS,
  );
  const consoleOnly = onlyArg ? onlyArg.slice('--only='.length).split(',').includes('console') : true;
  const usersArg = argv.find((a) => a.startsWith('--users='));
  const users = usersArg ? Number(usersArg.slice('--users='.length)) : undefined;
  if (users !== undefined && !(Number.isInteger(users) && users > 0)) throw new Error(`--users needs a positive whole number, got '${usersArg}'`);
  return { quick, only, console: consoleOnly, ...(users !== undefined ? { users } : {}) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const elapsed = () => `${round((Date.now() - started) / 1000, 1)} s`;
  const results: Partial<Record<Section, unknown>> = {};
  const out: string[] = [];
  const print = (s: string) => {
    out.push(s);
    console.log(s);
  };
  const users = opts.users ?? (opts.quick ? 80 : 1000);
  const scaleSizes = opts.quick ? { small: 1000, large: 4_000, samples: 40 } : { small: 1000, large: 100_000, samples: 200 };
  const os = await import('node:os');
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  // Other processes on this machine skew every timing: the load average is printed with the figures.
  print(`scimlink bench (${opts.quick ? 'quick' : 'full'}) — node ${process.version}, ${os.cpus().length} cores, load average ${load()}`);

  // 1. Round trips and capacity.
  if (opts.only.has('roundTrips')) {
    const rows = await measureRoundTrips();
    results.roundTrips = Object.fromEntries(
      Object.entries(rows).map(([op, r]) => [op, { sequential: r.sequential, calls: r.calls, rcu: r.rcu, wcu: r.wcu, target: r.target, status: r.status, commands: r.commands }]),
    );
    print(
      table(
        '1. DynamoDB per SCIM operation (warm container; deployed request path)',
        ['operation', 'status', 'sequential', 'target', '', 'calls', 'RCU', 'WCU', 'commands'],
        Object.entries(rows).map(([op, r]) => [op, r.status, r.sequential, `≤ ${r.target}`, mark(r.sequential <= r.target), r.calls, r.rcu, r.wcu, abbreviate(r.commands)]),
      ),
    );
    print(`   (${elapsed()})`);
  }

  // 2. Cold start.
  if (opts.only.has('bundles')) {
    const cold = await measureColdStart({ runs: opts.quick ? 11 : 21, withSourceMaps: !opts.quick, ...(opts.quick ? { handlers: QUICK_BUNDLES } : {}) });
    const floor = cold.sdkFloorImportMsMedian;
    results.bundles = { ...cold.bundles, emptyImportMsMedian: cold.emptyImportMsMedian, sdkFloorImportMsMedian: floor, emptyImportWallMsMedian: cold.emptyImportWallMsMedian, sdkFloorImportWallMsMedian: cold.sdkFloorImportWallMsMedian, emptyBytes: cold.emptyBytes, sdkFloorBytes: cold.sdkFloorBytes, runs: cold.runs, ...(cold.sdkFloorWithSourceMapsMs !== undefined ? { sdkFloorImportMsMedianWithSourceMaps: cold.sdkFloorWithSourceMapsMs } : {}) };
    const withMaps = cold.sdkFloorWithSourceMapsMs !== undefined;
    print(
      table(
        `2. Cold start: bundle size and import time (CPU ms, median of ${cold.runs} fresh node processes; wall ms beside); target ≤ ${TARGETS.importOverFloor}× SDK floor, no unneeded client`,
        ['bundle', 'KB', 'import ms', '× floor', '', 'wall ms', ...(withMaps ? ['with --enable-source-maps'] : []), 'clients', 'unneeded'],
        [
          ['(empty handler)', kb(cold.emptyBytes), cold.emptyImportMsMedian, '', '', cold.emptyImportWallMsMedian, ...(withMaps ? [''] : []), '', ''],
          ['(SDK floor: DocumentClient + 1 command)', kb(cold.sdkFloorBytes), floor, '1.00', '', cold.sdkFloorImportWallMsMedian, ...(withMaps ? [cold.sdkFloorWithSourceMapsMs ?? ''] : []), 'dynamodb', ''],
          ...Object.entries(cold.bundles).map(([name, b]) => {
            const ratio = b.importMsMedian / floor;
            return [
              name,
              kb(b.bytes),
              b.importMsMedian,
              ratio.toFixed(2),
              mark(ratio <= TARGETS.importOverFloor && b.unneededClients.length === 0),
              b.importWallMsMedian,
              ...(withMaps ? [b.importMsMedianWithSourceMaps ?? ''] : []),
              b.clients.join('+'),
              b.unneededClients.join('+') || '-',
            ];
          }),
        ],
      ),
    );
    print(`   (${elapsed()})`);
  }

  // 3a. In-process CPU per request.
  if (opts.only.has('handlerCpu')) {
    const cpu = await measureHandlerCpu({ iterations: opts.quick ? 300 : 3000 });
    results.handlerCpu = { ...Object.fromEntries(Object.entries(cpu.ops).map(([op, r]) => [op, { usMedian: r.usMedian, usMedianWall: r.usMedianWall, status: r.status }])), mockSendUs: cpu.mockSendUs, sdkCallUs: cpu.sdkCallUs };
    print(
      table(
        `3a. Our CPU per request, handler invoked in-process, DynamoDB mocked (median CPU µs of ${cpu.iterations}; wall µs beside); target ≤ ${TARGETS.handlerCpuUs} µs`,
        ['operation', 'status', 'CPU µs', '', 'wall µs'],
        Object.entries(cpu.ops).map(([op, r]) => [op, r.status, r.usMedian, mark(r.usMedian <= TARGETS.handlerCpuUs), r.usMedianWall]),
      ),
    );
    print(`   not ours: one real AWS SDK call costs ${cpu.sdkCallUs} µs of CPU (DocumentClient GetCommand, HTTP answered at once); the mock ${cpu.mockSendUs} µs`);
    print(`   (${elapsed()})`);
  }

  // 3b, 4, 5: servers in their own processes.
  const needOurs = opts.only.has('cycle') || opts.only.has('scale') || opts.only.has('peer');
  let ours: { cycle: CycleResult[]; npmStart?: CycleResult; scale?: ScaleResult } | undefined;
  let theirs: { name: string; cycle: CycleResult[]; scale?: ScaleResult } | undefined;
  if (needOurs) {
    ours = await serverRuns('ours.ts', ['--as-deployed'], { users, quick: opts.quick, disableValue: 'False' });
    if (opts.only.has('scale') || opts.only.has('peer')) ours.scale = await runScale('ours.ts', ['--as-deployed'], scaleSizes);
    if (opts.only.has('cycle') || opts.only.has('peer')) {
      // `npm start` as a user runs it (npm, tsx, the on-disk store in a fresh data dir, the emulated stream, the
      // provisioning log), warmed up like the others.
      const server = await startNpmStart();
      try {
        await runCycle(server, { users: opts.quick ? 300 : 100, concurrency: opts.quick ? 16 : 4, series: 90, disableValue: 'False' });
        ours.npmStart = await runCycle(server, { users, concurrency: 16, series: 91, disableValue: 'False' });
      } finally {
        await server.stop();
      }
    }
  }
  if (ours && opts.only.has('cycle')) {
    results.cycle = ours.cycle.map((c) => ({ ...c, server: 'as deployed', loadAverage: os.loadavg()[0] }));
    if (ours.npmStart) (results.cycle as unknown[]).push({ ...ours.npmStart, server: 'npm start' });
    print(
      table(
        `3b. Entra cycle mix (probe → POST → GET → PATCH → PATCH disable → DELETE) on the local server; targets at concurrency 16: ≥ ${TARGETS.reqPerSecAt16} req/s, p99 ≤ ${TARGETS.p99Ms} ms`,
        ['server', 'users', 'conc.', 'req/s', '', 'p50 ms', 'p95 ms', 'p99 ms', '', 'errors', 'server CPU ms/req'],
        [...ours.cycle.map((c) => ['as deployed', c] as const), ...(ours.npmStart ? [['npm start (as a user runs it)', ours.npmStart] as const] : [])].map(([label, c]) => [
          label,
          c.users,
          c.concurrency,
          c.reqPerSec,
          c.concurrency === 16 ? mark(c.reqPerSec >= TARGETS.reqPerSecAt16) : '',
          c.p50Ms,
          c.p95Ms,
          c.p99Ms,
          c.concurrency === 16 ? mark(c.p99Ms <= TARGETS.p99Ms) : '',
          c.errors,
          c.serverCpuMsPerRequest ?? '',
        ]),
      ),
    );
    const c16 = ours.cycle.find((c) => c.concurrency === 16);
    if (c16) {
      print(
        table(
          '    per operation at concurrency 16 (as deployed)',
          ['operation', 'p50 ms', 'p95 ms', 'p99 ms'],
          Object.entries(c16.perOp).map(([op, p]) => [op, p.p50Ms, p.p95Ms, p.p99Ms]),
        ),
      );
    }
    for (const c of ours.cycle) if (c.firstErrors.length) print(`   errors at concurrency ${c.concurrency}: ${c.firstErrors.join(' | ')}`);
    print(`   (${elapsed()})`);
  }

  if (opts.only.has('peer') && peerInstalled()) {
    theirs = await serverRuns('scimmy.mjs', [], { users, quick: opts.quick, disableValue: false });
    theirs.scale = await runScale('scimmy.mjs', [], scaleSizes);
  }

  if (ours?.scale && opts.only.has('scale')) {
    const s = ours.scale;
    results.scale = { smallUsers: s.small.users, largeUsers: s.large.users, ratioUserNameEq: s.ratioUserNameEq, ratioGetById: s.ratioGetById, small: s.small, large: s.large };
    print(
      table(
        `4. Scale: one request at a time, median ms; target ratio ≤ ${TARGETS.scaleRatio}`,
        ['lookup', `${s.small.users} users`, `${s.large.users} users`, 'ratio', ''],
        [
          ['filter userName eq', s.small.userNameEqMs, s.large.userNameEqMs, s.ratioUserNameEq, mark(s.ratioUserNameEq <= TARGETS.scaleRatio)],
          ['GET /Users/{id}', s.small.getByIdMs, s.large.getByIdMs, s.ratioGetById, mark(s.ratioGetById <= TARGETS.scaleRatio)],
        ],
      ),
    );
    print(`   two servers, requests alternating between them; seeded straight into the store: ${s.small.users} users in ${s.small.seedMs} ms, ${s.large.users} in ${s.large.seedMs} ms`);
  }

  if (opts.only.has('peer')) {
    if (!theirs || !ours) {
      print('\n5. Peer: skipped — install it with `npm install --no-save scimmy scimmy-routers express` (or add them as devDependencies).');
      results.peer = { name: 'SCIMMY + scimmy-routers (not installed)', reqPerSec: null, oursOverTheirs: null, userNameEqMsAtLarge: null, oursOverTheirsUserNameEqAtLarge: null };
    } else {
      const our16 = ours.cycle.find((c) => c.concurrency === 16);
      const their16 = theirs.cycle.find((c) => c.concurrency === 16);
      const ratio = our16 && their16 ? round(our16.reqPerSec / their16.reqPerSec, 2) : null;
      const npmStartRatio = ours.npmStart && their16 ? round(ours.npmStart.reqPerSec / their16.reqPerSec, 2) : null;
      const ourLarge = ours.scale?.large.userNameEqMs;
      const theirLarge = theirs.scale?.large.userNameEqMs;
      const lookupRatio = ourLarge !== undefined && theirLarge !== undefined ? round(ourLarge / theirLarge, 3) : null;
      results.peer = {
        name: theirs.name,
        reqPerSec: their16?.reqPerSec ?? null,
        oursOverTheirs: ratio,
        npmStartReqPerSec: ours.npmStart?.reqPerSec ?? null,
        npmStartOverTheirs: npmStartRatio,
        userNameEqMsAtLarge: theirLarge ?? null,
        oursOverTheirsUserNameEqAtLarge: lookupRatio,
        largeUsers: theirs.scale?.large.users,
        cycle: theirs.cycle,
        scale: theirs.scale,
      };
      print(
        table(
          `5. Peer side by side: ${theirs.name}`,
          ['figure', 'scimlink', 'peer', 'ours ÷ theirs', 'target', ''],
          [
            ...(our16 && their16
              ? [
                  ['cycle mix req/s, concurrency 1', ours.cycle.find((c) => c.concurrency === 1)?.reqPerSec ?? '', theirs.cycle.find((c) => c.concurrency === 1)?.reqPerSec ?? '', '', '', ''],
                  ['cycle mix req/s, concurrency 16', our16.reqPerSec, their16.reqPerSec, ratio ?? '', `≥ ${TARGETS.oursOverTheirs}`, mark(ratio !== null && ratio >= TARGETS.oursOverTheirs)],
                  ['cycle mix p99 ms, concurrency 16', our16.p99Ms, their16.p99Ms, round(our16.p99Ms / their16.p99Ms, 2), '', ''],
                  ...(ours.npmStart
                    ? [['npm start: cycle mix req/s, concurrency 16', ours.npmStart.reqPerSec, their16.reqPerSec, npmStartRatio ?? '', `≥ ${TARGETS.npmStartOverTheirs}`, mark(npmStartRatio !== null && npmStartRatio >= TARGETS.npmStartOverTheirs)]]
                    : []),
                ]
              : []),
            ...(ours.scale && theirs.scale
              ? [
                  [`userName eq ms at ${ours.scale.small.users} users`, ours.scale.small.userNameEqMs, theirs.scale.small.userNameEqMs, round(ours.scale.small.userNameEqMs / theirs.scale.small.userNameEqMs, 3), '', ''],
                  [`userName eq ms at ${ours.scale.large.users} users`, ourLarge ?? '', theirLarge ?? '', lookupRatio ?? '', `≤ ${TARGETS.userNameEqOverTheirs}`, mark(lookupRatio !== null && lookupRatio <= TARGETS.userNameEqOverTheirs)],
                ]
              : []),
          ],
        ),
      );
      for (const c of theirs.cycle) if (c.errors) print(`   peer errors at concurrency ${c.concurrency}: ${c.errors} (${c.firstErrors.join(' | ')})`);
    }
  }

  // 6. The browser console.
  if (opts.console) {
    const c = await measureConsole({ runs: opts.quick ? 5 : 20 });
    const kbGz = (n: number) => `${round(n / 1024, 1)} KB`;
    print(
      table(
        `6. Browser console: shipped size (console/build.ts; target JS + CSS < 30 KB gzip)`,
        ['file', 'bytes', 'gzip', ''],
        [
          ...Object.entries(c.files).map(([name, f]) => [name, f.bytes, kbGz(f.gzipBytes), '']),
          ['app.js + app.css', '', kbGz(c.jsCssGzipBytes), mark(c.jsCssGzipBytes < 30 * 1024)],
        ],
      ),
    );
    if ('skipped' in c.firstLoad) print(`   first load: skipped — ${c.firstLoad.skipped}`);
    else {
      const f = c.firstLoad;
      print(
        table(
          `   first load on the local server, navigation start → accounts list painted (${f.accounts} accounts, ${f.runs} runs, headless Chromium)`,
          ['cache', 'median ms', 'p95 ms', 'requests'],
          [
            ['cold (cache disabled)', f.coldMsMedian, f.coldMsP95, f.requests],
            ['warm (app.js/app.css cached)', f.warmMsMedian, f.warmMsP95, ''],
          ],
        ),
      );
      print(`   first contentful paint (cold, median): ${f.firstContentfulPaintMsMedian} ms`);
    }
    const consoleFile = join(__dirname, 'console.json');
    writeFileSync(consoleFile, `${JSON.stringify(c, null, 2)}\n`);
    print(`   wrote ${consoleFile} (${elapsed()})`);
  }

  // 7. The worst request of each route shape on a big account (issue 13): authenticated and with a junk token.
  if (opts.only.has('edge')) {
    const edge = await measureEdge(opts.quick ? 4_000 : 100_000);
    results.edge = edge;
    print(
      table(
        `7. Worst request of each route shape at ${edge.users.toLocaleString('en-US')} users (seeded in ${round(edge.seedMs / 1000, 1)} s): items read, RCU, ms — authenticated | junk token`,
        ['route shape', 'status', 'items', 'RCU', 'ms', '| junk', 'items', 'RCU', 'ms'],
        edge.rows.map((r) => [r.shape, r.status, r.itemsRead, r.rcu, r.ms, r.junkStatus, r.junkItemsRead, r.junkRcu, r.junkMs]),
      ),
    );
    print(`   (${elapsed()})`);
  }

  // 8. Cost model: capacity, duration and log bytes per operation, priced; an initial cycle extrapolated to 100k.
  if (opts.only.has('cost')) {
    const cost = await measureCost({ users: opts.quick ? 200 : 2000 });
    results.cost = cost;
    for (const t of costTables(cost)) print(t);
    print(`   prices: ${JSON.stringify(cost.prices)}`);
    print(`   (${elapsed()})`);
  }

  // 9. One CLI command's start-up, bundled (installed) vs. the checkout's tsx.
  if (opts.only.has('cliStart')) {
    const c = measureCliStart(opts.quick ? 5 : 15);
    results.cliStart = c;
    print(
      table(`9. CLI start-up: \`scimlink accounts --help\` in a fresh node, median of ${c.runs}`, ['how', 'ms', 'size'], [
        ['installed bundle (npm run pack:cli)', c.bundledMsMedian, `${Math.round(c.bundleBytes / 1024)} KB`],
        ['checkout (cli/bin.cjs via tsx)', c.checkoutMsMedian, ''],
      ]),
    );
  }

  const file = join(__dirname, 'results.json');
  const ordered = Object.fromEntries(SECTIONS.filter((s) => results[s] !== undefined).map((s) => [s, results[s]]));
  // `--only=console` leaves results.json as it was rather than overwrite it with nothing.
  if (Object.keys(ordered).length > 0) {
    writeFileSync(file, `${JSON.stringify(ordered, null, 2)}\n`);
    print(`\nwrote ${file} (${elapsed()}; load average now ${load()})`);
  }
}

/** Warm-up, then the cycle at concurrency 1 and 16, on one server process. */
async function serverRuns(script: string, args: string[], o: { users: number; quick: boolean; disableValue: 'False' | false }): Promise<{ name: string; cycle: CycleResult[]; scale?: ScaleResult }> {
  const server: BenchServer = await startServerProcess(script, args);
  try {
    // JIT warm-up: the SDK and dynalite need ~2,000 requests to reach steady state (in quick mode there are fewer
    // measured requests afterwards to finish it, so it is longer).
    await runCycle(server, { users: o.quick ? 300 : 100, concurrency: o.quick ? 16 : 4, series: 10, disableValue: o.disableValue });
    const cycle: CycleResult[] = [];
    for (const concurrency of [1, 16]) cycle.push(await runCycle(server, { users: o.users, concurrency, series: 20 + concurrency, disableValue: o.disableValue }));
    return { name: server.name, cycle };
  } finally {
    await server.stop();
  }
}

function peerInstalled(): boolean {
  try {
    for (const p of ['scimmy', 'scimmy-routers', 'express']) require.resolve(p);
    return true;
  } catch {
    return false;
  }
}

const kb = (bytes: number) => round(bytes / 1024, 0);

/** "GetItemCommand, GetItemCommand, TransactWriteItemsCommand" → "2 GetItem, TransactWriteItems". */
function abbreviate(commands: string[]): string {
  const counts = new Map<string, number>();
  for (const c of commands) counts.set(c.replace(/Command$/, ''), (counts.get(c.replace(/Command$/, '')) ?? 0) + 1);
  return [...counts].map(([c, n]) => (n > 1 ? `${n} ${c}` : c)).join(', ');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
