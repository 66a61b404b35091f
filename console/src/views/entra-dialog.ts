import type { GeneratedKeysView, IntegrationView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { confirmAction, openModal } from '../dialog';
import { act, button, h, statusLine, uid } from '../dom';
import { when } from '../format';
import { ENTRA } from './entra';

export const REGENERATE_NOTE =
  'Generating keys again invalidates the previous Tenant URL and Secret Token immediately: Entra stops provisioning until you paste the new ones.';

export const FIRST_KEYS_NOTE = 'The Secret Token is shown only once, right after it is generated: have Entra\'s Admin Credentials open to paste it.';

/**
 * Complete setup: Generate keys shows the Tenant URL and Secret Token to paste into Entra's Admin Credentials.
 * The token exists only in this dialog's DOM while it is open — never in storage, never re-fetchable — and is
 * wiped when the dialog closes.
 */
export function entraDialog(accountId: string, integration: IntegrationView, refresh: (message?: string) => void): void {
  let hasKeys = integration.keysGeneratedAt !== undefined;
  let generated = false;
  /** Keys existed when some generation ran: only then did a previous Tenant URL and Secret Token stop working. */
  let replaced = false;
  // Before the first keys there is nothing to invalidate: say what matters then (the token is shown once).
  const note = h('p', { class: 'warning', role: 'note' }, hasKeys ? REGENERATE_NOTE : FIRST_KEYS_NOTE);
  const status = statusLine();
  const result = h('div', { class: 'keys', hidden: true });
  const generate = button('Generate keys', () => void onGenerate(), { class: 'primary' });

  const onGenerate = async () => {
    if (hasKeys) {
      const sure = await confirmAction(
        'Generate new keys?',
        'The current Tenant URL and Secret Token stop working at once. Entra fails to provision until you paste the new ones into its Admin Credentials.',
        'Generate new keys',
      );
      if (!sure) return;
    }
    let keys: GeneratedKeysView | undefined;
    const ok = await act(generate, status, 'Generating keys…', async () => {
      keys = await api<GeneratedKeysView>('POST', `/accounts/${enc(accountId)}/integration/keys`);
      return 'Keys generated. Copy both values into Entra now: the Secret Token is shown only once.';
    });
    if (!ok || !keys) return;
    replaced ||= hasKeys;
    hasKeys = generated = true;
    note.textContent = REGENERATE_NOTE;
    result.replaceChildren(copyField('Tenant URL', keys.tenantUrl), copyField('Secret Token', keys.secretToken));
    result.hidden = false;
    result.querySelector('input')?.focus();
  };

  const steps = h('ol', { class: 'steps' },
    h('li', null, 'Select Generate keys.'),
    h('li', null, 'In the Microsoft Entra admin center, open your enterprise application, then Provisioning → Admin Credentials.'),
    h('li', null, 'Paste the Tenant URL and the Secret Token, select Test Connection, then Save and start provisioning.'),
  );
  const close = button('Close', () => modal.close());
  const modal = openModal({
    title: ENTRA,
    body: [
      steps,
      hasKeys
        ? h('p', { class: 'muted' }, 'Keys were generated ', when(integration.keysGeneratedAt), '. The Secret Token is shown only once, when it is generated: generate new keys if you no longer have it.')
        : null,
      note,
      h('div', { class: 'actions' }, generate),
      status.el,
      result,
    ],
    footer: [close],
    onClose: () => {
      result.replaceChildren();
      refresh(!generated ? undefined : replaced ? 'New keys generated; the previous Tenant URL and Secret Token no longer work.' : 'Keys generated: Entra can now connect with this Tenant URL and the Secret Token.');
    },
  });
}

/** A read-only value with its Copy button; the input selects all on focus, for copying by hand. */
function copyField(label: string, value: string): HTMLElement {
  const id = uid('copy');
  const input = h('input', { id, readonly: true, value, spellcheck: 'false', autocomplete: 'off', class: 'mono' });
  input.addEventListener('focus', () => input.select());
  const status = statusLine();
  const copy = button('Copy', () => void copyValue(input, status, label), { 'aria-describedby': id });
  return h('div', { class: 'field copy-field' }, h('label', { for: id }, label), h('div', { class: 'copy-row' }, input, copy), status.el);
}

async function copyValue(input: HTMLInputElement, status: ReturnType<typeof statusLine>, label: string) {
  try {
    await navigator.clipboard.writeText(input.value);
    status.ok(`${label} copied.`);
  } catch {
    // No clipboard permission (an http:// page other than localhost, or a browser policy): leave it selected.
    input.focus();
    input.select();
    status.error(`Copying is blocked here: ${label} is selected, press Ctrl+C (⌘C on a Mac).`);
  }
}
