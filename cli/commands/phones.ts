/** `scimlink phones search` (SPEC §5): who holds a phone number, across accounts, active or not. */
import type { PhoneSearchView } from '../../lambdas/admin/contract';
import { json, table, yesNo } from '../format';
import { paths } from './paths';
import { deleteAdvice, phoneCountry } from './conflicts';
import type { CommandDef, GroupDef } from './types';

const search: CommandDef = {
  group: 'phones',
  name: 'search',
  summary: 'find the users holding a phone number (mobile, work or other; active and inactive; all accounts)',
  details:
    'NUMBER may be in any format ("+1 (415) 555-0100", "4155550100" with --country US); the server normalises\n' +
    'it to E.164. Each hit comes with the `scimlink users delete` command that frees the number.',
  args: [{ name: 'NUMBER', description: 'the phone number, any format' }],
  options: { country: { type: 'string', value: 'CC', description: 'ISO country for numbers without +country code (e.g. US)' } },
  async run(ctx) {
    const country = phoneCountry(ctx, ctx.args.NUMBER ?? '');
    const answer = await ctx.client().get<PhoneSearchView>(paths.phones(), { number: ctx.args.NUMBER ?? '', country });
    if (ctx.json) return ctx.out(json(answer));
    if (answer.hits.length === 0) return ctx.out(`No user holds ${answer.number}.\n`);
    ctx.out(`${answer.hits.length} user${answer.hits.length === 1 ? '' : 's'} hold${answer.hits.length === 1 ? 's' : ''} ${answer.number}:\n`);
    ctx.out(
      table(
        ['ACCOUNT', 'ACCOUNT NAME', 'USER ID', 'USERNAME', 'ACTIVE', 'TYPE'],
        answer.hits.map((h) => [h.accountId, h.accountName ?? '', h.userId, h.userName, yesNo(h.active), h.types.join(',')]),
      ),
    );
    ctx.out(deleteAdvice(answer.hits, 'number'));
  },
};

export const phones: GroupDef = { name: 'phones', summary: 'phone-number conflicts', commands: [search] };
