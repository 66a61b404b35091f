/**
 * The provisioning log (per account, the last SCIM requests Entra made): what an admin reads when Entra says
 * the sync "has errors". Built from the request log line every SCIM handler writes — deployed, CloudWatch Logs
 * delivers those lines to the log-ingest function; locally the middleware hands them over directly. Pure.
 *
 * Privacy: no bodies, no tokens, no tenant key. The userName and a rejection's rule are shown as Entra sent
 * them: the log is the account's own, read by its admins, who need the value to search for a conflict (issue 14).
 * Outside the account (CloudWatch Logs) the same values are masked (./log-privacy.ts) and travel sealed (./sealed.ts).
 */
export const REQUEST_LOG_MESSAGE = 'SCIM request';
/** Entries expire after this many days (DynamoDB TTL on `expiresAt`). */
export const LOG_RETENTION_DAYS = 30;

export interface ProvisioningLogEntry {
  accountId: string;
  time: string;
  requestId: string;
  method: string;
  /** The path under the tenant URL, e.g. /Users/2819c223-… (the tenant segment is never logged). */
  path: string;
  status: number;
  userName?: string;
  /** Attributes Entra sent that scimlink accepted and ignored. */
  ignored?: string[];
  /** For a 4xx/5xx: the rule that rejected the request, with the values Entra sent. */
  rule?: string;
  /** For a 4xx/5xx: the rule's code (`phoneNumbers:e164`, lambdas/scim/error-rules.ts), what health groups by. */
  reason?: string;
  durationMs?: number;
  /** Sent by `scimlink check`, not by Entra (lambdas/scim/synthetic.ts). */
  synthetic?: true;
}

/** The fields of one request log line (see lambdas/http/middleware.ts `requestLog`). */
export interface RequestLogFields {
  method?: unknown;
  path?: unknown;
  status?: unknown;
  accountId?: unknown;
  userName?: unknown;
  ignored?: unknown;
  detail?: unknown;
  /** The rule code of a 4xx/5xx (the request line's `rule`). */
  rule?: unknown;
  durationMs?: unknown;
  synthetic?: unknown;
}

export function toLogEntry(fields: RequestLogFields, time: string, requestId: string): ProvisioningLogEntry | undefined {
  if (typeof fields.accountId !== 'string' || fields.accountId === '') return undefined; // unauthenticated: no account
  const ignored = Array.isArray(fields.ignored) ? fields.ignored.filter((i): i is string => typeof i === 'string') : [];
  return {
    accountId: fields.accountId,
    time,
    requestId,
    method: String(fields.method ?? ''),
    path: String(fields.path ?? ''),
    status: Number(fields.status ?? 0),
    ...(typeof fields.userName === 'string' ? { userName: fields.userName.slice(0, 256) } : {}),
    ...(ignored.length > 0 ? { ignored } : {}),
    ...(typeof fields.detail === 'string' ? { rule: fields.detail.slice(0, 1000) } : {}),
    ...(typeof fields.rule === 'string' ? { reason: fields.rule.slice(0, 64) } : {}),
    ...(typeof fields.durationMs === 'number' ? { durationMs: fields.durationMs } : {}),
    ...(fields.synthetic === true ? { synthetic: true as const } : {}),
  };
}


/** The path under the tenant URL: "/scim/acc.key/Users/1" → "/Users/1". */
export function pathUnderTenant(path: string): string {
  const m = /^(?:\/[^/]+)*?\/scim\/[^/]+(\/.*)?$/.exec(path);
  return m ? (m[1] ?? '/') : path;
}
