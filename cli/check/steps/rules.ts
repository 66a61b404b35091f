/**
 * The platform's rules as Entra meets them: a taken login ID (in any case) is a 409 `uniqueness`, an invalid
 * value is a 400 that names the attribute — so the provisioning log tells the admin what to fix. A write that
 * should be refused but is accepted is the worst outcome: Entra reports success and nobody is told.
 */
import { consequence } from '../consequences';
import { StepFailure, StepWarning, asRecord, expectScimJson, expectStatus, failure, scimDetail } from '../expect';
import type { CheckContext, Exchange, Step } from '../types';
import { createUser } from './user-ops';

/** POST a body that must be refused; a 201 is tracked for cleanup and reported as accepted bad data. */
async function postRefused(ctx: CheckContext, body: Record<string, unknown>, status: number, accepted: string): Promise<Exchange> {
  const userName = String(body.userName);
  ctx.cleanup.expect(userName);
  const ex = await ctx.client.send('POST', '/Users', body, ctx.signal);
  const id = asRecord(ex.json)?.id;
  if (ex.answer.status >= 200 && ex.answer.status < 300) {
    if (typeof id === 'string') ctx.cleanup.created(userName, id);
    throw new StepFailure(failure(ex, accepted, consequence('silent-divergence')));
  }
  expectStatus(ex, 'reject', status);
  return ex;
}

export const uniqueness: Step = {
  id: 'uniqueness',
  title: 'userName taken in another case → 409 uniqueness',
  critical: true,
  async run(ctx) {
    const { user: holder, ex: created } = await createUser(ctx, ctx.users.body('holder'));
    ctx.state.holder = holder;
    expectScimJson(created, 'create');
    const clash = { ...ctx.users.body('clash'), userName: holder.userName.toUpperCase() };
    const ex = await postRefused(ctx, clash, 409, 'a second user with the same userName in another case was created; login IDs must be unique ignoring case');
    const body = asRecord(ex.json) ?? {};
    // Entra fails the user on any 409; scimType and a detail naming the attribute are what make the log useful.
    if (body.scimType !== 'uniqueness') {
      throw new StepWarning(failure(ex, `the 409 has scimType ${JSON.stringify(body.scimType)}, expected "uniqueness" (RFC 7644 §3.12)`, consequence('user-fails')));
    }
    const detail = scimDetail(ex) ?? '';
    if (detail.includes(holder.id)) {
      throw new StepWarning(failure(ex, "the 409's detail reveals the other user's id", consequence('user-fails')));
    }
    if (!/userName/i.test(detail)) {
      throw new StepWarning(failure(ex, "the 409's detail does not name userName: the admin cannot tell which value clashes", consequence('user-fails')));
    }
  },
};

export const validation: Step = {
  id: 'validation',
  title: 'non-E.164 mobile number → 400 naming the attribute',
  critical: true,
  async run(ctx) {
    const body = { ...ctx.users.body('invalid'), phoneNumbers: [{ type: 'mobile', value: '(415) 555-0100' }] };
    const ex = await postRefused(ctx, body, 400, "a mobile number that is not E.164 was accepted; it reaches the platform's data as sent");
    const detail = scimDetail(ex) ?? '';
    if (!/phoneNumbers/.test(detail)) {
      throw new StepWarning(
        failure(ex, `the 400's detail ${detail ? `"${detail}" ` : ''}does not name phoneNumbers: the admin cannot tell which mapping to fix`, consequence('user-fails')),
      );
    }
  },
};
