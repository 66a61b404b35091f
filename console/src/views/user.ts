import type { AdminUserView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { details, h } from '../dom';
import { when } from '../format';
import { Ctx, accountCrumbs, accountHref, page } from '../page';
import { getAccount } from './account';
import { activeBadge } from './users';

const ADDRESS: Array<[string, string]> = [
  ['streetAddress', 'Street address'],
  ['locality', 'City'],
  ['region', 'State or region'],
  ['postalCode', 'Postal code'],
  ['country', 'Country'],
];

/**
 * A user's details, read-only: Entra is the source of truth, so an edit here would be overwritten by its next
 * cycle. The work address is shown (read-only) although Mitel Administration does not display it: it is stored
 * for downstream apps, and an admin checking what Entra sent needs to see it.
 */
export async function userView(ctx: Ctx, accountId: string, userId: string): Promise<void> {
  const [account, user] = await Promise.all([getAccount(accountId), api<AdminUserView>('GET', `/accounts/${enc(accountId)}/users/${enc(userId)}`)]);
  if (!ctx.alive()) return;
  const crumbs = accountCrumbs(ctx, account, accountId);
  crumbs.push(['Users', accountHref(accountId, '/users')]);
  const body = page(ctx, user.displayName || user.userName, crumbs);
  const typed = (items: Array<{ type: string; value: string }>) =>
    items.length === 0 ? '' : h('ul', { class: 'plain' }, items.map((i) => h('li', null, i.value, ' ', h('span', { class: 'muted' }, `(${i.type})`))));
  const address = user.address ?? {};
  body.append(
    h('p', { class: 'muted' }, 'Synchronised from Microsoft Entra ID: change this user in Entra, not here.'),
    details([
      ['Login ID', user.userName],
      ['Display name', user.displayName ?? ''],
      ['Status', activeBadge(user.active)],
      ['Email addresses', typed(user.emails)],
      ['Phone numbers', typed(user.phoneNumbers)],
      ['Extension', user.extension ?? ''],
      ['External ID', user.externalId ? h('code', null, user.externalId) : ''],
      ['User ID', h('code', null, user.id)],
      ['Created', when(user.created)],
      ['Last modified', when(user.lastModified)],
    ]),
    h('section', { 'aria-labelledby': 'address-title' },
      h('h2', { id: 'address-title' }, 'Work address'),
      h('p', { class: 'muted' }, 'Read-only. Stored for downstream apps; Mitel Administration does not display these fields.'),
      Object.keys(address).length === 0 ? h('p', null, 'No work address was provisioned.') : details(ADDRESS.map(([key, label]) => [label, address[key] ?? ''])),
    ),
  );
}
