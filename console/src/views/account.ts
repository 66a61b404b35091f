import type { AccountDeletionView, AccountView, IntegrationView, UserListView } from '../../../lambdas/admin/contract';
import { ApiError, api, enc } from '../api';
import { confirmAction } from '../dialog';
import { act, button, details, h, statusLine } from '../dom';
import { plural, when } from '../format';
import { Ctx, TYPE_LABEL, accountCrumbs, accountHref, page, setNotice } from '../page';
import { entraDialog } from './entra-dialog';
import { integrationsPanel } from './integrations-panel';
import { provisioningHealthSection } from './provisioning-health';
import { ENTRA } from './entra';


export const getAccount = (id: string) => api<AccountView>('GET', `/accounts/${enc(id)}`);

/** The integration, or undefined when the account has none (the API answers 404 then). */
export async function getIntegration(accountId: string): Promise<IntegrationView | undefined> {
  try {
    return await api<IntegrationView>('GET', `/accounts/${enc(accountId)}/integration`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** Account Information: the account's facts and its Integrations section. */
export async function accountView(ctx: Ctx, accountId: string): Promise<void> {
  const account = await getAccount(accountId);
  if (!ctx.alive()) return;
  const body = page(ctx, 'Account Information', accountCrumbs(ctx, undefined, accountId).slice(0, -1), { id: accountId, current: 'info' });
  // The partner's name when the signed-in person may read that account (an account admin may not: the id then).
  const partnerName = account.partnerId && ctx.me.role !== 'account-admin' ? h('a', { href: accountHref(account.partnerId) }, account.partnerId) : (account.partnerId ?? '');
  if (typeof partnerName !== 'string' && account.partnerId) {
    getAccount(account.partnerId).then((p) => (partnerName.textContent = p.name), () => undefined);
  }
  body.append(
    details([
      ['Account name', account.name],
      ['Account ID', h('code', null, account.id)],
      ['Type', TYPE_LABEL[account.type] ?? account.type],
      ...(account.type === 'customer' ? ([['Managing partner', partnerName]] as Array<[string, ReturnType<typeof h> | string]>) : []),
      ['Created', when(account.createdAt)],
    ]),
  );
  if (mayDelete(ctx, account)) {
    const status = statusLine();
    const del = button('Delete account', () => void deleteAccount(account, del, status), { class: 'danger' });
    body.append(h('div', { class: 'actions account-actions' }, del, status.el));
  }
  const section = h('section', { class: 'integrations', 'aria-labelledby': 'integrations-title' });
  body.append(section);
  await renderIntegrations(ctx, account, section);
}

/** As the API decides (lambdas/admin/access.ts): an operator any account, a partner its customers, not itself. */
const mayDelete = (ctx: Ctx, account: AccountView) => ctx.me.role === 'operator' || (ctx.me.role === 'partner' && account.id !== ctx.me.accountId);

/**
 * Delete the account with its users and integration, after saying exactly what goes. The API deletes a bounded
 * batch per call (202 + what remains): call again until it is gone, showing the progress.
 */
async function deleteAccount(account: AccountView, btn: HTMLButtonElement, status: ReturnType<typeof statusLine>) {
  const id = enc(account.id);
  let integration: IntegrationView | undefined;
  let users = 0;
  const read = await act(btn, status, 'Checking what the account holds…', async () => {
    [integration, users] = await Promise.all([getIntegration(account.id), api<UserListView>('GET', `/accounts/${id}/users?count=1`).then((l) => l.totalResults)]);
  });
  if (!read) return;
  const goes = [
    users > 0 ? `its ${plural(users, 'user')} (their login IDs, emails and phone numbers become free for other accounts)` : '',
    integration ? `${ENTRA} (its Tenant URL and Secret Token stop working at once)` : '',
  ].filter(Boolean);
  const sure = await confirmAction(
    `Delete ${account.name}?`,
    `The account ${goes.length ? `and ${goes.join(' and ')} are` : 'is'} deleted. This cannot be undone.`,
    'Delete account',
  );
  if (!sure) return;
  const done = await act(btn, status, 'Deleting the account…', async () => {
    let deleted = 0;
    for (let step: AccountDeletionView | undefined; !step?.deleted; ) {
      step = await api<AccountDeletionView>('DELETE', `/accounts/${id}?force=true`);
      deleted += step.usersDeleted;
      if (!step.deleted) status.busy(`Deleting the account… ${plural(deleted, 'user')} deleted, ${step.usersRemaining} to go.`);
    }
  });
  if (!done) return;
  setNotice(`Account ${account.name} deleted${users > 0 ? ` with its ${plural(users, 'user')}` : ''}.`);
  location.hash = '#/accounts';
}

async function renderIntegrations(ctx: Ctx, account: AccountView, section: HTMLElement, message?: string): Promise<void> {
  // Re-rendering replaces the section's buttons: whoever had focus in it gets the same button back (or the heading).
  const focused = section.contains(document.activeElement) ? document.activeElement?.textContent : undefined;
  const status = statusLine();
  const refresh = (m?: string) => void renderIntegrations(ctx, account, section, m);
  const addNew = button('+ Add new', () => integrationsPanel(account, integration !== undefined, refresh), { class: 'link-button' });
  const content = h('div', { class: 'integration-list', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading integrations…'));
  const heading = h('h2', { id: 'integrations-title', tabindex: '-1' }, 'Integrations');
  section.replaceChildren(h('div', { class: 'section-head' }, heading, addNew), content, status.el);
  const refocus = () => {
    if (focused === undefined || (document.activeElement && document.activeElement !== document.body)) return;
    const same = [...section.querySelectorAll('button')].find((b) => b.textContent === focused);
    (same ?? heading).focus();
  };
  let integration: IntegrationView | undefined;
  try {
    integration = await getIntegration(account.id);
  } catch (e) {
    if (ctx.alive()) status.error((e as Error).message);
    content.replaceChildren();
    return;
  }
  if (!ctx.alive()) return;
  content.removeAttribute('aria-busy');
  if (message) status.ok(message);
  if (!integration) {
    content.replaceChildren(h('p', { class: 'muted' }, 'No integrations yet. Use + Add new to add one.'));
    refocus();
    return;
  }
  const i = integration;
  const cardStatus = statusLine();
  const setup = button('Complete setup', () => entraDialog(account.id, i, refresh), { class: i.keysGeneratedAt ? '' : 'primary' });
  const remove = button('Remove', () => void removeIntegration(account, remove, cardStatus, refresh), { class: 'danger' });
  content.replaceChildren(
    h('article', { class: 'card', 'aria-labelledby': 'entra-title' },
      h('div', { class: 'card-head' },
        h('h3', { id: 'entra-title' }, ENTRA),
        h('span', { class: `badge ${i.keysGeneratedAt ? 'on' : 'pending'}` }, i.keysGeneratedAt ? 'Keys generated' : 'Setup incomplete'),
      ),
      details([
        ['Added', when(i.addedAt)],
        ['Keys generated', when(i.keysGeneratedAt, 'Not yet: use Complete setup')],
        ['Last request from Entra', when(i.lastRequestAt, 'None seen yet')],
        ['Users provisioned', h('a', { href: accountHref(account.id, '/users') }, plural(i.usersProvisioned, 'user'))],
        ...(i.tenantUrl ? ([['Tenant URL', h('code', { class: 'wrap' }, i.tenantUrl)]] as Array<[string, HTMLElement]>) : []),
      ]),
      provisioningHealthSection(account.id),
      h('div', { class: 'actions' }, setup, remove),
      cardStatus.el,
    ),
  );
  refocus();
}

/** Removing revokes Entra's access at once (the next SCIM request gets 401); provisioned users stay. */
async function removeIntegration(account: AccountView, btn: HTMLButtonElement, status: ReturnType<typeof statusLine>, refresh: (message: string) => void) {
  const sure = await confirmAction(
    `Remove ${ENTRA}?`,
    `Entra's access to ${account.name} is revoked at once: its Tenant URL and Secret Token stop working on the very next request. The users already provisioned are kept.`,
    'Remove integration',
  );
  if (!sure) return;
  const ok = await act(btn, status, 'Removing the integration…', () => api('DELETE', `/accounts/${enc(account.id)}/integration`));
  if (ok) refresh(`${ENTRA} removed: Entra's access is revoked.`);
}
