import { EXTENSION_SCHEMA } from './schema';
import { UserData } from './user';
import { normalizeEmail, normalizeUserName, phoneDigits } from './rules';

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
