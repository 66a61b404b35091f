/**
 * `npx tsx bench/npm-start-vs-peer.ts [users] [--rounds N]` — just the issue-16 comparison, without the rest of the
 * bench: `npm start` as a user runs it (bench/lib/npm-start.ts), `npm start -- --memory`, the same handlers as
 * deployed (bench/servers/ours.ts --as-deployed: in memory, no local stand-ins) and the peer (SCIMMY + express),
 * one after the other, each warmed up (100 users at concurrency 4), then Entra's cycle mix for `users` (default
 * 1,000) at concurrency 16; `--rounds N` alternates the four N times (the machine's noise is larger than most
 * differences). Prints req/s, p99 and the server's CPU ms per request (the figure other load changes least).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runCycle } from './cycle';
import { startServerProcess, type BenchServer } from './lib/child';
import { startNpmStart } from './lib/npm-start';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

async function main() {
  const { values, positionals } = parseArgs({ options: { rounds: { type: 'string' } }, allowPositionals: true });
  const users = Number(positionals[0] ?? 1000);
  const rounds = Number(values.rounds ?? 1);
  const runs: Array<[string, () => Promise<BenchServer>, 'False' | false]> = [
    ['npm start', () => startNpmStart(), 'False'],
    ['npm start -- --memory', () => startNpmStart(['npm', 'start', '--silent', '--', '--memory']), 'False'],
    ['as deployed', () => startServerProcess('ours.ts', ['--as-deployed']), 'False'],
    ['peer', () => startServerProcess('scimmy.mjs'), false],
  ];
  for (let round = 1; round <= rounds; round++) {
    const reqPerSec: Record<string, number> = {};
    for (const [name, start, disableValue] of runs) {
      const server = await start();
      try {
        await runCycle(server, { users: 100, concurrency: 4, series: 10, disableValue });
        const r = await runCycle(server, { users, concurrency: 16, series: 91, disableValue });
        reqPerSec[name] = r.reqPerSec;
        console.log(`${name}: ${r.reqPerSec} req/s, p99 ${r.p99Ms} ms, server CPU ${r.serverCpuMsPerRequest ?? '?'} ms/request, ${r.errors} errors (load average ${loadavg()[0]?.toFixed(1)})`);
      } finally {
        await server.stop();
      }
    }
    const peer = reqPerSec.peer ?? 1;
    const ratios = runs.slice(0, -1).map(([name]) => `${name} ${((reqPerSec[name] ?? 0) / peer).toFixed(2)}`);
    console.log(`round ${round}, ÷ peer: ${ratios.join(', ')} (target for npm start ≥ 0.5)`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
