import type { PhoneSearchHit, PhoneSearchView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { act, h, statusLine, uid } from '../dom';
import { Ctx, accountCrumbs, accountHref, page } from '../page';
import { getAccount } from './account';
import { holderCard } from './holder-card';

/**
 * Phone Number Conflict Search (SPEC §5): when Entra keeps failing a user with "… is already in use by another
 * user", find who holds the number — any account the admin may see, active or not — and delete that user so
 * Entra's next cycle succeeds.
 */
export async function phoneConflictView(ctx: Ctx, accountId: string): Promise<void> {
  const account = await getAccount(accountId);
  if (!ctx.alive()) return;
  const crumbs = accountCrumbs(ctx, account, accountId);
  crumbs.push(['Users', accountHref(accountId, '/users')]);
  const body = page(ctx, 'Phone Number Conflict Search', crumbs);
  const inputId = uid('number');
  const hintId = uid('hint');
  const number = h('input', { id: inputId, type: 'tel', inputmode: 'tel', autocomplete: 'off', required: true, 'aria-describedby': hintId });
  const countryId = uid('country');
  const country = h('input', { id: countryId, maxlength: 2, autocomplete: 'off', class: 'country', 'aria-describedby': hintId });
  const search = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const status = statusLine();
  const results = h('div', { class: 'results' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('p', { id: hintId, class: 'hint' },
      'Any format, e.g. +1 415 555 0100; for a national number without +, also its country (two letters, e.g. US). Mobile, work and other numbers of active and inactive users are searched.',
    ),
    h('div', { class: 'field grow' }, h('label', { for: inputId }, 'Phone number'), number),
    h('div', { class: 'field' }, h('label', { for: countryId }, 'Country'), country),
    h('div', { class: 'field' }, search),
  );
  body.append(
    h('p', null, 'When Entra reports that a phone number is already in use by another user, that user (often disabled or stale) still holds it. Find it here and delete it: Entra\'s next provisioning cycle then succeeds.'),
    form,
    status.el,
    results,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!number.value.trim()) {
      status.error('Enter a phone number.');
      number.focus();
      return;
    }
    let view: PhoneSearchView | undefined;
    void act(search, status, 'Searching…', async () => {
      results.replaceChildren();
      const c = country.value.trim();
      view = await api<PhoneSearchView>('GET', `/phones?number=${enc(number.value.trim())}${c ? `&country=${enc(c)}` : ''}`);
      results.replaceChildren(...view.hits.map((hit) => hitCard(hit, view!.number)));
      return view.hits.length === 0 ? `No user holds ${view.number}.` : `${view.number} is held by ${view.hits.map((x) => x.userName).join(', ')}.`;
    });
  });
}

function hitCard(hit: PhoneSearchHit, number: string): HTMLElement {
  return holderCard(
    hit,
    ['Number', `${hit.value} (${hit.types.join(', ')})`],
    `${hit.userName} is deleted from ${hit.accountName ?? hit.accountId}, releasing its login ID, email addresses and phone numbers. If Entra still has this user in scope, it provisions it again in a later cycle.`,
    number,
  );
}
