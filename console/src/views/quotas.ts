import type { AccountQuotasView, AccountView, QuotaView } from '../../../lambdas/admin/contract';
import { api, enc } from '../api';
import { details, h } from '../dom';

/**
 * The account's quotas on Account Information (issue 14, item 5): how many users it holds of how many it may (and a
 * partner's customer accounts). Read-only: operators set them with `scimlink quotas set`.
 */
export function quotasSection(account: AccountView): HTMLElement {
  const box = h('div', { class: 'quotas', 'aria-busy': 'true' });
  api<AccountQuotasView>('GET', `/accounts/${enc(account.id)}/quotas`).then(
    (q) => {
      box.removeAttribute('aria-busy');
      box.replaceChildren(
        details([
          ['Users (limit)', text(q.users)],
          ...(q.customerAccounts ? ([['Customer accounts (limit)', text(q.customerAccounts)]] as Array<[string, string]>) : []),
        ]),
      );
    },
    () => box.replaceChildren(),
  );
  return box;
}

const text = (q: QuotaView) => `${q.used} of ${q.limit}${q.override === undefined ? ' (default)' : ` (set for this account; default ${q.default})`}`;
