/**
 * `scimlink domains claim|list|release` (issue 14, item 2; operators only): while an account claims a domain, only
 * it may hold login IDs and emails in the domain and its subdomains. Claiming lists the values other accounts hold
 * there already, each with the command that shows its holder.
 */
import type { DomainClaimView, DomainListView } from '../../lambdas/admin/contract';
import { json, table } from '../format';
import { paths, shellArg } from './paths';
import type { CommandDef, GroupDef } from './types';

const ACCOUNT = { name: 'ACCOUNT', description: 'the account id' };
const DOMAIN = { name: 'DOMAIN', description: 'the domain, e.g. acme.com (covers its subdomains)' };

/** The claim and what other accounts hold in it, with the way to free each value. */
function claimText(c: DomainClaimView): string {
  const lines = [`${c.domain} (claimed ${c.claimedAt}): `];
  if (c.heldElsewhere.length === 0) {
    lines.push(c.complete ? 'no other account holds a login ID or email in it.\n' : 'the listing stopped at its bound; list again.\n');
    return lines.join('');
  }
  lines.push(`${c.heldElsewhere.length}${c.complete ? '' : '+'} login IDs / emails in it are held by other accounts:\n`);
  lines.push(table(['KIND', 'VALUE', 'ACCOUNT', 'USER ID'], c.heldElsewhere.map((h) => [h.kind, h.value, h.accountId, h.userId])));
  lines.push('Those users keep their values until freed. See each holder (and the command that frees it) with:\n');
  for (const h of c.heldElsewhere.slice(0, 3)) lines.push(`  scimlink conflicts search ${h.kind} ${shellArg(h.value)}\n`);
  if (!c.complete) lines.push('The listing stopped at its bound: free these, then run scimlink domains list again.\n');
  return lines.join('');
}

const claim: CommandDef = {
  group: 'domains',
  name: 'claim',
  summary: 'claim an email/UPN domain (and its subdomains) for an account (operators)',
  details:
    'While the claim stands, any other account creating or changing a user to a login ID or email in the domain\n' +
    'gets 409 uniqueness ("belongs to another account"). Values other accounts hold already stay until freed:\n' +
    'the answer lists them. Refused when another account claimed the domain, a parent or a subdomain of it.',
  args: [ACCOUNT, DOMAIN],
  async run(ctx) {
    const account = ctx.args.ACCOUNT ?? '';
    const answer = await ctx.client().put<DomainClaimView>(paths.domain(account, ctx.args.DOMAIN ?? ''));
    if (ctx.json) return ctx.out(json(answer));
    ctx.out(`Claimed ${answer.domain} for account ${answer.accountId}: only it may hold login IDs and emails in ${answer.domain} and its subdomains.\n`);
    ctx.out(claimText(answer));
  },
};

const list: CommandDef = {
  group: 'domains',
  name: 'list',
  summary: "an account's claimed domains and the values other accounts hold in them (operators)",
  args: [ACCOUNT],
  async run(ctx) {
    const answer = await ctx.client().get<DomainListView>(paths.domains(ctx.args.ACCOUNT ?? ''));
    if (ctx.json) return ctx.out(json(answer));
    if (answer.domains.length === 0) return ctx.out(`Account ${answer.accountId} claims no domain.\n`);
    for (const c of answer.domains) ctx.out(claimText(c));
  },
};

const release: CommandDef = {
  group: 'domains',
  name: 'release',
  summary: 'release a claimed domain: any account may hold values in it again (operators)',
  args: [ACCOUNT, DOMAIN],
  async run(ctx) {
    const domain = ctx.args.DOMAIN ?? '';
    await ctx.client().delete(paths.domain(ctx.args.ACCOUNT ?? '', domain));
    if (ctx.json) return ctx.out(json({ released: domain }));
    ctx.out(`Released ${domain}: any account may hold login IDs and emails in it again.\n`);
  },
};

export const domains: GroupDef = { name: 'domains', summary: 'domain claims: email/UPN domains only one account may use', commands: [claim, list, release] };
