/**
 * `npx tsx bench/npm-start-vs-peer.ts [users]` — just the issue-16 comparison, without the rest of the bench:
 * `npm start` as a user runs it (bench/lib/npm-start.ts) and the peer (SCIMMY + express), one after the other,
 * each warmed up (100 users at concurrency 4), then Entra's cycle mix for `users` (default 1,000) at concurrency 16.
 * Prints req/s, p99 and the server's CPU ms per request (the figure other load on the machine changes least).
 */
import { loadavg } from 'node:os';
import { runCycle } from './cycle';
import { startServerProcess, type BenchServer } from './lib/child';
import { startNpmStart } from './lib/npm-start';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main() {
  const users = Number(process.argv[2] ?? 1000);
  const runs: Array<[string, () => Promise<BenchServer>, 'False' | false]> = [
    ['npm start', startNpmStart, 'False'],
    ['peer', () => startServerProcess('scimmy.mjs'), false],
  ];
  const reqPerSec: number[] = [];
  for (const [name, start, disableValue] of runs) {
    const server = await start();
    try {
      await runCycle(server, { users: 100, concurrency: 4, series: 10, disableValue });
      const r = await runCycle(server, { users, concurrency: 16, series: 91, disableValue });
      reqPerSec.push(r.reqPerSec);
      console.log(`${name}: ${r.reqPerSec} req/s, p99 ${r.p99Ms} ms, server CPU ${r.serverCpuMsPerRequest ?? '?'} ms/request, ${r.errors} errors (load average ${loadavg()[0]?.toFixed(1)})`);
    } finally {
      await server.stop();
    }
  }
  console.log(`npm start ÷ peer: ${((reqPerSec[0] ?? 0) / (reqPerSec[1] ?? 1)).toFixed(2)} (target ≥ 0.5)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
