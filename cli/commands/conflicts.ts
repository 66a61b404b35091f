/**
 * `scimlink conflicts search KIND VALUE` (issue 14, item 3): who holds a login ID, email, phone number or extension
 * that Entra keeps getting a 409 for — any account, active or not — and how to free it.
 */
import { CONFLICT_KINDS, type ConflictKind, type ConflictSearchView } from '../../lambdas/admin/contract';
import { UsageError } from '../errors';
import { json, table, yesNo } from '../format';
import { paths, shellArg } from './paths';
import type { CommandContext, CommandDef, GroupDef } from './types';

const search: CommandDef = {
  group: 'conflicts',
  name: 'search',
  summary: 'find the user holding a login ID, email, phone number or extension (any account, active or not)',
  details:
    'KIND is userName, email, phone or extension. Login IDs and emails compare in their canonical form (case,\n' +
    'fullwidth letters and ligatures do not matter); a phone number may be in any format (a national number\n' +
    'needs --country); an extension is unique within an account, so it needs --account. A holder in an account\n' +
    'you do not manage is only said to exist. Each hit comes with the command that frees the value.',
  args: [
    { name: 'KIND', description: `what to look for: ${CONFLICT_KINDS.join(', ')}` },
    { name: 'VALUE', description: 'the value from the 409 (as Entra sent it, or in any case)' },
  ],
  options: {
    country: { type: 'string', value: 'CC', description: 'for a phone number without +country code: its ISO country (e.g. US)' },
    account: { type: 'string', value: 'ACCOUNT', description: 'for an extension: the account it is unique in' },
  },
  async run(ctx) {
    const kind = ctx.args.KIND as ConflictKind;
    if (!CONFLICT_KINDS.includes(kind)) throw new UsageError(`KIND must be one of ${CONFLICT_KINDS.join(', ')}, got '${ctx.args.KIND ?? ''}'`);
    const value = ctx.args.VALUE ?? '';
    const country = phoneCountry(ctx, kind === 'phone' ? value : undefined);
    const account = ctx.options.account;
    if (kind === 'extension' && typeof account !== 'string') throw new UsageError('an extension is unique within an account: add --account ACCOUNT');
    const answer = await ctx.client().get<ConflictSearchView>(paths.conflicts(), {
      kind,
      value,
      country,
      account: kind === 'extension' ? (account as string) : undefined,
    });
    if (ctx.json) return ctx.out(json(answer));
    if (answer.heldElsewhere) return ctx.out(`${answer.value}: ${answer.heldElsewhere}\n`);
    if (answer.hits.length === 0) return ctx.out(`No user holds ${answer.value}.\n`);
    ctx.out(`${answer.value} is held by:\n`);
    ctx.out(
      table(
        ['ACCOUNT', 'ACCOUNT NAME', 'USER ID', 'USERNAME', 'ACTIVE', 'HELD AS'],
        answer.hits.map((h) => [h.accountId, h.accountName ?? '', h.userId, h.userName, yesNo(h.active), h.attributes.join(', ')]),
      ),
    );
    ctx.out(deleteAdvice(answer.hits, 'value'));
  },
};

/**
 * `--country` for a phone search: a two-letter code, and required for a national number (no "+" or "00"), so the
 * operator learns which option is missing before any request is sent.
 */
export function phoneCountry(ctx: CommandContext, number: string | undefined): string | undefined {
  const country = ctx.options.country;
  if (country !== undefined && (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country))) {
    throw new UsageError(`--country must be a two-letter ISO country code such as US, got '${String(country)}'`);
  }
  if (number !== undefined && country === undefined && !/^\s*(\+|00)/.test(number)) {
    throw new UsageError(`'${number}' has no country code: add --country with its two-letter country (e.g. --country US), or type it as +<country code>…`);
  }
  return typeof country === 'string' ? country.toUpperCase() : undefined;
}

/**
 * How to free the value. An inactive holder is usually a stale user: the ready command. An active one is still
 * provisioned by its account's Entra (deleting it would take a working user away, and Entra re-creates it if it is
 * still in scope): a warning first, and the command without --yes, which refuses until the operator adds it.
 */
export function deleteAdvice(hits: Array<{ accountId: string; userId: string; userName: string; active: boolean }>, what: string): string {
  const lines = [`\nTo free the ${what}, delete the holder (this releases all its unique values):\n`];
  for (const h of hits) {
    if (h.active) {
      lines.push(
        `  WARNING: ${h.userName} is ACTIVE: its account's Entra still provisions it. Deleting it removes a working user,\n` +
          `  and Entra re-creates it in its next cycle if it is still in scope. Fix the data in Entra instead, or, if you\n` +
          `  are sure, add --yes to:\n` +
          `  scimlink users delete ${shellArg(h.accountId)} ${shellArg(h.userId)}\n`,
      );
    } else {
      lines.push(`  scimlink users delete ${shellArg(h.accountId)} ${shellArg(h.userId)} --yes\n`);
    }
  }
  return lines.join('');
}

export const conflicts: GroupDef = { name: 'conflicts', summary: 'who holds a login ID, email, phone number or extension', commands: [search] };
