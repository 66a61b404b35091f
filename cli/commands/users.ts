/** `scimlink users list|show|delete`: the admin view of an account's provisioned users, active and inactive. */
import type { AdminUserView, UserListView } from '../../lambdas/admin/contract';
import { oneOf, positiveInt } from '../args';
import { UsageError } from '../errors';
import { json, keyValues, table, typedValues, yesNo } from '../format';
import { paths, shellArg } from './paths';
import type { CommandDef, GroupDef } from './types';

const ACCOUNT = { name: 'ACCOUNT', description: 'the account id' };
const USER_ID = { name: 'USER_ID', description: 'the user id (SCIM id, as `users list` shows it)' };

function workEmail(u: AdminUserView): string {
  return (u.emails.find((e) => e.type === 'work') ?? u.emails[0])?.value ?? '';
}

const list: CommandDef = {
  group: 'users',
  name: 'list',
  summary: "list an account's users (active and inactive)",
  args: [ACCOUNT],
  options: {
    active: { type: 'string', value: 'true|false', description: 'only active (true) or only disabled (false) users' },
    start: { type: 'string', value: 'N', description: '1-based index of the first user (default 1)' },
    count: { type: 'string', value: 'N', description: 'page size (the server caps it)' },
  },
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    const active = oneOf(ctx.options, 'active', ['true', 'false'] as const);
    const start = positiveInt(ctx.options, 'start');
    const count = positiveInt(ctx.options, 'count');
    const page = await ctx.client().get<UserListView>(paths.users(accountId), { startIndex: start, count, active });
    if (ctx.json) return ctx.out(json(page));
    const which = active === undefined ? '' : active === 'true' ? ' active' : ' inactive';
    if (page.users.length === 0) {
      return ctx.out(page.totalResults > 0 ? `No${which} users from index ${page.startIndex} (${page.totalResults} in all).\n` : `No${which} users in account ${accountId}.\n`);
    }
    ctx.out(
      table(
        ['ID', 'USERNAME', 'DISPLAY NAME', 'ACTIVE', 'EMAIL', 'PHONES'],
        page.users.map((u) => [u.id, u.userName, u.displayName ?? '', yesNo(u.active), workEmail(u), typedValues(u.phoneNumbers)]),
      ),
    );
    const last = page.startIndex + page.users.length - 1;
    let footer = `${page.users.length === page.totalResults ? page.totalResults : `${page.startIndex}–${last} of ${page.totalResults}`}${which} user${page.totalResults === 1 ? '' : 's'}.`;
    if (last < page.totalResults) {
      const more = [`--start ${last + 1}`, count ? `--count ${count}` : '', active ? `--active ${active}` : ''].filter(Boolean).join(' ');
      footer += ` Next page: scimlink users list ${shellArg(accountId)} ${more}`;
    }
    ctx.out(`${footer}\n`);
  },
};

const show: CommandDef = {
  group: 'users',
  name: 'show',
  summary: 'show one user',
  args: [ACCOUNT, USER_ID],
  async run(ctx) {
    const u = await ctx.client().get<AdminUserView>(paths.user(ctx.args.ACCOUNT ?? '', ctx.args.USER_ID ?? ''));
    if (ctx.json) return ctx.out(json(u));
    const address = u.address && Object.keys(u.address).length > 0 ? Object.values(u.address).join(', ') : undefined;
    ctx.out(
      keyValues([
        ['Account', u.accountId],
        ['ID', u.id],
        ['User name', u.userName],
        ['Display name', u.displayName],
        ['Active', yesNo(u.active)],
        ['External ID', u.externalId],
        ['Emails', typedValues(u.emails) || undefined],
        ['Phones', typedValues(u.phoneNumbers) || undefined],
        ['Extension', u.extension],
        ['Work address', address],
        ['Created', u.created],
        ['Last modified', u.lastModified],
      ]),
    );
  },
};

const del: CommandDef = {
  group: 'users',
  name: 'delete',
  summary: 'delete a user, releasing its login ID, emails and phone numbers',
  details:
    'The way out when Entra keeps failing with 409 on a value held by a stale user (find it with\n' +
    '`scimlink phones search`). Requires --yes.',
  args: [ACCOUNT, USER_ID],
  options: { yes: { type: 'boolean', description: 'confirm: delete the user now' } },
  async run(ctx) {
    const accountId = ctx.args.ACCOUNT ?? '';
    const userId = ctx.args.USER_ID ?? '';
    if (ctx.options.yes !== true) {
      throw new UsageError(
        `deleting user ${userId} of account ${accountId} removes it at once and releases its login ID, emails and phone numbers; pass --yes to delete it`,
      );
    }
    await ctx.client().delete(paths.user(accountId, userId));
    if (ctx.json) return ctx.out(json({ accountId, userId, deleted: true }));
    ctx.out(`Deleted user ${userId} of account ${accountId}; its login ID, emails and phone numbers are free again.\n`);
  },
};

export const users: GroupDef = { name: 'users', summary: "an account's provisioned users", commands: [list, show, del] };
