/**
 * How Entra matches a user before it creates or updates one: `eq` filters on the matching attributes, sent
 * with its encodings (`+` for spaces, %22 quotes, sometimes no quotes at all). A miss makes Entra POST the user
 * again, which then fails with 409: the user is stuck, so every variant must find the user just created.
 */
import { asRecord, contentFailure, expectScimJson, expectStatus, resources } from '../expect';
import type { CheckContext, Step } from '../types';
import { needsSubject } from './user-ops';

const enc = encodeURIComponent;

/** One filter must answer exactly the user `id`. `query` is the encoded filter expression. */
async function mustFind(ctx: CheckContext, query: string, id: string): Promise<void> {
  const ex = await ctx.client.send('GET', `/Users?filter=${query}`, undefined, ctx.signal);
  expectStatus(ex, 'lookup', 200);
  expectScimJson(ex, 'lookup');
  const found = resources(ex);
  const ids = found?.map((r) => r.id) ?? [];
  if (!ids.includes(id)) {
    throw contentFailure(ex, 'lookup', `the filter did not return the user created a moment ago (got ${ids.length} result${ids.length === 1 ? '' : 's'}); Entra would create it again and fail with 409`);
  }
  const total = asRecord(ex.json)?.totalResults;
  if (total !== 1 || ids.length !== 1) {
    throw contentFailure(ex, 'lookup', `expected exactly this user, got totalResults ${JSON.stringify(total)} and ${ids.length} Resources`);
  }
}

export const byUserName: Step = {
  id: 'find.userName',
  title: 'find by userName (quoted, unquoted, other case)',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const { id, userName } = ctx.state.subject!;
    await mustFind(ctx, `userName+eq+%22${enc(userName)}%22`, id);
    await mustFind(ctx, `userName+eq+${enc(userName)}`, id);
    // userName is caseExact false (RFC 7643 §4.1.1): a UPN whose case changed in Entra must still match.
    await mustFind(ctx, `userName+eq+%22${enc(userName.toUpperCase())}%22`, id);
  },
};

export const byExternalId: Step = {
  id: 'find.externalId',
  title: 'find by externalId',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const { id, externalId } = ctx.state.subject!;
    await mustFind(ctx, `externalId+eq+%22${enc(externalId)}%22`, id);
  },
};

export const byWorkEmail: Step = {
  id: 'find.email',
  title: 'find by emails[type eq "work"].value',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const { id, workEmail } = ctx.state.subject!;
    await mustFind(ctx, `emails%5Btype+eq+%22work%22%5D.value+eq+%22${enc(workEmail)}%22`, id);
  },
};
