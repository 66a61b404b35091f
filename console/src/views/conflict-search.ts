import type { ConflictHit, ConflictKind, ConflictSearchView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { h } from '../dom';
import { Ctx, accountCrumbs, accountHref, page } from '../page';
import { getAccount } from './account';
import { holderCard } from './holder-card';
import { searchForm } from './search-form';

const KINDS: Array<[ConflictKind, string]> = [
  ['userName', 'Login ID'],
  ['email', 'Email address'],
  ['phone', 'Phone number'],
  ['extension', 'Extension (this account)'],
];

/**
 * Conflict Search (issue 14, item 3): the general form of the Phone Number Conflict Search, beside it on the Users
 * page. When Entra reports "… is already in use by another user" for a login ID, an email, a phone number or an
 * extension, find the holder — in an account the admin manages, active or not — and delete it after a warning. A
 * holder elsewhere is only said to exist: an operator can free it.
 */
export async function conflictSearchView(ctx: Ctx, accountId: string): Promise<void> {
  const account = await getAccount(accountId);
  if (!ctx.alive()) return;
  const crumbs = accountCrumbs(ctx, account, accountId);
  crumbs.push(['Users', accountHref(accountId, '/users')]);
  const body = page(ctx, 'Conflict Search', crumbs);
  const kind = h('select', null, KINDS.map(([value, label]) => h('option', { value }, label)));
  const value = h('input', { autocomplete: 'off', required: true });
  body.append(
    ...searchForm({
      intro: 'When Entra reports that a login ID, email address, phone number or extension is already in use by another user, that user still holds it. Find it here; delete it only if it is stale, or Entra provisions it again.',
      scope: `Login IDs, email addresses and phone numbers are unique across the platform: every account is searched, and a holder in an account you do not manage is only said to exist. Extensions are searched in ${account.name}.`,
      hint: 'The value from Entra\'s error, in any case. A phone number in any format (for a national number without +, also its country, e.g. US); an extension is searched in this account.',
      fields: [
        { label: 'Kind', control: kind },
        { label: 'Value', control: value, grow: true },
      ],
      required: [value, 'Enter the value to search for.'],
      search: async (c) => {
        const k = kind.value as ConflictKind;
        const query = `kind=${enc(k)}&value=${enc(value.value.trim())}${k === 'phone' && c ? `&country=${enc(c)}` : ''}${k === 'extension' ? `&account=${enc(accountId)}` : ''}`;
        const view = await api<ConflictSearchView>('GET', `/conflicts?${query}`);
        const cards = view.hits.map((hit) => hitCard(hit, view.value));
        if (view.heldElsewhere) return { cards, message: `${view.value}: ${view.heldElsewhere}` };
        return { cards, message: view.hits.length === 0 ? `No user holds ${view.value}.` : `${view.value} is held by ${view.hits.map((x) => x.userName).join(', ')}.` };
      },
    }),
  );
}

function hitCard(hit: ConflictHit, searched: string): HTMLElement {
  const warning = hit.active
    ? `${hit.userName} is ACTIVE: its account's Entra still provisions it. Deleting it removes a working user, and Entra creates it again in a later cycle if it is still in scope. Fix the data in Entra instead unless you are sure.`
    : `${hit.userName} is inactive.`;
  return holderCard(
    hit,
    ['Held as', `${hit.value} (${hit.attributes.join(', ')})`],
    `${warning} It is deleted from ${hit.accountName ?? hit.accountId}, releasing its login ID, email addresses, phone numbers and extension.`,
    searched,
  );
}
