/**
 * `scimlink quotas show|set` (issue 14, item 5): how many users an account may hold and how many customer accounts a
 * partner may create — the deployment's default (CDK context) or the account's own, set by an operator.
 */
import type { AccountQuotasView, QuotaView } from '../../lambdas/admin/contract';
import { UsageError } from '../errors';
import { json, table } from '../format';
import { paths } from './paths';
import type { CommandContext, CommandDef, GroupDef } from './types';

const ACCOUNT = { name: 'ACCOUNT', description: 'the account id' };

const row = (what: string, q: QuotaView) => [what, String(q.used), String(q.limit), q.override === undefined ? `default (${q.default})` : `own (default ${q.default})`];

function print(ctx: CommandContext, view: AccountQuotasView): void {
  if (ctx.json) return ctx.out(json(view));
  const rows = [row('users', view.users)];
  if (view.customerAccounts) rows.push(row('customer accounts', view.customerAccounts));
  ctx.out(table(['QUOTA', 'USED', 'LIMIT', 'SET BY'], rows));
}

const show: CommandDef = {
  group: 'quotas',
  name: 'show',
  summary: "an account's user limit (and a partner's customer-account limit), and what it uses",
  args: [ACCOUNT],
  async run(ctx) {
    print(ctx, await ctx.client().get<AccountQuotasView>(paths.quotas(ctx.args.ACCOUNT ?? '')));
  },
};

/** A limit option: a whole number, or `default` (back to the deployment's). */
function limitOption(ctx: CommandContext, name: string): number | null | undefined {
  const raw = ctx.options[name];
  if (raw === undefined) return undefined;
  if (raw === 'default') return null;
  if (typeof raw !== 'string' || !/^[0-9]{1,8}$/.test(raw)) throw new UsageError(`--${name} must be a whole number or 'default', got '${String(raw)}'`);
  return Number(raw);
}

const set: CommandDef = {
  group: 'quotas',
  name: 'set',
  summary: "set an account's own limits (operators); 'default' returns to the deployment's",
  details:
    'Past its user limit an account\'s Entra gets 403 for each new user (Entra records the user as failed and\n' +
    'tries again in later cycles); a partner past its limit cannot create customer accounts. Lowering a limit\n' +
    'removes nobody.',
  args: [ACCOUNT],
  options: {
    'max-users': { type: 'string', value: 'N|default', description: 'users the account may hold' },
    'max-accounts': { type: 'string', value: 'N|default', description: 'customer accounts a partner may create' },
  },
  async run(ctx) {
    const maxUsers = limitOption(ctx, 'max-users');
    const maxAccounts = limitOption(ctx, 'max-accounts');
    if (maxUsers === undefined && maxAccounts === undefined) throw new UsageError('give --max-users and/or --max-accounts (see scimlink quotas set --help)');
    const body = { ...(maxUsers !== undefined ? { maxUsers } : {}), ...(maxAccounts !== undefined ? { maxAccounts } : {}) };
    print(ctx, await ctx.client().put<AccountQuotasView>(paths.quotas(ctx.args.ACCOUNT ?? ''), body));
  },
};

export const quotas: GroupDef = { name: 'quotas', summary: "accounts' user limits and partners' account limits", commands: [show, set] };
