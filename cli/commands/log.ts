/** `scimlink log ACCOUNT [--errors] [--limit N]`: Entra's last SCIM requests to an account, newest first. */
import type { ProvisioningLogView } from '../../lambdas/admin/contract';
import { UsageError } from '../errors';
import { json, table } from '../format';
import { paths } from './paths';
import type { CommandDef, GroupDef } from './types';

const show: CommandDef = {
  group: 'log',
  name: 'show',
  summary: "show Entra's last SCIM requests to an account (what was ignored, which rule rejected a value)",
  details:
    'The provisioning log keeps 30 days: time, method, path, status, userName, the attributes accepted and\n' +
    'ignored, and for a rejected request the rule (values masked). `scimlink log ACCOUNT` is short for this.',
  args: [{ name: 'ACCOUNT', description: 'the account id', orOption: 'account' }],
  options: {
    account: { type: 'string', value: 'ID', description: 'the account id, as an option (same as ACCOUNT; kept for scripts)' },
    errors: { type: 'boolean', description: 'only requests that failed (status 400 or more)' },
    limit: { type: 'string', value: 'N', description: 'how many entries (default 50, at most 500)' },
  },
  async run(ctx) {
    const account = ctx.args.ACCOUNT ?? '';
    const limit = ctx.options.limit;
    if (limit !== undefined && !/^[1-9][0-9]*$/.test(String(limit))) throw new UsageError(`--limit must be a positive integer, got '${String(limit)}'`);
    const answer = await ctx.client().get<ProvisioningLogView>(`${paths.account(account)}/log`, {
      ...(ctx.options.errors === true ? { errors: 'true' } : {}),
      ...(limit !== undefined ? { limit: String(limit) } : {}),
    });
    if (ctx.json) return ctx.out(json(answer));
    if (answer.entries.length === 0) return ctx.out(`No ${ctx.options.errors === true ? 'failed ' : ''}requests logged for ${answer.accountId}.\n`);
    // FROM says `check` for requests `scimlink check` sent (synthetic), and only appears when there are some.
    const from = answer.entries.some((e) => e.synthetic);
    ctx.out(
      table(
        ['TIME', ...(from ? ['FROM'] : []), 'METHOD', 'PATH', 'STATUS', 'USERNAME', 'IGNORED / RULE'],
        answer.entries.map((e) => [
          e.time,
          ...(from ? [e.synthetic ? 'check' : 'client'] : []),
          e.method,
          e.path,
          String(e.status),
          e.userName ?? '',
          e.rule ?? (e.ignored ?? []).join(', '),
        ]),
      ),
    );
  },
};

export const log: GroupDef = { name: 'log', summary: 'the provisioning log (Entra’s last requests)', commands: [show] };
