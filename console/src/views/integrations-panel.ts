import type { AccountView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { openModal } from '../dialog';
import { act, button, h, statusLine, uid } from '../dom';
import { ENTRA } from './entra';

const TABS = ['All', '3rd party'] as const;

/** The server's refusal (SPEC §2), said before anyone tries. */
export const PARTNER_NOTE =
  'Integrations are not supported for partner accounts. Create a customer account and add the integration there.';

/**
 * The Integrations panel (+ Add new): tabs of available integrations; the 3rd party tab lists Entra ID Sync
 * with Add. Done closes it and the Integrations section shows what was added.
 */
export function integrationsPanel(account: AccountView, alreadyAdded: boolean, refresh: (message?: string) => void): void {
  let added = alreadyAdded;
  let addedNow = false;
  const status = statusLine();
  const partner = account.type === 'partner';

  const row = () => {
    const nameId = uid('integration');
    const add = button(added ? 'Added' : 'Add', () => void addIntegration(add), { class: 'primary', disabled: added, 'aria-describedby': nameId });
    return h('li', { class: 'integration-row' },
      h('div', null,
        h('strong', { id: nameId }, ENTRA),
        h('p', { class: 'muted' }, 'Provisions users from Microsoft Entra ID (Azure AD) into this account over SCIM 2.0.'),
      ),
      partner ? null : add,
    );
  };

  const addIntegration = async (btn: HTMLButtonElement) => {
    const ok = await act(btn, status, `Adding ${ENTRA}…`, async () => {
      await api('PUT', `/accounts/${enc(account.id)}/integration`);
      return `${ENTRA} added. Select Done, then Complete setup to generate its keys.`;
    });
    if (!ok) return;
    added = addedNow = true;
    for (const b of panel.dialog.querySelectorAll<HTMLButtonElement>('.integration-row button')) {
      b.textContent = 'Added';
      b.disabled = true;
    }
    done.focus();
  };

  const tabIds = TABS.map(() => uid('tab'));
  const panelIds = TABS.map(() => uid('tabpanel'));
  const tabs = TABS.map((label, i) =>
    h('button', { type: 'button', role: 'tab', id: tabIds[i], 'aria-controls': panelIds[i], 'aria-selected': String(i === 0), tabindex: i === 0 ? '0' : '-1', onclick: () => select(i) }, label),
  );
  const panels = TABS.map((_, i) =>
    h('div', { role: 'tabpanel', id: panelIds[i], 'aria-labelledby': tabIds[i], tabindex: '0', hidden: i !== 0 },
      h('ul', { class: 'integration-rows' }, row()),
    ),
  );
  const select = (i: number) => {
    tabs.forEach((t, j) => {
      t.setAttribute('aria-selected', String(i === j));
      t.tabIndex = i === j ? 0 : -1;
      panels[j]!.hidden = i !== j;
    });
    tabs[i]!.focus();
  };
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Integration sources', class: 'tabs' }, tabs);
  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Tab moves on into the panel.
  tablist.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -2;
    if (next === -2) return;
    e.preventDefault();
    select((next + tabs.length) % tabs.length);
  });

  const done = button('Done', () => panel.close(), { class: 'primary' });
  const panel = openModal({
    title: 'Integrations',
    variant: 'panel',
    body: [partner ? h('p', { class: 'notice', role: 'note' }, PARTNER_NOTE) : null, tablist, panels, status.el],
    footer: [done],
    focus: tabs[0],
    onClose: () => refresh(addedNow ? `${ENTRA} added. Complete setup generates its keys.` : undefined),
  });
}
