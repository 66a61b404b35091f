/** `scimlink accounts create|list|show|rename` (SPEC §2: partner and customer accounts). */
import type { AccountType, AccountView, CreateAccountRequest } from '../../lambdas/admin/contract';
import { oneOf, requiredString } from '../args';
import { UsageError } from '../errors';
import { json, keyValues, table } from '../format';
import { paths, shellArg } from './paths';
import type { CommandDef, GroupDef } from './types';

const TYPES: readonly AccountType[] = ['partner', 'customer'];

function accountBlock(a: AccountView): string {
  return keyValues([
    ['ID', a.id],
    ['Name', a.name],
    ['Type', a.type],
    ['Partner', a.partnerId],
    ['Created', a.createdAt],
  ]);
}

const create: CommandDef = {
  group: 'accounts',
  name: 'create',
  summary: 'create a partner or customer account',
  details:
    'Only a customer account can hold the Entra ID Sync integration; a customer may name its managing partner\n' +
    'with --partner.',
  args: [],
  options: {
    name: { type: 'string', value: 'NAME', description: 'display name of the account (required)' },
    type: { type: 'string', value: 'TYPE', description: 'partner or customer (required)' },
    partner: { type: 'string', value: 'ID', description: "a customer account's managing partner account id" },
  },
  async run(ctx) {
    const hint = 'see scimlink accounts create --help';
    const name = requiredString(ctx.options, 'name', hint);
    const type = oneOf(ctx.options, 'type', TYPES);
    if (!type) throw new UsageError(`missing --type partner|customer (${hint})`);
    const request: CreateAccountRequest = { name, type };
    const partner = ctx.options.partner;
    if (typeof partner === 'string') request.partnerId = partner;
    const account = await ctx.client().post<AccountView>(paths.accounts(), request);
    if (ctx.json) return ctx.out(json(account));
    ctx.out(`Created ${account.type} account ${account.id}.\n`);
    ctx.out(accountBlock(account));
    if (account.type === 'customer') {
      ctx.out(`Next: scimlink integration add ${shellArg(account.id)}\n`);
    }
  },
};

const list: CommandDef = {
  group: 'accounts',
  name: 'list',
  summary: 'list all accounts',
  args: [],
  async run(ctx) {
    const answer = await ctx.client().get<{ accounts: AccountView[] }>(paths.accounts());
    if (ctx.json) return ctx.out(json(answer));
    if (answer.accounts.length === 0) return ctx.out('No accounts yet. Create one with: scimlink accounts create --name NAME --type customer\n');
    ctx.out(
      table(
        ['ID', 'NAME', 'TYPE', 'PARTNER', 'CREATED'],
        answer.accounts.map((a) => [a.id, a.name, a.type, a.partnerId ?? '', a.createdAt]),
      ),
    );
  },
};

const show: CommandDef = {
  group: 'accounts',
  name: 'show',
  summary: 'show one account',
  args: [{ name: 'ACCOUNT', description: 'the account id' }],
  async run(ctx) {
    const account = await ctx.client().get<AccountView>(paths.account(ctx.args.ACCOUNT ?? ''));
    if (ctx.json) return ctx.out(json(account));
    ctx.out(accountBlock(account));
  },
};

const rename: CommandDef = {
  group: 'accounts',
  name: 'rename',
  summary: "change an account's display name (its id, type, partner, integration and users stay)",
  args: [{ name: 'ACCOUNT', description: 'the account id' }],
  options: {
    name: { type: 'string', value: 'NAME', description: 'the new display name (required)' },
  },
  async run(ctx) {
    const name = requiredString(ctx.options, 'name', 'see scimlink accounts rename --help');
    const account = await ctx.client().patch<AccountView>(paths.account(ctx.args.ACCOUNT ?? ''), { name });
    if (ctx.json) return ctx.out(json(account));
    ctx.out(`Renamed account ${account.id}.\n`);
    ctx.out(accountBlock(account));
  },
};

export const accounts: GroupDef = { name: 'accounts', summary: 'partner and customer accounts', commands: [create, list, show, rename] };
