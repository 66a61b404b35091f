/**
 * Scale: `userName eq` and GET-by-id latency with a small and a large directory (1,000 vs 100,000 users by
 * default). Two server processes, one per size, seeded straight into their stores (not over HTTP); then the
 * requests alternate between them, one at a time — small, large, large, small, … — so that whatever else loads the
 * machine meanwhile weighs on both alike. Medians. scimlink looks both up by key, so nothing should grow with the
 * table: the target ratio is ≤ 1.2.
 */
import { median, round } from './lib/stats';
import { scimClient, type ScimClient } from './lib/http';
import { startServerProcess, type BenchServer } from './lib/child';

/** Requests answered before the measured ones (JIT, caches, connection pools). */
const WARM_UP = 40;

export interface ScaleRun {
  users: number;
  seedMs: number;
  userNameEqMs: number;
  getByIdMs: number;
}

export interface ScaleResult {
  small: ScaleRun;
  large: ScaleRun;
  ratioUserNameEq: number;
  ratioGetById: number;
}

export async function runScale(script: string, args: string[], opts: { small: number; large: number; samples: number }): Promise<ScaleResult> {
  const servers: BenchServer[] = [];
  try {
    servers.push(await startServerProcess(script, args), await startServerProcess(script, args));
    const [smallServer, largeServer] = servers as [BenchServer, BenchServer];
    const n = opts.samples + WARM_UP;
    const [small, large] = await Promise.all([smallServer.seed(0, opts.small, n), largeServer.seed(0, opts.large, n)]);
    const sides = [
      { seeded: small, client: scimClient(smallServer.tenantUrl, smallServer.token, 2), byName: [] as number[], byId: [] as number[] },
      { seeded: large, client: scimClient(largeServer.tenantUrl, largeServer.token, 2), byName: [] as number[], byId: [] as number[] },
    ];
    try {
      for (let i = 0; i < n; i++) {
        // Alternate which size goes first, so neither always follows the other.
        for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
          const u = side.seeded.sample[i];
          if (!u) continue;
          const [byName, byId] = await lookups(side.client, u);
          if (i < WARM_UP) continue;
          side.byName.push(byName);
          side.byId.push(byId);
        }
      }
    } finally {
      for (const side of sides) side.client.close();
    }
    const run = (users: number, side: (typeof sides)[number]): ScaleRun => ({
      users,
      seedMs: side.seeded.ms,
      userNameEqMs: round(median(side.byName), 2),
      getByIdMs: round(median(side.byId), 2),
    });
    const s = run(opts.small, sides[0] as (typeof sides)[number]);
    const l = run(opts.large, sides[1] as (typeof sides)[number]);
    return { small: s, large: l, ratioUserNameEq: round(l.userNameEqMs / s.userNameEqMs, 2), ratioGetById: round(l.getByIdMs / s.getByIdMs, 2) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function lookups(client: ScimClient, u: { id: string; userName: string }): Promise<[number, number]> {
  const found = await client.send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}`);
  if (found.status !== 200 || !found.body.includes(u.id)) throw new Error(`userName eq ${u.userName}: ${found.status} ${found.body.slice(0, 200)}`);
  const got = await client.send('GET', `/Users/${u.id}`);
  if (got.status !== 200) throw new Error(`GET ${u.id}: ${got.status} ${got.body.slice(0, 200)}`);
  return [found.ms, got.ms];
}
