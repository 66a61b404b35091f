/**
 * What a log line outside the account may say (issue 14, item 4; SPEC §5a): no value of a user's data — no email,
 * no phone number, no quoted value, no filter or PATCH-path text, no userName. CloudWatch Logs is read by operators
 * and kept for a year; the values belong to the account's admins, who see them in the provisioning log instead
 * (sealed into the same line, see ./sealed.ts). ONE place: every log path (the request log of the SCIM and admin
 * handlers, the unhandled-error lines) goes through `publicLogFields` or `publicError`. Pure.
 */

/** Fields that are ours, never the client's data: kept as they are. */
const SAFE_FIELDS = new Set(['method', 'resource', 'status', 'durationMs', 'accountId', 'requestId', 'operation', 'coldStart']);
/** Fields that only carry the client's data: left out entirely (they travel sealed to the provisioning log). */
const PRIVATE_FIELDS = new Set(['userName']);

/** The request log fields as CloudWatch may see them: private fields dropped, every other string masked. */
export function publicLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (PRIVATE_FIELDS.has(key)) continue;
    if (SAFE_FIELDS.has(key)) out[key] = value;
    else if (key === 'path') out.path = typeof value === 'string' ? maskPath(value) : value;
    else out[key] = maskDeep(value);
  }
  return out;
}

/** An error for a log line: its name and stack frames kept, every value in its message masked. */
export function publicError(e: unknown): { name: string; message: string; stack?: string } {
  const err = e instanceof Error ? e : new Error(String(e));
  const message = maskText(err.message);
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return { name: err.name, message, stack: [`${err.name}: ${message}`, ...frames].join('\n') };
}

/**
 * Schema words that appear quoted in rules (`emails[type eq "work"].value`) and are not anyone's data: kept, so the
 * masked rule still names the attribute.
 */
const SCHEMA_WORDS = /^(work|home|other|mobile|fax|pager|true|false|True|False|\+)$/;
const QUOTED = /"([^"\\]|\\.)*"|'[^']*'/g;
const EMAIL_LIKE = /[^\s'"<>()[\],;:@]+@[^\s'"<>()[\],;:@]+/g;
/** A phone-like run: 5+ digits with optional + and separators; not part of a word or of a UUID's hyphenated groups. */
const PHONE_LIKE = /(?<![\w-])\+?\d(?:[\d ().]*\d){4,}(?![\w-])/g;

/** Mask every value in free text: quoted values (but schema words), emails, phone-like numbers. */
export function maskText(text: string): string {
  return text
    .replace(QUOTED, (q) => (SCHEMA_WORDS.test(q.slice(1, -1)) ? q : `${q[0]}…${q[0]}`))
    .replace(EMAIL_LIKE, '…@…')
    .replace(PHONE_LIKE, '…');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Route words of our APIs, and ids we generate: everything else in a path is the client's text. */
const PATH_WORDS = /^(Users|Groups|Schemas|ResourceTypes|ServiceProviderConfig|admin|accounts|integration|keys|users|phones|log|verify|me|conflicts|domains|search|console|api|)$/;
const ACCOUNT_LIKE = /^[a-z0-9-]{1,64}$/;

/** "/Users/ann@acme.com" → "/Users/…"; UUIDs, account ids (after `accounts/`) and route words stay (they are ours). */
export function maskPath(path: string): string {
  const segs = path.split('/');
  return segs
    .map((seg, i) => (PATH_WORDS.test(seg) || UUID.test(seg) || (segs[i - 1] === 'accounts' && ACCOUNT_LIKE.test(seg)) ? seg : '…'))
    .join('/');
}

function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskText(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[maskText(k)] = maskDeep(v);
    return out;
  }
  return value;
}
