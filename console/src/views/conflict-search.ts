import type { ConflictHit, ConflictKind, ConflictSearchView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { act, h, statusLine, uid } from '../dom';
import { Ctx, accountCrumbs, accountHref, page } from '../page';
import { getAccount } from './account';
import { holderCard } from './holder-card';

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
  const kindId = uid('kind');
  const kind = h('select', { id: kindId }, KINDS.map(([value, label]) => h('option', { value }, label)));
  const valueId = uid('value');
  const hintId = uid('hint');
  const value = h('input', { id: valueId, autocomplete: 'off', required: true, 'aria-describedby': hintId });
  const countryId = uid('country');
  const country = h('input', { id: countryId, maxlength: 2, autocomplete: 'off', class: 'country', 'aria-describedby': hintId });
  const search = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const status = statusLine();
  const results = h('div', { class: 'results' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('p', { id: hintId, class: 'hint' },
      'The value from Entra\'s error, in any case. A phone number in any format (for a national number without +, also its country, e.g. US); an extension is searched in this account.',
    ),
    h('div', { class: 'field' }, h('label', { for: kindId }, 'Kind'), kind),
    h('div', { class: 'field grow' }, h('label', { for: valueId }, 'Value'), value),
    h('div', { class: 'field' }, h('label', { for: countryId }, 'Country'), country),
    h('div', { class: 'field' }, search),
  );
  body.append(
    h('p', null, 'When Entra reports that a login ID, email address, phone number or extension is already in use by another user, that user still holds it. Find it here; delete it only if it is stale, or Entra provisions it again.'),
    form,
    status.el,
    results,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!value.value.trim()) {
      status.error('Enter the value to search for.');
      value.focus();
      return;
    }
    void act(search, status, 'Searching…', async () => {
      results.replaceChildren();
      const k = kind.value as ConflictKind;
      const c = country.value.trim();
      const query = `kind=${enc(k)}&value=${enc(value.value.trim())}${k === 'phone' && c ? `&country=${enc(c)}` : ''}${k === 'extension' ? `&account=${enc(accountId)}` : ''}`;
      const view = await api<ConflictSearchView>('GET', `/conflicts?${query}`);
      results.replaceChildren(...view.hits.map((hit) => hitCard(hit, view.value)));
      if (view.heldElsewhere) return `${view.value}: ${view.heldElsewhere}`;
      return view.hits.length === 0 ? `No user holds ${view.value}.` : `${view.value} is held by ${view.hits.map((x) => x.userName).join(', ')}.`;
    });
  });
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
