import type { AccountView } from '../../../lambdas/admin/contract';
import { api } from '../api';
import { openModal } from '../dialog';
import { act, button, h, statusLine, uid } from '../dom';
import { when } from '../format';
import { Ctx, TYPE_LABEL, accountHref, page, takeNotice } from '../page';

export const listAccounts = async () => (await api<{ accounts: AccountView[] }>('GET', '/accounts')).accounts;

/**
 * Accounts: partner and customer accounts the signed-in person may see (the API filters by role). An operator
 * creates partner or customer accounts; a partner creates customer accounts under itself.
 */
export async function accountsView(ctx: Ctx): Promise<void> {
  const body = page(ctx, 'Accounts', []);
  const status = statusLine();
  const notice = takeNotice();
  if (notice) status.ok(notice);
  const canCreate = ctx.me.role === 'operator' || ctx.me.role === 'partner';
  const createLabel = ctx.me.role === 'partner' ? 'Create customer account' : 'Create account';
  const list = h('div', { class: 'list', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading accounts…'));
  body.append(
    h('div', { class: 'toolbar' }, canCreate ? button(createLabel, () => void createAccount(ctx, createLabel, accounts)) : null, status.el),
    list,
  );
  let accounts: AccountView[] = [];
  try {
    accounts = await listAccounts();
  } catch (e) {
    if (ctx.alive()) status.error((e as Error).message);
    list.replaceChildren();
    return;
  }
  if (!ctx.alive()) return;
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  list.removeAttribute('aria-busy');
  list.replaceChildren(
    accounts.length === 0
      ? h('p', { class: 'muted' }, canCreate ? `No accounts yet. Use ${createLabel} to add one.` : 'No accounts.')
      : h('table', null,
          h('caption', { class: 'sr-only' }, 'Accounts'),
          h('thead', null, h('tr', null, ['Name', 'Type', 'Managing partner', 'Account ID', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null,
            [...accounts]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((a) =>
                h('tr', null,
                  h('td', { 'data-label': 'Name' }, h('a', { href: accountHref(a.id) }, a.name)),
                  h('td', { 'data-label': 'Type' }, TYPE_LABEL[a.type] ?? a.type),
                  h('td', { 'data-label': 'Managing partner' }, a.partnerId ? (names.get(a.partnerId) ?? a.partnerId) : '—'),
                  h('td', { 'data-label': 'Account ID' }, h('code', null, a.id)),
                  h('td', { 'data-label': 'Created' }, when(a.createdAt)),
                ),
              ),
          ),
        ),
  );
}

/** The create dialog: name; for an operator also the type and, for a customer, its managing partner. */
function createAccount(ctx: Ctx, title: string, accounts: AccountView[]) {
  const operator = ctx.me.role === 'operator';
  const nameId = uid('name');
  const name = h('input', { id: nameId, name: 'name', required: true, maxlength: 200, autocomplete: 'organization' });
  const typeName = uid('type');
  const radio = (value: string, label: string, checked: boolean) =>
    h('label', { class: 'choice' }, h('input', { type: 'radio', name: typeName, value, checked }), label);
  const partnerId = uid('partner');
  const partners = accounts.filter((a) => a.type === 'partner');
  const partner = h('select', { id: partnerId }, h('option', { value: '' }, 'None'), partners.map((p) => h('option', { value: p.id }, p.name)));
  const partnerRow = h('div', { class: 'field' }, h('label', { for: partnerId }, 'Managing partner'), partner);
  const status = statusLine();
  const formId = uid('create-form');
  const form = h('form', { id: formId, class: 'form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: nameId }, 'Account name'), name),
    operator ? h('fieldset', { class: 'field' }, h('legend', null, 'Type'), radio('customer', 'Customer', true), radio('partner', 'Partner', false)) : null,
    operator && partners.length > 0 ? partnerRow : null,
  );
  const type = () => (operator ? (form.querySelector<HTMLInputElement>(`input[name="${typeName}"]:checked`)?.value ?? 'customer') : 'customer');
  form.addEventListener('change', () => (partnerRow.hidden = type() !== 'customer'));
  // Outside the <form> (in the dialog's footer) yet its submit button, so Enter in a field submits too.
  const create = h('button', { type: 'submit', form: formId, class: 'primary' }, 'Create');
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.value.trim()) {
      status.error('Enter the account name.');
      name.focus();
      return;
    }
    let created: AccountView | undefined;
    const ok = await act(create, status, 'Creating the account…', async () => {
      const t = type();
      const request = {
        name: name.value.trim(),
        type: t,
        // A partner creates customer accounts under itself; an operator may pick the managing partner.
        ...(ctx.me.role === 'partner' ? { partnerId: ctx.me.accountId } : t === 'customer' && partner.value ? { partnerId: partner.value } : {}),
      };
      created = await api<AccountView>('POST', '/accounts', request);
    });
    if (ok && created) {
      modal.close();
      location.hash = accountHref(created.id);
    }
  };
  form.addEventListener('submit', (e) => void submit(e));
  const modal = openModal({
    title,
    body: [form, status.el],
    footer: [create, button('Cancel', () => modal.close())],
    focus: name,
  });
}
