import type { PhoneSearchHit, PhoneSearchView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { h } from '../dom';
import { Ctx, accountHref, page } from '../page';
import { holderCard } from './holder-card';
import { searchForm } from './search-form';

/**
 * Phone Number Conflict Search (SPEC §5): when Entra keeps failing a user with "… is already in use by another
 * user", find who holds the number — any account the admin may see, active or not — and delete that user so
 * Entra's next cycle succeeds. It searches across accounts, so it is a page of its own (#/phone-conflict), not one
 * under an account's breadcrumb, and says which accounts it covers for the signed-in person.
 */
export async function phoneConflictView(ctx: Ctx): Promise<void> {
  const crumbs: Array<[string, string]> =
    ctx.me.role === 'account-admin' ? (ctx.me.accountId ? [['My account', accountHref(ctx.me.accountId)]] : []) : [['Accounts', '#/accounts']];
  const body = page(ctx, 'Phone Number Conflict Search', crumbs);
  const number = h('input', { type: 'tel', inputmode: 'tel', autocomplete: 'off', required: true });
  body.append(
    ...searchForm({
      intro: 'When Entra reports that a phone number is already in use by another user, that user (often disabled or stale) still holds it. Find it here and delete it: Entra\'s next provisioning cycle then succeeds.',
      scope: SCOPE[ctx.me.role],
      hint: 'Any format, e.g. +1 415 555 0100; for a national number without +, also its country (two letters, e.g. US). Mobile, work and other numbers of active and inactive users are searched.',
      fields: [{ label: 'Phone number', control: number, grow: true }],
      required: [number, 'Enter a phone number.'],
      search: async (country) => {
        const view = await api<PhoneSearchView>('GET', `/phones?number=${enc(number.value.trim())}${country ? `&country=${enc(country)}` : ''}`);
        return {
          cards: view.hits.map((hit) => hitCard(hit, view.number)),
          message: view.hits.length === 0 ? `No user holds ${view.number}.` : `${view.number} is held by ${view.hits.map((x) => x.userName).join(', ')}.`,
        };
      },
    }),
  );
}

/** What the API searches for each role (lambdas/admin/access.ts `visibleHits`): a holder elsewhere is no hit. */
const SCOPE: Record<Ctx['me']['role'], string> = {
  operator: 'Searches every account on the platform.',
  partner: 'Searches your partner account and the customer accounts you manage; a holder in any other account is not shown (an operator can find it).',
  'account-admin': 'Searches your account only; a holder in another account is not shown (your partner or an operator can find it).',
};

function hitCard(hit: PhoneSearchHit, number: string): HTMLElement {
  return holderCard(
    hit,
    ['Number', `${hit.value} (${hit.types.join(', ')})`],
    `${hit.userName} is deleted from ${hit.accountName ?? hit.accountId}, releasing its login ID, email addresses and phone numbers. If Entra still has this user in scope, it provisions it again in a later cycle.`,
    number,
  );
}
