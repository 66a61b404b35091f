import type { AdminUserView, UserListView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { breakable, h, statusLine, uid } from '../dom';
import { plural } from '../format';
import { Ctx, accountCrumbs, accountHref, page } from '../page';
import { getAccount, getIntegration } from './account';

const USER_ORDER = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The API's page size cap; an account's users are fetched page by page up to LIMIT. */
const PAGE = 500;
const LIMIT = 5000;

/** Status filter, kept while moving between an account's Users page and a user's details. */
const filters = new Map<string, { status: string; text: string }>();

/**
 * Users: active and inactive, filtered by status (through the API) and by text (name, login ID, email, phone,
 * here in the page). For accounts with the integration, the way to Phone Number Conflict Search.
 */
export async function usersView(ctx: Ctx, accountId: string): Promise<void> {
  const [account, integration] = await Promise.all([getAccount(accountId), getIntegration(accountId)]);
  if (!ctx.alive()) return;
  const body = page(ctx, 'Users', accountCrumbs(ctx, account, accountId), { id: accountId, current: 'users' });
  const filter = filters.get(accountId) ?? { status: '', text: '' };
  filters.set(accountId, filter);
  const statusId = uid('status');
  const textId = uid('search');
  const statusSelect = h('select', { id: statusId },
    [['', 'All'], ['true', 'Active'], ['false', 'Inactive']].map(([value, label]) => h('option', { value, selected: value === filter.status }, label)),
  );
  const text = h('input', { id: textId, type: 'search', value: filter.text, placeholder: 'Name, login ID, email or phone', autocomplete: 'off' });
  const count = statusLine();
  const list = h('div', { class: 'list' });
  if (integration) {
    body.append(h('p', null, h('a', { href: '#/phone-conflict' }, 'Click here if you have an AD Sync phone number conflict')));
    body.append(h('p', null, h('a', { href: accountHref(accountId, '/conflict-search') }, 'Login ID, email or extension already in use? Conflict Search')));
  }
  body.append(
    h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: statusId }, 'Status'), statusSelect),
      h('div', { class: 'field grow' }, h('label', { for: textId }, 'Search'), text),
    ),
    count.el,
    list,
  );

  let users: AdminUserView[] = [];
  let total = 0;
  const show = () => {
    const q = filter.text.trim().toLowerCase();
    const shown = q ? users.filter((u) => matches(u, q)) : users;
    const what = filter.status === 'true' ? 'active user' : filter.status === 'false' ? 'inactive user' : 'user';
    const more = total > users.length ? ` (the first ${users.length} of ${total} are searched)` : '';
    count.info(q ? `${shown.length} of ${plural(users.length, what)} match${more}.` : `${plural(total, what)}${more}.`);
    list.replaceChildren(
      shown.length === 0
        ? h('p', { class: 'muted' }, users.length === 0 ? 'No users yet: Entra provisions them once the integration is set up.' : 'No user matches.')
        : table(accountId, shown),
    );
  };
  let loads = 0;
  const load = async () => {
    const mine = ++loads;
    count.busy('Loading users…');
    list.setAttribute('aria-busy', 'true');
    try {
      const page1 = await fetchUsers(accountId, filter.status, 1);
      let all = page1.users;
      while (all.length < Math.min(page1.totalResults, LIMIT)) {
        const next = await fetchUsers(accountId, filter.status, all.length + 1);
        if (next.users.length === 0) break;
        all = all.concat(next.users);
      }
      if (mine !== loads || !ctx.alive()) return;
      const name = (u: AdminUserView) => u.displayName || u.userName;
      // Numeric collation: user 2 before user 10, as people count (plain localeCompare gives 1, 10, 11, 2).
      users = all.sort((a, b) => USER_ORDER.compare(name(a), name(b)));
      total = page1.totalResults;
      show();
    } catch (e) {
      if (mine === loads && ctx.alive()) count.error((e as Error).message);
    } finally {
      list.removeAttribute('aria-busy');
    }
  };
  statusSelect.addEventListener('change', () => {
    filter.status = statusSelect.value;
    void load();
  });
  text.addEventListener('input', () => {
    filter.text = text.value;
    show();
  });
  await load();
}

const fetchUsers = (accountId: string, active: string, startIndex: number) =>
  api<UserListView>('GET', `/accounts/${enc(accountId)}/users?startIndex=${startIndex}&count=${PAGE}${active ? `&active=${active}` : ''}`);

const matches = (u: AdminUserView, q: string) =>
  [u.userName, u.displayName ?? '', u.externalId ?? '', u.extension ?? '', ...u.emails.map((e) => e.value), ...u.phoneNumbers.map((p) => p.value)].some((v) =>
    v.toLowerCase().includes(q),
  );

function table(accountId: string, users: AdminUserView[]): HTMLTableElement {
  return h('table', null,
    h('caption', { class: 'sr-only' }, 'Users'),
    h('thead', null, h('tr', null, ['Name', 'Login ID', 'Email', 'Phone', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null,
      users.map((u) =>
        h('tr', null,
          h('td', { 'data-label': 'Name' }, h('a', { href: accountHref(accountId, `/users/${encodeURIComponent(u.id)}`) }, u.displayName || u.userName)),
          h('td', { 'data-label': 'Login ID', class: 'addr' }, breakable(u.userName)),
          h('td', { 'data-label': 'Email', class: 'addr' }, breakable((u.emails.find((e) => e.type === 'work') ?? u.emails[0])?.value ?? '—')),
          h('td', { 'data-label': 'Phone' }, u.phoneNumbers.map((p) => p.value).join(', ') || '—'),
          h('td', { 'data-label': 'Status' }, activeBadge(u.active)),
        ),
      ),
    ),
  );
}

export const activeBadge = (active: boolean) => h('span', { class: `badge ${active ? 'on' : 'off'}` }, active ? 'Active' : 'Inactive');
