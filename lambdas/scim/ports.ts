import { UniqueKind } from './uniqueness';
import { StoredUser, UserData } from './user';

/**
 * The user store port. The SCIM core talks to this; the DynamoDB adapter (lambdas/store) implements it.
 * Reads are strongly consistent: Entra looks a user up a moment after creating it.
 */
export interface UserStore {
  get(accountId: string, id: string): Promise<StoredUser | undefined>;
  /** The account's user holding a unique value (userName, email, phone, extension), via its sentinel. */
  findByUnique(accountId: string, kind: UniqueKind, value: string): Promise<StoredUser | undefined>;
  /** The id of the account's user holding a unique value: its sentinel alone (one key read). */
  holderOf(accountId: string, kind: UniqueKind, value: string): Promise<string | undefined>;
  /** Users with this externalId (not unique), at most `limit` of them. */
  findByExternalId(accountId: string, externalId: string, limit: number): Promise<StoredUser[]>;
  /** Whoever holds a phone number, in any account (admin phone-conflict search, SPEC §5). */
  findPhoneHolder(e164: string): Promise<StoredUser | undefined>;
  /** One page of the account's users, in a stable order, with the account's user count. */
  list(accountId: string, startIndex: number, count: number): Promise<{ total: number; users: StoredUser[] }>;
  /** Up to `limit` of the account's users in a stable order, after the user `after`; `next`: where to go on. */
  page(accountId: string, after: string | undefined, limit: number): Promise<{ users: StoredUser[]; next?: string }>;
  /** The account's user count. */
  count(accountId: string): Promise<number>;
  /** Every user of the account (operators' admin lists). Never a table scan; SCIM requests use `page`. */
  listAll(accountId: string): Promise<StoredUser[]>;
  /** Throws a 409 ScimError naming the attribute when a unique value is taken. */
  create(accountId: string, data: UserData): Promise<StoredUser>;
  /** Write `data` over `current`, guarded by `current.meta.version`. Throws VersionConflict when it moved. */
  update(current: StoredUser, data: UserData): Promise<StoredUser>;
  /** Delete guarded by `current.meta.version`, releasing every unique value. Throws VersionConflict. */
  delete(current: StoredUser): Promise<void>;
}

/** The user changed (or vanished) between our read and our guarded write: re-read and decide again. */
export class VersionConflict extends Error {
  constructor() {
    super('The user was modified concurrently');
    this.name = 'VersionConflict';
  }
}
