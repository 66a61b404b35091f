/** The provisioning health block of `scimlink integration show` (admin API GET …/integration/health). */
import type { ProvisioningHealth } from '../../lambdas/log/provisioning-health';
import { keyValues } from '../format';

const counts = (c: { requests: number; rejections: number }) => `${c.requests} requests, ${c.rejections} refused`;

export function healthBlock(h: ProvisioningHealth): string {
  const reasons = h.topReasons.map((r): [string, string] => [
    '  refused for',
    `${r.label}: ${r.failingUsers} failing ${r.failingUsers === 1 ? 'user' : 'users'}${r.exampleUserName ? ` (e.g. ${r.exampleUserName})` : ''}, ${r.rejections} refused requests`,
  ]);
  return keyValues([
    ['Provisioning health', h.summary],
    ['  last 24 hours', counts(h.last24h)],
    ['  last 7 days', `${counts(h.last7d)}${h.complete ? '' : ` (the newest ${h.entriesRead} requests only)`}`],
    ['  last success', h.lastSuccessAt ?? 'none in 7 days'],
    ...reasons,
  ]);
}
