/**
 * PATCH as Entra sends it, in both dialects that arrive in practice (SPEC §4):
 * - old (no `?aadOptscim062020`): capitalised ops (`"Replace"`, `"Add"`) and booleans as strings (`"False"`);
 * - new (`?aadOptscim062020`): lower-case ops, real booleans, and no-path replaces whose value has dotted keys.
 * Each step then reads the user back: a PATCH that answers 200 without applying is worse than a 400, because
 * Entra believes it and never sends it again. Disabling must keep the user readable and filterable.
 */
import { contentFailure, expectScimJson, expectStatus, resources } from '../expect';
import type { CheckContext, Exchange, Step } from '../types';
import { needsSubject, notApplied, patchUser, readUser } from './user-ops';

const NEW_DIALECT = '?aadOptscim062020';

async function expectActive(ctx: CheckContext, ex: Exchange, expected: boolean): Promise<void> {
  const { id, userName } = ctx.state.subject!;
  const stored = await readUser(ctx, id);
  if (stored.active !== expected) throw notApplied(ex, `active is ${JSON.stringify(stored.active)}, expected the boolean ${expected}`);
  if (expected) return;
  // Entra disables rather than deletes: the user must still be found by its matching attribute.
  const found = await ctx.client.send('GET', `/Users?filter=userName+eq+%22${encodeURIComponent(userName)}%22`, undefined, ctx.signal);
  expectStatus(found, 'lookup', 200);
  expectScimJson(found, 'lookup');
  const hit = resources(found)?.find((r) => r.id === id);
  if (!hit) throw contentFailure(found, 'lookup', 'a disabled user is no longer found by userName; Entra would create it again (409)');
}

export const disableOldDialect: Step = {
  id: 'patch.disable-old',
  title: 'disable, old dialect: op "Replace", path active, value "False"',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const ex = await patchUser(ctx, ctx.state.subject!.id, [{ op: 'Replace', path: 'active', value: 'False' }]);
    await expectActive(ctx, ex, false);
  },
};

export const reenableNewDialect: Step = {
  id: 'patch.dotted-new',
  title: 're-enable + rename, new dialect: no-path replace, dotted and value-path keys',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const subject = ctx.state.subject!;
    const familyName = `Renamed ${ctx.users.runId}`;
    const email = ctx.users.userName('renamed');
    // The shape of Microsoft's aadOptscim062020 example: plain, dotted and value-path keys in one value.
    const value = {
      active: true,
      displayName: `Patched ${familyName}`,
      'name.givenName': 'Patched',
      'name.familyName': familyName,
      'emails[type eq "work"].value': email,
    };
    const ex = await patchUser(ctx, subject.id, [{ op: 'replace', value }], NEW_DIALECT);
    const stored = await readUser(ctx, subject.id);
    const name = (stored.name ?? {}) as Record<string, unknown>;
    if (name.givenName !== 'Patched' || name.familyName !== familyName) {
      throw notApplied(ex, `name is ${JSON.stringify(stored.name)}; the dotted keys "name.givenName"/"name.familyName" were not applied`);
    }
    const emails = Array.isArray(stored.emails) ? (stored.emails as Array<Record<string, unknown>>) : [];
    if (!emails.some((e) => e.type === 'work' && e.value === email)) {
      throw notApplied(ex, `emails is ${JSON.stringify(stored.emails)}; the key 'emails[type eq "work"].value' was not applied`);
    }
    if (stored.active !== true) throw notApplied(ex, `active is ${JSON.stringify(stored.active)}, expected the boolean true`);
    subject.workEmail = email;
  },
};

export const addMobile: Step = {
  id: 'patch.add-mobile',
  title: 'add phoneNumbers[type eq "mobile"].value (creates the entry)',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const { id } = ctx.state.subject!;
    const number = ctx.users.phone();
    const ex = await patchUser(ctx, id, [{ op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: number }], NEW_DIALECT);
    const stored = await readUser(ctx, id);
    const phones = Array.isArray(stored.phoneNumbers) ? (stored.phoneNumbers as Array<Record<string, unknown>>) : [];
    if (!phones.some((p) => p.type === 'mobile' && p.value === number)) {
      throw notApplied(ex, `phoneNumbers is ${JSON.stringify(stored.phoneNumbers) ?? 'missing'}; the mobile entry was not created`);
    }
    return number;
  },
};

export const disableNewDialect: Step = {
  id: 'patch.disable-new',
  title: 'disable, new dialect: op "replace", path active, value false',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const ex = await patchUser(ctx, ctx.state.subject!.id, [{ op: 'replace', path: 'active', value: false }], NEW_DIALECT);
    await expectActive(ctx, ex, false);
  },
};

export const reenableOldDialect: Step = {
  id: 'patch.reenable-old',
  title: 're-enable, old dialect: op "Replace", path active, value "True"',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const ex = await patchUser(ctx, ctx.state.subject!.id, [{ op: 'Replace', path: 'active', value: 'True' }]);
    await expectActive(ctx, ex, true);
  },
};
