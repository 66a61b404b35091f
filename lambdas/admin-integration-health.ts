import { adminRoute } from './http/admin-route';
import { provisioningHealth } from './log/provisioning-health';

/** How many provisioning-log entries one health read takes at most (≈ 250 KB read; a bounded admin request). */
const MAX_ENTRIES = 5_000;
const WEEK_MS = 7 * 86_400_000;

/**
 * GET /admin/accounts/{accountId}/integration/health — is this account's Entra getting through: requests and
 * rejections over 24 h and 7 days, top rejection reasons with failing users and an example userName, the last
 * success (lambdas/log/provisioning-health.ts). Shown by `scimlink integration show` and the console's card.
 */
export const handler = adminRoute(async (req, admin, { log }) => {
  const account = await admin.getAccount(req.params.accountId ?? ''); // 404 for an unknown account
  const now = new Date();
  const { entries, complete } = await log.since(account.id, new Date(now.getTime() - WEEK_MS).toISOString(), MAX_ENTRIES);
  return { status: 200, body: provisioningHealth(account.id, entries, now, complete) };
});
