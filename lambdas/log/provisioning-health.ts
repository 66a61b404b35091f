import type { ProvisioningLogEntry } from './provisioning-log';
import { ruleLabel } from '../scim/rule-labels';

/**
 * Provisioning health of one account, for its admins (issue #17): from the provisioning log, how many requests
 * Entra made and how many were refused over the last 24 hours and 7 days, the top rejection reasons with how many
 * users are failing on each (a user whose latest request was refused for it) and an example userName, and the
 * last successful request. Pure: the store reads the entries, this counts them.
 */
export interface Counts {
  requests: number;
  rejections: number;
}

export interface RejectionReason {
  /** Rule code (lambdas/scim/error-rules.ts), e.g. `phoneNumbers:e164`. */
  reason: string;
  /** In words: "phone number not in E.164 format". */
  label: string;
  /** Refused requests for this reason in the last 7 days (Entra retries a failing user every cycle). */
  rejections: number;
  /** Users whose latest request was refused for this reason: what Entra's admin has to fix. */
  failingUsers: number;
  /** One of them (their own Entra sent it; only the account's admins see it). */
  exampleUserName?: string;
  lastAt: string;
}

export interface ProvisioningHealth {
  accountId: string;
  last24h: Counts;
  last7d: Counts;
  topReasons: RejectionReason[];
  lastSuccessAt?: string;
  /** False when the log held more requests in the 7 days than one health read takes (`entriesRead`): counts are lower bounds. */
  complete: boolean;
  entriesRead: number;
  /** One sentence for the console card and the CLI. */
  summary: string;
}

const DAY_MS = 86_400_000;
/** Answers Entra retries by itself, not the admin's to fix: not counted as rejections. */
const TRANSIENT = new Set([429, 503]);

/** `entries` newest first, all within the last 7 days (the store reads them so). */
export function provisioningHealth(accountId: string, entries: ProvisioningLogEntry[], now: Date, complete: boolean): ProvisioningHealth {
  const dayAgo = now.getTime() - DAY_MS;
  const last24h: Counts = { requests: 0, rejections: 0 };
  const last7d: Counts = { requests: 0, rejections: 0 };
  const reasons = new Map<string, RejectionReason>();
  const latestOfUser = new Set<string>();
  let lastSuccessAt: string | undefined;
  for (const e of entries) {
    const refused = e.status >= 400 && !TRANSIENT.has(e.status);
    const recent = Date.parse(e.time) >= dayAgo;
    for (const c of recent ? [last24h, last7d] : [last7d]) {
      c.requests++;
      if (refused) c.rejections++;
    }
    if (e.status < 400) lastSuccessAt ??= e.time;
    const latest = e.userName !== undefined && !latestOfUser.has(e.userName);
    if (e.userName !== undefined) latestOfUser.add(e.userName);
    if (!refused) continue;
    const reason = e.reason ?? `http${e.status}`;
    let r = reasons.get(reason);
    if (!r) reasons.set(reason, (r = { reason, label: ruleLabel(reason), rejections: 0, failingUsers: 0, lastAt: e.time }));
    r.rejections++;
    if (latest) {
      r.failingUsers++;
      r.exampleUserName ??= e.userName;
    }
  }
  const topReasons = [...reasons.values()].sort((a, b) => b.failingUsers - a.failingUsers || b.rejections - a.rejections).slice(0, 5);
  return { accountId, last24h, last7d, topReasons, lastSuccessAt, complete, entriesRead: entries.length, summary: summarize(last7d, topReasons) };
}

function summarize(week: Counts, top: RejectionReason[]): string {
  if (week.requests === 0) return 'No requests from Entra in the last 7 days.';
  const worst = top.find((r) => r.failingUsers > 0);
  if (worst) return `Entra is failing ${worst.failingUsers} ${worst.failingUsers === 1 ? 'user' : 'users'} on: ${worst.label}.`;
  if (week.rejections > 0) return `Entra's latest requests succeed (${week.rejections} refused in the last 7 days).`;
  return "Entra's requests succeed.";
}
