import { EXTENSION_SCHEMA } from './schema';
import { UserData } from './user';
import { EXTENSION, normalizeEmail, normalizeUserName, phoneDigits } from './rules';

export type UniqueKind = 'userName' | 'email' | 'phone' | 'extension';

/** One value a user holds exclusively (SPEC §4 "Uniqueness"). `key` is the sentinel identity. */
export interface UniqueValue {
  kind: UniqueKind;
  /** Normalised value, scoped: platform-wide for all kinds but `extension`, which is per account. */
  key: string;
  /** The SCIM attribute path that holds it, for a 409 an admin can act on. */
  attribute: string;
  /** The value as the client sent it. */
  value: string;
}

export const uniqueKey = (kind: UniqueKind, value: string, accountId: string): string => {
  switch (kind) {
    case 'userName':
      return `userName#${normalizeUserName(value)}`;
    case 'email':
      return `email#${normalizeEmail(value)}`;
    case 'phone':
      return `phone#${phoneDigits(value)}`;
    case 'extension':
      return `extension#${accountId}#${value}`;
  }
};

/**
 * Every unique value of a user. A user may repeat its own value across types (work and other email the same),
 * so values are de-duplicated by key: one sentinel each.
 */
export function uniqueValuesOf(data: UserData, accountId: string): UniqueValue[] {
  const out = new Map<string, UniqueValue>();
  const add = (kind: UniqueKind, attribute: string, value: string) => {
    const key = uniqueKey(kind, value, accountId);
    if (!out.has(key)) out.set(key, { kind, key, attribute, value });
  };
  add('userName', 'userName', data.userName);
  for (const e of data.emails) add('email', `emails[type eq "${e.type}"].value`, e.value);
  for (const p of data.phoneNumbers ?? []) add('phone', `phoneNumbers[type eq "${p.type}"].value`, p.value);
  const ext = data[EXTENSION_SCHEMA]?.extension;
  if (ext !== undefined) add('extension', `${EXTENSION_SCHEMA}:extension`, ext);
  return [...out.values()];
}

/**
 * Whether a sentinel key is in today's canonical form (`scimlink verify`, issue 14): keys written before the
 * canonical form changed (NFC + lower case, before NFKC + case folding) are not, and a lookup by the value misses
 * them — so the value could be taken twice.
 */
export function isCanonicalKey(key: string): boolean {
  const hash = key.indexOf('#');
  const kind = key.slice(0, hash);
  const value = key.slice(hash + 1);
  switch (kind) {
    case 'userName':
      return value !== '' && normalizeUserName(value) === value;
    case 'email':
      return value !== '' && normalizeEmail(value) === value;
    case 'phone':
      return /^[0-9]{2,15}$/.test(value);
    case 'extension':
      return EXTENSION.test(value.slice(value.lastIndexOf('#') + 1)) && value.includes('#');
    default:
      return false;
  }
}
