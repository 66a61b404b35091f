/**
 * Uniqueness under races (issue 6), through real HTTP on the local server: many concurrent creates, PATCHes, PUTs
 * and DELETEs fight over a small pool of login IDs, emails and phone numbers (sent in varying case and, for
 * phones, as the same digits). Afterwards:
 *  - every answer was a correct SCIM answer (201/200/204, 404 for a user deleted meanwhile, 409 uniqueness,
 *    412 for a stale If-Match, 503 + Retry-After for a user changed too often meanwhile — never a 500);
 *  - `verify` finds nothing (no orphan sentinel, no unprotected value, no duplicate, exact counts);
 *  - each value is held by at most one user, and the lookup by it finds exactly that user;
 *  - every value not held can be claimed by a new user (nothing left blocked).
 *
 * Size: RACE_OPS operations (default 300 in `npm test`, 16 in flight; `npm run test:robustness` runs 3000).
 */
import { TestServer, startTestServer } from '../support/local-server';
import type { ScimResponse } from '../support/local-server';
import { PATCH_SCHEMA, USER_SCHEMA, chooser, heldValues, pool, scimAnswerProblem, seedFrom, userWith, verifyLocal } from '../support/robustness';

const OPS = Number(process.env.RACE_OPS ?? 300);
const IN_FLIGHT = 16;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const USER_NAMES = ['race0@race.test', 'race1@race.test', 'race2@race.test', 'race3@race.test', 'race4@race.test', 'race5@race.test'];
const EMAILS = ['mail0@race.test', 'mail1@race.test', 'mail2@race.test', 'mail3@race.test', 'race0@race.test', 'race1@race.test'];
const PHONES = ['+14155550100', '+14155550101', '+14155550102', '+14155550103', '+14155550104', '+14155550105'];

describe('concurrent writes over a small pool of unique values', () => {
  it('leave every value held at most once, nothing blocked, and verify clean', async () => {
    const seed = seedFrom('RACE_SEED');
    const rnd = chooser(seed);
    const ids = new Set<string>();
    const statuses: Record<string, number> = {};
    const problems: string[] = [];
    const casing = (v: string) => (rnd.chance(0.3) ? v.toUpperCase() : v);
    const randomBody = () => {
      const body: Record<string, unknown> = userWith({
        userName: casing(rnd.pick(USER_NAMES)),
        email: casing(rnd.pick(EMAILS)),
        phone: rnd.pick(PHONES),
        displayName: `Racer ${rnd.int(1000)}`,
      });
      if (rnd.chance(0.3)) (body.emails as unknown[]).push({ type: 'other', value: casing(rnd.pick(EMAILS)) });
      if (rnd.chance(0.3)) (body.phoneNumbers as unknown[]).push({ type: 'work', value: rnd.pick(PHONES) });
      return body;
    };
    const randomPatch = () => {
      const ops: unknown[] = [];
      if (rnd.chance(0.5)) ops.push({ op: 'Replace', path: 'userName', value: casing(rnd.pick(USER_NAMES)) });
      if (rnd.chance(0.5)) ops.push({ op: 'Replace', path: 'emails[type eq "work"].value', value: casing(rnd.pick(EMAILS)) });
      if (rnd.chance(0.4)) ops.push({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: rnd.pick(PHONES) });
      if (rnd.chance(0.2)) ops.push({ op: 'Remove', path: 'phoneNumbers[type eq "work"]' });
      if (rnd.chance(0.2)) ops.push({ op: 'Add', path: 'emails', value: [{ type: 'other', value: casing(rnd.pick(EMAILS)) }] });
      ops.push({ op: 'Replace', path: 'displayName', value: `Patched ${rnd.int(1000)}` });
      return { schemas: [PATCH_SCHEMA], Operations: ops };
    };
    const someId = () => (ids.size === 0 ? undefined : rnd.pick([...ids]));

    const record = (what: string, res: ScimResponse, allowed: number[]) => {
      statuses[`${what} ${res.status}`] = (statuses[`${what} ${res.status}`] ?? 0) + 1;
      const problem = scimAnswerProblem(res);
      if (problem) problems.push(`${what}: ${problem}`);
      else if (!allowed.includes(res.status)) problems.push(`${what}: unexpected ${res.status} ${res.text.slice(0, 200)}`);
    };

    const tasks = Array.from({ length: OPS }, () => async () => {
      const kind = ids.size < 3 ? 'create' : rnd.pick(['create', 'create', 'patch', 'patch', 'put', 'delete'] as const);
      if (kind === 'create') {
        const res = await s.scim('POST', '/Users', randomBody());
        record('POST', res, [201, 409]);
        if (res.status === 201) ids.add(res.body.id);
        return;
      }
      const id = someId();
      if (id === undefined) return;
      // Now and then an If-Match that is probably stale: 412, never a lost update.
      const ifMatch = rnd.chance(0.15) ? { 'If-Match': `W/"${1 + rnd.int(3)}"` } : undefined;
      const init = ifMatch ? { headers: ifMatch } : {};
      if (kind === 'patch') {
        record('PATCH', await s.scim('PATCH', `/Users/${id}`, randomPatch(), init), [200, 404, 409, 412, 503]);
      } else if (kind === 'put') {
        record('PUT', await s.scim('PUT', `/Users/${id}`, randomBody(), init), [200, 404, 409, 412, 503]);
      } else {
        const res = await s.scim('DELETE', `/Users/${id}`, undefined, init);
        record('DELETE', res, [204, 404, 412, 503]);
        if (res.status === 204 || res.status === 404) ids.delete(id);
      }
    });
    await pool(IN_FLIGHT, tasks);
    expect({ seed, problems }).toEqual({ seed, problems: [] });
    // The race was real: values were contested and writes of every kind went through.
    expect(statuses['POST 409']).toBeGreaterThan(0);
    expect(statuses['POST 201']).toBeGreaterThan(0);

    // verify: nothing half-written, nothing orphaned, counts exact.
    const report = await verifyLocal(s.app);
    expect(report.findings).toEqual([]);

    // Each value at most once, and found through its lookup.
    const list = await s.scim('GET', '/Users?count=500');
    expect(list.body.totalResults).toBe(list.body.Resources.length);
    const holders = new Map<string, string[]>();
    type Listed = { id: string; userName?: string; emails?: Array<{ value?: string }>; phoneNumbers?: Array<{ value?: string }> };
    for (const u of list.body.Resources as Listed[]) {
      for (const v of new Set(heldValues(u))) holders.set(v, [...(holders.get(v) ?? []), u.id]);
    }
    for (const [value, who] of holders) expect({ value, holders: who.length }).toEqual({ value, holders: 1 });

    const lookups: Array<[string, string]> = [
      ...USER_NAMES.map((v) => [`userName:${v}`, `userName eq "${v.toUpperCase()}"`] as [string, string]),
      ...EMAILS.map((v) => [`email:${v}`, `emails.value eq "${v}"`] as [string, string]),
      ...PHONES.map((v) => [`phone:${v.slice(1)}`, `phoneNumbers.value eq "${v}"`] as [string, string]),
    ];
    let claimed = 0;
    for (const [value, filter] of lookups) {
      const found = await s.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      const holder = holders.get(value)?.[0];
      expect({ filter, found: found.body.Resources.map((u: { id: string }) => u.id) }).toEqual({ filter, found: holder ? [holder] : [] });
      if (holder) continue;
      // Not held: free for a newcomer (no orphan sentinel blocks it).
      const [kind, raw] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
      const fresh = `claim${claimed}@claim.test`;
      const body = userWith({
        userName: kind === 'userName' ? raw : fresh,
        email: kind === 'email' ? raw : fresh,
        ...(kind === 'phone' ? { phone: `+${raw}` } : {}),
      });
      const res = await s.scim('POST', '/Users', { ...body, schemas: [USER_SCHEMA] });
      expect({ value, status: res.status, detail: res.body?.detail }).toEqual({ value, status: 201, detail: undefined });
      expect((await s.scim('DELETE', `/Users/${res.body.id}`)).status).toBe(204);
      claimed++;
    }
    expect((await verifyLocal(s.app)).findings).toEqual([]);
    console.log(
      `races: ${OPS} operations (${IN_FLIGHT} in flight) over ${USER_NAMES.length + EMAILS.length + PHONES.length} contested values: ` +
        `${JSON.stringify(statuses)}; ${list.body.totalResults} users left, ${claimed} free values claimed; verify findings 0 (seed ${seed})`,
    );
  }, Math.max(120_000, OPS * 200));
});
