import type { ProvisioningHealth } from '../../../lambdas/log/provisioning-health';
import { api, enc } from '../api';
import { details, h } from '../dom';
import { when } from '../format';

const counts = (c: { requests: number; rejections: number }) => `${c.requests} requests, ${c.rejections} refused`;

/**
 * The integration card's "Provisioning health" (issue #17): filled in once the health answer arrives, so the card
 * never waits for it; a failure to read it leaves a plain note instead of breaking the card.
 */
export function provisioningHealthSection(accountId: string): HTMLElement {
  const section = h('section', { class: 'health', 'aria-label': 'Provisioning health', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Reading provisioning health…'));
  api<ProvisioningHealth>('GET', `/accounts/${enc(accountId)}/integration/health`).then(
    (health) => {
      const failing = health.topReasons.some((r) => r.failingUsers > 0);
      section.replaceChildren(
        h('h4', null, 'Provisioning health'),
        h('p', { class: failing ? 'health-summary failing' : 'health-summary' }, health.summary),
        details([
          ['Last 24 hours', counts(health.last24h)],
          ['Last 7 days', `${counts(health.last7d)}${health.complete ? '' : ` (newest ${health.entriesRead} only)`}`],
          ['Last success', when(health.lastSuccessAt, 'None in 7 days')],
        ]),
        ...(health.topReasons.length > 0
          ? [
              h(
                'ul',
                { class: 'reasons', 'aria-label': 'Top rejection reasons' },
                ...health.topReasons.map((r) =>
                  h('li', null, `${r.label}: ${r.failingUsers} failing ${r.failingUsers === 1 ? 'user' : 'users'}${r.exampleUserName ? ` (e.g. ${r.exampleUserName})` : ''}, ${r.rejections} refused`),
                ),
              ),
            ]
          : []),
      );
      section.removeAttribute('aria-busy');
    },
    () => {
      section.replaceChildren(h('p', { class: 'muted' }, 'Provisioning health is unavailable right now.'));
      section.removeAttribute('aria-busy');
    },
  );
  return section;
}
