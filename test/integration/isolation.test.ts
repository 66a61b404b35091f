/**
 * Tenant isolation, randomized (issue 6): several customer accounts, each with its own tenant URL, token and
 * users. Every tenant throws every kind of operation at the others' ids and values — reads, filters on every
 * indexed attribute, writes, deletes, claims of their unique values, its token on their URL. None may see or touch
 * another tenant's data: reads and writes by id answer 404, filters find nothing, a claim of another tenant's
 * platform-wide value answers 409 without a word about the holder, per-account values (extension, externalId) are
 * free in every account. Afterwards every user is exactly as its own tenant last left it, and verify is clean.
 *
 * Size: ISOLATION_OPS (default 300 in `npm test`; `npm run test:robustness` runs 3000).
 */
import { TestServer, startTestServer } from '../support/local-server';
import type { ScimResponse } from '../support/local-server';
import { PATCH_SCHEMA, chooser, pool, scimAnswerProblem, seedFrom, userWith, verifyLocal } from '../support/robustness';

const OPS = Number(process.env.ISOLATION_OPS ?? 300);
const TENANTS = 3;
const USERS_PER_TENANT = 4;
const EXT = 'urn:ietf:params:scim:schemas:extension:scimlink:2.0:User';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

interface Tenant {
  accountId: string;
  url: string;
  token: string;
  users: Array<Record<string, any>>;
}

/** What each answer was asked: an answer may echo what the caller sent (e.g. the id in "User <id> not found"). */
const asked = new WeakMap<ScimResponse, string>();

async function scim(t: Tenant, method: string, path: string, body?: unknown, token = t.token, url = t.url): Promise<ScimResponse> {
  const res = await s.scim(method, `${url}${path}`, body, { token });
  asked.set(res, `${decodeURIComponent(path)} ${JSON.stringify(body ?? '')}`);
  return res;
}

describe('tenants never see or touch each other', () => {
  it('under random cross-tenant operations of every kind', async () => {
    const seed = seedFrom('ISOLATION_SEED');
    const rnd = chooser(seed);
    const tenants: Tenant[] = [];
    for (let i = 0; i < TENANTS; i++) {
      const account = await s.app.admin.createAccount({ name: `Isolated ${i}`, type: 'customer' });
      await s.app.admin.addIntegration(account.id);
      const keys = await s.app.admin.generateKeys(account.id, s.app.url);
      const t: Tenant = { accountId: account.id, url: keys.tenantUrl, token: keys.secretToken, users: [] };
      for (let k = 0; k < USERS_PER_TENANT; k++) {
        const res = await scim(
          t,
          'POST',
          '/Users',
          userWith({
            userName: `t${i}u${k}@iso.test`,
            email: `t${i}u${k}@iso.test`,
            phone: `+1777${i}${k}000000`,
            displayName: `Secret Person ${i}-${k}`,
            // externalId is not unique: the same one in every tenant, and one of each tenant's own.
            externalId: k === 0 ? 'shared-external-id' : `ext-${i}-${k}`,
            // extension numbers are unique per account only: the same ones in every tenant.
            extension: `10${k}`,
          }),
        );
        expect(res.status).toBe(201);
        t.users.push(res.body);
      }
      tenants.push(t);
    }

    const problems: string[] = [];
    const counts: Record<string, number> = {};
    const check = (what: string, res: ScimResponse, ok: (r: ScimResponse) => boolean, attacker: Tenant, victim: Tenant) => {
      counts[what] = (counts[what] ?? 0) + 1;
      const problem = scimAnswerProblem(res);
      if (problem) problems.push(`${what}: ${problem}`);
      else if (!ok(res)) problems.push(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
      // Nothing about the victim's users in any answer beyond what the attacker sent (a 404 echoes the id asked
      // for, a 409 the value the attacker tried to claim).
      const sent = asked.get(res) ?? '';
      for (const u of victim.users) {
        for (const secret of [u.id, u.displayName, victim.accountId, u.userName, u.emails[0].value, u.phoneNumbers[0].value]) {
          if (res.text.includes(secret) && !sent.toLowerCase().includes(String(secret).toLowerCase())) problems.push(`${what}: the answer to tenant ${attacker.accountId} contains ${secret} of ${victim.accountId}`);
        }
      }
    };
    const is = (...statuses: number[]) => (r: ScimResponse) => statuses.includes(r.status);
    const empty = (r: ScimResponse) => r.status === 200 && r.body.totalResults === 0 && r.body.Resources.length === 0;
    const filter = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;

    const kinds = [
      'get',
      'patch',
      'put',
      'delete',
      'filter-id',
      'filter-userName',
      'filter-email',
      'filter-phone',
      'filter-externalId',
      'filter-or',
      'list',
      'claim-userName',
      'claim-email',
      'claim-phone',
      'take-email',
      'same-extension',
      'wrong-url',
    ] as const;

    const locks = new Map<string, Promise<unknown>>();
    const serialised = (id: string, fn: () => Promise<void>) => {
      const run = (locks.get(id) ?? Promise.resolve()).then(fn);
      locks.set(id, run.catch(() => undefined));
      return run;
    };

    const op = async () => {
      const a = rnd.pick(tenants);
      const v = rnd.pick(tenants.filter((t) => t !== a));
      const vu = rnd.pick(v.users);
      const mine = rnd.pick(a.users);
      const kind = rnd.pick(kinds);
      const email = vu.emails[0].value as string;
      const phone = vu.phoneNumbers[0].value as string;
      switch (kind) {
        case 'get':
          return check(kind, await scim(a, 'GET', `/Users/${vu.id}`), is(404), a, v);
        case 'patch':
          return check(
            kind,
            await scim(a, 'PATCH', `/Users/${vu.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }),
            is(404),
            a,
            v,
          );
        case 'put':
          return check(kind, await scim(a, 'PUT', `/Users/${vu.id}`, userWith({ userName: `hijack-${rnd.int(1e6)}@iso.test`, email: `hijack-${rnd.int(1e6)}@iso.test` })), is(404), a, v);
        case 'delete':
          return check(kind, await scim(a, 'DELETE', `/Users/${vu.id}`), is(404), a, v);
        case 'filter-id':
          return check(kind, await scim(a, 'GET', filter(`id eq "${vu.id}"`)), empty, a, v);
        case 'filter-userName':
          return check(kind, await scim(a, 'GET', filter(`userName eq "${String(vu.userName).toUpperCase()}"`)), empty, a, v);
        case 'filter-email':
          return check(kind, await scim(a, 'GET', filter(`emails[type eq "work"].value eq "${email}"`)), empty, a, v);
        case 'filter-phone':
          return check(kind, await scim(a, 'GET', filter(`phoneNumbers[type eq "mobile"].value eq "${phone}"`)), empty, a, v);
        case 'filter-externalId': {
          // Own users with the shared externalId only; never the victim's.
          const res = await scim(a, 'GET', filter(`externalId eq "${vu.externalId}"`));
          const own = a.users.filter((u) => u.externalId === vu.externalId).map((u) => u.id);
          return check(kind, res, (r) => r.status === 200 && JSON.stringify(r.body.Resources.map((u: { id: string }) => u.id).sort()) === JSON.stringify(own.sort()), a, v);
        }
        case 'filter-or': {
          // A non-indexed filter is evaluated over the account's own users only.
          const res = await scim(a, 'GET', filter(`displayName co "Secret" or userName sw "t"`));
          return check(kind, res, (r) => r.status === 200 && r.body.Resources.every((u: { id: string }) => a.users.some((m) => m.id === u.id)), a, v);
        }
        case 'list': {
          const res = await scim(a, 'GET', '/Users?count=500');
          return check(kind, res, (r) => r.status === 200 && r.body.totalResults === a.users.length && r.body.Resources.every((u: { id: string }) => a.users.some((m) => m.id === u.id)), a, v);
        }
        case 'claim-userName':
          return check(kind, await scim(a, 'POST', '/Users', userWith({ userName: String(vu.userName).toUpperCase(), email: `x${rnd.int(1e9)}@iso.test` })), is(409), a, v);
        case 'claim-email':
          return check(kind, await scim(a, 'POST', '/Users', userWith({ userName: `x${rnd.int(1e9)}@iso.test`, email })), is(409), a, v);
        case 'claim-phone':
          return check(kind, await scim(a, 'POST', '/Users', userWith({ userName: `x${rnd.int(1e9)}@iso.test`, email: `x${rnd.int(1e9)}@iso.test`, phone })), is(409), a, v);
        case 'take-email':
          return check(
            kind,
            await scim(a, 'PATCH', `/Users/${mine.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: email }] }),
            is(409),
            a,
            v,
          );
        case 'same-extension':
          // Extension numbers are unique per account: tenants compete for a few values among their own users
          // (409) while the same values live in every account. Writes to one user are serialised so the test
          // knows which answer is the last.
          return serialised(mine.id, async () => {
            const index = a.users.findIndex((u) => u.id === mine.id);
            const ext = rnd.pick(['500', '501', '502']);
            const res = await scim(a, 'PATCH', `/Users/${mine.id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'Replace', path: `${EXT}:extension`, value: ext }] });
            check(kind, res, is(200, 409), a, v);
            if (res.status === 200) a.users[index] = res.body;
          });
        case 'wrong-url': {
          // The attacker's token on the victim's tenant URL, and the victim's account id with the attacker's key.
          check(kind, await scim(a, 'GET', `/Users/${vu.id}`, undefined, a.token, v.url), is(401), a, v);
          const forged = a.url.replace(`/scim/${a.accountId}.`, `/scim/${v.accountId}.`);
          return check(kind, await scim(a, 'GET', `/Users/${vu.id}`, undefined, a.token, forged), is(401), a, v);
        }
      }
    };
    // Each tenant's own writes are serialised per user by the random order; concurrent ops stay realistic.
    await pool(8, Array.from({ length: OPS }, () => op));
    expect({ seed, problems }).toEqual({ seed, problems: [] });
    for (const kind of kinds) expect({ kind, tried: (counts[kind] ?? 0) > 0 }).toEqual({ kind, tried: true });

    // Every user exactly as its own tenant last left it.
    for (const t of tenants) {
      for (const u of t.users) {
        const now = await scim(t, 'GET', `/Users/${u.id}`);
        expect(now.body).toEqual(u);
      }
      expect((await scim(t, 'GET', '/Users?count=0')).body.totalResults).toBe(USERS_PER_TENANT);
      const extensions = t.users.map((u) => u[EXT].extension as string);
      expect(new Set(extensions).size).toBe(extensions.length);
    }
    // …while the same extension numbers live in several accounts (4 of 7 possible values each: they must overlap).
    const perTenant = tenants.map((t) => new Set(t.users.map((u) => u[EXT].extension as string)));
    expect([...perTenant[0]!].some((e) => perTenant[1]!.has(e))).toBe(true);
    expect((await verifyLocal(s.app)).findings).toEqual([]);
    console.log(`isolation: ${OPS} cross-tenant operations over ${TENANTS} tenants: ${JSON.stringify(counts)}; 0 leaks (seed ${seed})`);
  }, Math.max(120_000, OPS * 200));
});
