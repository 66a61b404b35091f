import { api, enc } from '../api';
import { confirmAction } from '../dialog';
import { act, button, details, h, statusLine, uid } from '../dom';
import { accountHref } from '../page';
import { activeBadge } from './users';

export interface Holder {
  accountId: string;
  accountName?: string;
  userId: string;
  userName: string;
  active: boolean;
}

/**
 * One user found holding a conflicting value (Phone Number Conflict Search, Conflict Search): who it is, what it
 * holds, and Delete after a confirmation that says what deleting it does (`confirmText`).
 */
export function holderCard(hit: Holder, held: [string, string], confirmText: string, freed: string): HTMLElement {
  const status = statusLine();
  const titleId = uid('hit');
  const card = h('article', { class: 'card', 'aria-labelledby': titleId },
    h('div', { class: 'card-head' }, h('h2', { id: titleId, tabindex: '-1' }, hit.userName), activeBadge(hit.active)),
    details([
      ['Account', h('a', { href: accountHref(hit.accountId) }, hit.accountName ?? hit.accountId)],
      held,
      ['User ID', h('a', { href: accountHref(hit.accountId, `/users/${encodeURIComponent(hit.userId)}`) }, hit.userId)],
    ]),
  );
  const del = button('Delete', async () => {
    const sure = await confirmAction(`Delete ${hit.userName}?`, confirmText, 'Delete user');
    if (!sure) return;
    const ok = await act(del, status, `Deleting ${hit.userName}…`, async () => {
      await api('DELETE', `/accounts/${enc(hit.accountId)}/users/${enc(hit.userId)}`);
      return `${hit.userName} deleted: ${freed} is free.`;
    });
    if (ok) {
      // The button goes (there is nothing left to delete); focus stays on this result, not lost to the page.
      del.remove();
      card.classList.add('gone');
      card.querySelector<HTMLElement>('h2')?.focus();
    }
  }, { class: 'danger', 'aria-describedby': titleId });
  card.append(h('div', { class: 'actions' }, del), status.el);
  return card;
}
