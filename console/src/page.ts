import type { AccountView, WhoamiView } from '../../lambdas/admin/contract';
import { h } from './dom';

/** Who is signed in (GET /console/api/me). */
export type Me = WhoamiView;

/** What every view gets: who is signed in, where to render, and whether it is still the current view. */
export interface Ctx {
  me: Me;
  main: HTMLElement;
  /** False once the person navigated elsewhere: late answers must not overwrite the new page. */
  alive: () => boolean;
}

export const accountHref = (id: string, sub = '') => `#/accounts/${encodeURIComponent(id)}${sub}`;

/**
 * A page: breadcrumbs, the h1 (focus target after navigation, so screen readers announce the new page), and
 * for account pages the Account Information / Users tabs.
 */
export function page(ctx: Ctx, title: string, crumbs: Array<[string, string]>, account?: { id: string; current: 'info' | 'users' | '' }): HTMLElement {
  document.title = `${title} · scimlink console`;
  const body = h('div', { class: 'page-body' });
  const nav: HTMLElement[] = [];
  if (crumbs.length > 0) {
    nav.push(
      h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
        h('ol', null, crumbs.map(([label, href]) => h('li', null, h('a', { href }, label))), h('li', { 'aria-current': 'page' }, title)),
      ),
    );
  }
  const tabs = account
    ? h('nav', { class: 'subnav', 'aria-label': 'Account' },
        subLink('Account Information', accountHref(account.id), account.current === 'info'),
        subLink('Users', accountHref(account.id, '/users'), account.current === 'users'),
      )
    : null;
  ctx.main.replaceChildren(...nav, h('h1', { tabindex: '-1' }, title), ...(tabs ? [tabs] : []), body);
  return body;
}

const subLink = (label: string, href: string, current: boolean) => h('a', { href, ...(current ? { 'aria-current': 'page' } : {}) }, label);

/** Breadcrumbs above an account's pages, by role: an account admin has no accounts list to go back to. */
export function accountCrumbs(ctx: Ctx, account: Pick<AccountView, 'id' | 'name'> | undefined, accountId: string): Array<[string, string]> {
  const crumbs: Array<[string, string]> = ctx.me.role === 'account-admin' ? [] : [['Accounts', '#/accounts']];
  crumbs.push([account?.name ?? accountId, accountHref(accountId)]);
  return crumbs;
}

export const TYPE_LABEL: Record<string, string> = { partner: 'Partner', customer: 'Customer' };

/** A message for the next page to show (e.g. "Account … deleted" on the Accounts list after the deletion). */
let notice: string | undefined;
export const setNotice = (message: string) => void (notice = message);
export function takeNotice(): string | undefined {
  const taken = notice;
  notice = undefined;
  return taken;
}
