import type { AccountView, DomainClaimView, DomainListView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { confirmAction } from '../dialog';
import { act, button, h, statusLine, uid } from '../dom';
import { when } from '../format';
import { accountHref } from '../page';

/**
 * Domain claims on the account page, for operators only (issue 14, item 2): the account's claimed domains, the
 * values other accounts already hold in each (to free with the Conflict Search), a form to claim one, and Release.
 */
export function domainClaimsSection(account: AccountView): HTMLElement {
  const section = h('section', { class: 'domains', 'aria-labelledby': 'domains-title' });
  void render(account, section);
  return section;
}

async function render(account: AccountView, section: HTMLElement, message?: string): Promise<void> {
  const status = statusLine();
  const list = h('div', { class: 'domain-list', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading domain claims…'));
  const inputId = uid('domain');
  const hintId = uid('domain-hint');
  const input = h('input', { id: inputId, autocomplete: 'off', placeholder: 'acme.com', 'aria-describedby': hintId });
  const claim = h('button', { type: 'submit' }, 'Claim domain');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('p', { id: hintId, class: 'hint' },
      `While ${account.name} claims a domain, only it may hold login IDs and email addresses in the domain and its subdomains; other accounts get "belongs to another account".`,
    ),
    h('div', { class: 'field grow' }, h('label', { for: inputId }, 'Domain'), input),
    h('div', { class: 'field' }, claim),
  );
  section.replaceChildren(h('h2', { id: 'domains-title' }, 'Domain claims'), list, form, status.el);
  const refresh = (m?: string) => void render(account, section, m);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!input.value.trim()) {
      status.error('Enter the domain to claim, e.g. acme.com.');
      input.focus();
      return;
    }
    void act(claim, status, 'Claiming…', async () => {
      const view = await api<DomainClaimView>('PUT', `/accounts/${enc(account.id)}/domains/${enc(input.value.trim())}`);
      refresh(`Claimed ${view.domain}.${view.heldElsewhere.length > 0 ? ` ${view.heldElsewhere.length} values in it are held by other accounts: see below.` : ''}`);
    });
  });
  try {
    const view = await api<DomainListView>('GET', `/accounts/${enc(account.id)}/domains`);
    list.removeAttribute('aria-busy');
    list.replaceChildren(
      ...(view.domains.length === 0 ? [h('p', { class: 'muted' }, 'No domain claimed: any account may hold login IDs and emails in any domain.')] : view.domains.map((c) => claimCard(account, c, refresh))),
    );
    if (message) status.ok(message);
  } catch (e) {
    list.replaceChildren();
    status.error((e as Error).message);
  }
}

function claimCard(account: AccountView, c: DomainClaimView, refresh: (m?: string) => void): HTMLElement {
  const status = statusLine();
  const release = button('Release', async () => {
    const sure = await confirmAction(`Release ${c.domain}?`, `Any account may then hold login IDs and email addresses in ${c.domain} and its subdomains again.`, 'Release domain');
    if (!sure) return;
    const ok = await act(release, status, 'Releasing…', () => api('DELETE', `/accounts/${enc(account.id)}/domains/${enc(c.domain)}`));
    if (ok) refresh(`Released ${c.domain}.`);
  }, { class: 'danger' });
  const held = c.heldElsewhere.length === 0
    ? h('p', { class: 'muted' }, c.complete ? 'No other account holds a login ID or email in it.' : 'The listing stopped at its bound; reload to list more.')
    : h('div', null,
        h('p', null, `Held by other accounts (${c.heldElsewhere.length}${c.complete ? '' : '+'}): they keep these values until freed — find each holder with Conflict Search.`),
        h('table', { class: 'held' },
          h('thead', null, h('tr', null, h('th', null, 'Kind'), h('th', null, 'Value'), h('th', null, 'Account'), h('th', null, 'User'))),
          h('tbody', null, ...c.heldElsewhere.map((x) =>
            h('tr', null,
              h('td', null, x.kind === 'userName' ? 'Login ID' : 'Email'),
              h('td', null, h('code', null, x.value)),
              h('td', null, h('a', { href: accountHref(x.accountId) }, x.accountId)),
              h('td', null, h('a', { href: accountHref(x.accountId, `/users/${enc(x.userId)}`) }, x.userId)),
            ),
          )),
        ),
      );
  return h('article', { class: 'card', 'aria-label': `Domain ${c.domain}` },
    h('div', { class: 'card-head' }, h('h3', null, c.domain), h('span', { class: 'muted' }, 'claimed ', when(c.claimedAt))),
    held,
    h('div', { class: 'actions' }, release),
    status.el,
  );
}
