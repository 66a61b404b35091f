/**
 * Requests the lifecycle steps share: create a throw-away user, read one back, PATCH one. Each checks status
 * and Content-Type the way every Entra operation needs; the steps check the content.
 */
import { StepFailure, asRecord, contentFailure, expectScimJson, expectStatus } from '../expect';
import type { CheckContext, CreatedUser, Exchange } from '../types';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const userPath = (id: string) => `/Users/${encodeURIComponent(id)}`;

/**
 * POST a throw-away user; registered for cleanup before the request leaves. The Content-Type is left to the
 * caller to check *after* it keeps the user, so one wrong header does not hide every later step's result.
 */
export async function createUser(ctx: CheckContext, body: Record<string, unknown>): Promise<{ user: CreatedUser; ex: Exchange }> {
  const userName = String(body.userName);
  ctx.cleanup.expect(userName);
  const ex = await ctx.client.send('POST', '/Users', body, ctx.signal);
  expectStatus(ex, 'create', 201);
  const id = asRecord(ex.json)?.id;
  if (typeof id !== 'string' || id === '') throw contentFailure(ex, 'create', 'the 201 answer has no "id": Entra cannot address the user afterwards');
  ctx.cleanup.created(userName, id);
  const emails = Array.isArray(body.emails) ? (body.emails as Array<{ value: string }>) : [];
  return {
    user: { id, userName, externalId: String(body.externalId), workEmail: emails[0]?.value ?? userName, body },
    ex,
  };
}

/** GET /Users/{id}: the stored truth a PATCH or PUT answer is checked against. */
export async function readUser(ctx: CheckContext, id: string): Promise<Record<string, unknown>> {
  const ex = await ctx.client.send('GET', userPath(id), undefined, ctx.signal);
  expectStatus(ex, 'read', 200);
  expectScimJson(ex, 'read');
  const user = asRecord(ex.json);
  if (!user) throw contentFailure(ex, 'read', 'the answer is not a JSON object');
  return user;
}

/**
 * PATCH with the given Operations; 200 (with the resource) or 204 are both RFC answers. Resolves with the
 * exchange so a check on the stored state can quote the PATCH that should have produced it.
 */
export async function patchUser(ctx: CheckContext, id: string, operations: unknown[], query = ''): Promise<Exchange> {
  const ex = await ctx.client.send('PATCH', `${userPath(id)}${query}`, { schemas: [PATCH_OP], Operations: operations }, ctx.signal);
  expectStatus(ex, 'update', 200, 204);
  if (ex.answer.status === 200) expectScimJson(ex, 'update');
  return ex;
}

/** The stored user does not show what `ex` should have done: Entra believes it did. */
export function notApplied(ex: Exchange, what: string): StepFailure {
  return contentFailure(ex, 'update', `the ${ex.request.method} answered ${ex.answer.status} but ${what}`);
}

/** For steps that need the lifecycle user. */
export function needsSubject(ctx: CheckContext): string | undefined {
  return ctx.state.subject ? undefined : 'no throw-away user (create failed)';
}
