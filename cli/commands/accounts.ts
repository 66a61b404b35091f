/** `scimlink accounts create|list|show|rename|delete` (SPEC §2: partner and customer accounts). */
import type { AccountDeletionView, AccountType, AccountView, CreateAccountRequest } from '../../lambdas/admin/contract';
import { oneOf, requiredString } from '../args';
import { CliError, UsageError } from '../errors';
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
  summary: 'list the accounts (optionally only those whose name or id contains a text)',
  args: [],
  options: {
    filter: { type: 'string', value: 'TEXT', description: 'only accounts whose name or id contains TEXT (ignoring case)' },
  },
  async run(ctx) {
    const filter = typeof ctx.options.filter === 'string' ? ctx.options.filter : undefined;
    const answer = await ctx.client().get<{ accounts: AccountView[] }>(paths.accounts(), { q: filter });
    if (ctx.json) return ctx.out(json(answer));
    if (answer.accounts.length === 0 && filter !== undefined) return ctx.out(`No accounts match '${filter}'.\n`);
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

const users = (n: number) => `${n} user${n === 1 ? '' : 's'}`;

/** Calls in a row that deleted nothing before the CLI gives up (a user that keeps changing under the delete). */
const STALLED_CALLS = 5;

const del: CommandDef = {
  group: 'accounts',
  name: 'delete',
  summary: 'delete an account (with --force: its users and integration too)',
  details:
    'Refused while the account has users or the Entra ID Sync integration, unless --force: then the integration\n' +
    'is removed first (its Tenant URL and Secret Token stop working at once), every user is deleted as a SCIM\n' +
    'DELETE does (its login ID, emails and phone numbers are free again; downstream apps get "deleted" events),\n' +
    'then the account. The server deletes up to 100 users per call; the CLI calls again until the account is\n' +
    'gone (run it again if it is interrupted: it goes on where it stopped). A partner account is refused while\n' +
    'it manages customer accounts. Requires --yes.',
  args: [{ name: 'ACCOUNT', description: 'the account id' }],
  options: {
    force: { type: 'boolean', description: 'also delete the users and remove the integration' },
    yes: { type: 'boolean', description: 'confirm: delete the account now' },
  },
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    const force = ctx.options.force === true;
    if (ctx.options.yes !== true) {
      throw new UsageError(
        force
          ? `deleting account ${accountId} with --force removes its integration and deletes all its users at once, releasing their login IDs, emails and phone numbers; pass --yes to delete it`
          : `deleting account ${accountId} cannot be undone; pass --yes to delete it`,
      );
    }
    const total = { accountId, deleted: false, integrationRemoved: false, usersDeleted: 0, usersRemaining: 0, itemsDeleted: 0 };
    for (let stalled = 0; !total.deleted && stalled < STALLED_CALLS; ) {
      const step = await ctx.client().delete<AccountDeletionView>(paths.account(accountId), force ? { force: 'true' } : undefined);
      total.deleted = step.deleted;
      total.integrationRemoved ||= step.integrationRemoved;
      total.usersDeleted += step.usersDeleted;
      total.usersRemaining = step.usersRemaining;
      total.itemsDeleted += step.itemsDeleted;
      const progressed = step.deleted || step.integrationRemoved || step.usersDeleted + step.itemsDeleted > 0;
      stalled = progressed ? 0 : stalled + 1;
      if (!step.deleted && !ctx.json && step.usersDeleted > 0) ctx.out(`Deleted ${users(total.usersDeleted)}; ${step.usersRemaining} remain…\n`);
    }
    if (!total.deleted) {
      throw new CliError(
        `account ${accountId} is not deleted yet (${users(total.usersRemaining)} left) and the last ${STALLED_CALLS} calls deleted nothing (users changing under the delete?); run the command again`,
      );
    }
    if (ctx.json) return ctx.out(json(total));
    const what = [total.integrationRemoved ? 'the Entra ID Sync integration removed' : '', total.usersDeleted > 0 ? `${users(total.usersDeleted)} deleted, their login IDs, emails and phone numbers free again` : '']
      .filter(Boolean)
      .join('; ');
    ctx.out(`Deleted account ${accountId}${what ? ` (${what})` : ''}.\n`);
  },
};

export const accounts: GroupDef = { name: 'accounts', summary: 'partner and customer accounts', commands: [create, list, show, rename, del] };
