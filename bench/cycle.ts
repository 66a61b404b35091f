/**
 * Throughput and latency of Entra's provisioning cycle mix: for each of N users, in order, the Test Connection
 * style probe (`userName eq` a value nobody holds), POST, GET, PATCH (multi-attribute replace), PATCH disable,
 * DELETE. `concurrency` workers each take the next user and run its six requests in sequence.
 */
import { percentile, round } from './lib/stats';
import { scimClient } from './lib/http';
import { entraDisablePatch, entraMultiPatch, userBody } from './lib/users';
import type { BenchServer } from './lib/child';
import { ownCpuMs } from './lib/cpu';

export const CYCLE_OPS = ['probe', 'POST', 'GET', 'PATCH', 'PATCH disable', 'DELETE'] as const;
export type CycleOp = (typeof CYCLE_OPS)[number];

export interface CycleResult {
  users: number;
  concurrency: number;
  requests: number;
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  perOp: Record<CycleOp, { p50Ms: number; p95Ms: number; p99Ms: number }>;
  /**
   * CPU time the server process spent per request (user + system, all its threads; from /proc, so Linux only):
   * what the server's own work costs, which other load on the machine barely changes — unlike req/s and latency.
   */
  serverCpuMsPerRequest?: number;
  /** The first few unexpected answers (status and a body excerpt), to make a failure readable. */
  firstErrors: string[];
}

const EXPECTED: Record<CycleOp, number> = { probe: 200, POST: 201, GET: 200, PATCH: 200, 'PATCH disable': 200, DELETE: 204 };

export async function runCycle(server: BenchServer, opts: { users: number; concurrency: number; series: number; disableValue?: 'False' | false }): Promise<CycleResult> {
  const client = scimClient(server.tenantUrl, server.token, opts.concurrency * 2);
  const prefix = `c${opts.series}x${opts.concurrency}u`;
  const samples = Object.fromEntries(CYCLE_OPS.map((op) => [op, [] as number[]])) as Record<CycleOp, number[]>;
  let errors = 0;
  const firstErrors: string[] = [];
  const record = (op: CycleOp, r: { status: number; ms: number; body: string }) => {
    samples[op].push(r.ms);
    if (r.status !== EXPECTED[op]) {
      errors++;
      if (firstErrors.length < 5) firstErrors.push(`${op}: ${r.status} ${r.body.slice(0, 200)}`);
    }
  };
  let nextUser = 0;
  const worker = async () => {
    for (let i = nextUser++; i < opts.users; i = nextUser++) {
      const probe = await client.send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${prefix}${i}-probe-${Math.random()}"`)}`);
      record('probe', probe);
      const created = await client.send('POST', '/Users', userBody(prefix, opts.series, i));
      record('POST', created);
      const id = created.status === 201 ? (JSON.parse(created.body) as { id: string }).id : 'missing';
      record('GET', await client.send('GET', `/Users/${id}`));
      record('PATCH', await client.send('PATCH', `/Users/${id}`, entraMultiPatch(prefix, i)));
      record('PATCH disable', await client.send('PATCH', `/Users/${id}`, entraDisablePatch(opts.disableValue)));
      record('DELETE', await client.send('DELETE', `/Users/${id}`));
    }
  };
  const cpuMs = server.cpuMs ?? (() => ownCpuMs(server.pid));
  const cpuBefore = cpuMs();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = cpuMs();
  client.close();
  const all = CYCLE_OPS.flatMap((op) => samples[op]);
  const perOp = Object.fromEntries(
    CYCLE_OPS.map((op) => [op, { p50Ms: round(percentile(samples[op], 50), 2), p95Ms: round(percentile(samples[op], 95), 2), p99Ms: round(percentile(samples[op], 99), 2) }]),
  ) as CycleResult['perOp'];
  return {
    users: opts.users,
    concurrency: opts.concurrency,
    requests: all.length,
    errors,
    reqPerSec: round(all.length / seconds, 0),
    p50Ms: round(percentile(all, 50), 2),
    p95Ms: round(percentile(all, 95), 2),
    p99Ms: round(percentile(all, 99), 2),
    perOp,
    ...(cpuBefore !== undefined && cpuAfter !== undefined && all.length > 0 ? { serverCpuMsPerRequest: round((cpuAfter - cpuBefore) / all.length, 3) } : {}),
    firstErrors,
  };
}
