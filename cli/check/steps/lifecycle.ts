/**
 * The ends of a user's life as Entra drives them: create (POST), replace (PUT), hard delete (DELETE → 404).
 */
import { consequence } from '../consequences';
import { StepFailure, asRecord, contentFailure, expectScimJson, expectStatus, failure } from '../expect';
import type { Step } from '../types';
import { createUser, needsSubject, readUser, userPath } from './user-ops';

export const create: Step = {
  id: 'create',
  title: 'POST /Users (Entra-shaped body, active "True")',
  critical: true,
  async run(ctx) {
    const { user, ex } = await createUser(ctx, ctx.users.body('user'));
    ctx.state.subject = user;
    expectScimJson(ex, 'create');
    const created = asRecord(ex.json) ?? {};
    if (created.userName !== user.userName) {
      throw contentFailure(ex, 'create', `the answer's userName is ${JSON.stringify(created.userName)}, not the one sent`);
    }
    // Entra's default mapping sends "True"; SCIM says booleans. A stored string breaks every later `active eq true`.
    if (created.active !== true) {
      throw new StepFailure(
        failure(ex, `active "True" came back as ${JSON.stringify(created.active)}, expected the boolean true`, consequence('silent-divergence')),
      );
    }
    return `id ${user.id}`;
  },
};

export const replace: Step = {
  id: 'put',
  title: 'PUT /Users/{id} (full replacement)',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const subject = ctx.state.subject!;
    const current = await readUser(ctx, subject.id);
    const displayName = `Replaced ${ctx.users.runId}`;
    const body = { ...subject.body, id: subject.id, displayName, active: true, phoneNumbers: current.phoneNumbers };
    const ex = await ctx.client.send('PUT', userPath(subject.id), body, ctx.signal);
    expectStatus(ex, 'update', 200);
    const stored = await readUser(ctx, subject.id);
    if (stored.displayName !== displayName) throw contentFailure(ex, 'update', `the PUT answered 200 but displayName is ${JSON.stringify(stored.displayName)}`);
    if (stored.id !== subject.id) throw contentFailure(ex, 'update', 'the PUT changed the user\'s id');
  },
};

export const remove: Step = {
  id: 'delete',
  title: 'DELETE /Users/{id} → 204, then 404, userName free again',
  critical: true,
  needs: needsSubject,
  async run(ctx) {
    const subject = ctx.state.subject!;
    const del = await ctx.client.send('DELETE', userPath(subject.id), undefined, ctx.signal);
    expectStatus(del, 'delete', 204, 200);
    ctx.cleanup.deleted(subject.id);
    const after = await ctx.client.send('GET', userPath(subject.id), undefined, ctx.signal);
    if (after.answer.status !== 404) {
      ctx.cleanup.created(subject.userName, subject.id); // still there: cleanup must try again
      throw contentFailure(after, 'delete', `after DELETE answered ${del.answer.status}, GET answered ${after.answer.status} instead of 404`);
    }
    // Entra re-creates a user that is unassigned then assigned again: the login ID must have been released.
    try {
      const { user, ex } = await createUser(ctx, { ...subject.body, externalId: `${subject.externalId}-again` });
      expectScimJson(ex, 'create');
      return `re-created as ${user.id} (removed at cleanup)`;
    } catch (e) {
      if (!(e instanceof StepFailure)) throw e;
      throw new StepFailure({ ...e.failure, problem: `creating a user with the deleted user's userName again: ${e.failure.problem}` });
    }
  },
};
