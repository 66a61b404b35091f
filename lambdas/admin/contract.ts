import type { ProvisioningLogEntry } from '../log/provisioning-log';

/**
 * The admin API contract (SPEC §2, §5): JSON over HTTP under /admin, shared by the handlers and the CLI.
 * Deployed, API Gateway authorises these routes with AWS IAM (SigV4); locally, `Authorization: Bearer <admin
 * token>` printed by `npm start`. Errors are `{ "status": <number>, "message": "<one line>" }`.
 *
 * | method | path                                         | body / query                  | answer            |
 * |--------|----------------------------------------------|-------------------------------|-------------------|
 * | POST   | /admin/accounts                              | CreateAccountRequest          | 201 AccountView   |
 * | GET    | /admin/accounts                              | ?q=TEXT (name or id contains) | { accounts: AccountView[] } |
 * | GET    | /admin/accounts/{accountId}                  |                               | AccountView       |
 * | PATCH  | /admin/accounts/{accountId}                  | { name }                      | AccountView       |
 * | DELETE | /admin/accounts/{accountId}                  | ?force=true&limit=100         | 200 / 202 AccountDeletionView |
 * | PUT    | /admin/accounts/{accountId}/integration      |                               | IntegrationView   |
 * | GET    | /admin/accounts/{accountId}/integration      |                               | IntegrationView   |
 * | DELETE | /admin/accounts/{accountId}/integration      |                               | 204               |
 * | POST   | /admin/accounts/{accountId}/integration/keys |                               | 201 GeneratedKeysView (token shown once) |
 * | GET    | /admin/accounts/{accountId}/users            | ?startIndex&count&active=true|false | UserListView |
 * | GET    | /admin/accounts/{accountId}/users/{userId}   |                               | AdminUserView     |
 * | DELETE | /admin/accounts/{accountId}/users/{userId}   |                               | 204               |
 * | GET    | /admin/phones                                | ?number=<any format>&country=US | PhoneSearchView |
 * | GET    | /admin/conflicts                             | ?kind=userName|email|phone|extension&value=…&country=US&account=ID (extension) | ConflictSearchView |
 * | GET    | /admin/accounts/{accountId}/log              | ?errors=true&limit=50         | ProvisioningLogView |
 * | GET    | /admin/verify                                |                               | VerifyView (scans the table) |
 * | GET    | /admin/me                                    |                               | WhoamiView        |
 *
 * The browser console calls the same operations under /console/api (Cognito ID token instead of IAM). Every route
 * applies the caller's role (lambdas/admin/access.ts): a refused account answers 403.
 */
export type AccountType = 'partner' | 'customer';

export interface CreateAccountRequest {
  name: string;
  type: AccountType;
  /** For a customer account: the managing partner account's id. */
  partnerId?: string;
}

export interface AccountView {
  id: string;
  name: string;
  type: AccountType;
  partnerId?: string;
  createdAt: string;
}

/**
 * `DELETE /admin/accounts/{accountId}`: what this call did. 200 with `deleted: true` when the account is gone;
 * 202 with `deleted: false` when work remains (an account's users are deleted a bounded batch per call): call again.
 */
export interface AccountDeletionView {
  accountId: string;
  deleted: boolean;
  /** This call removed the Entra ID Sync integration (its tenant URL and token stopped working). */
  integrationRemoved: boolean;
  /** Users this call deleted, each releasing its unique values as a SCIM DELETE does. */
  usersDeleted: number;
  usersRemaining: number;
  /** Other items this call deleted: count shards, provisioning-log entries. */
  itemsDeleted: number;
}

export interface IntegrationView {
  accountId: string;
  integration: 'Entra ID Sync';
  addedAt: string;
  /** When keys were last generated (absent: never — "Complete setup" pending). */
  keysGeneratedAt?: string;
  /** Last SCIM request Entra made (updated at most once a minute). */
  lastRequestAt?: string;
  /** The current tenant URL (not secret by itself; useless without the token). */
  tenantUrl?: string;
  usersProvisioned: number;
}

export interface GeneratedKeysView {
  tenantUrl: string;
  secretToken: string;
  keysGeneratedAt: string;
  warning: string;
}

export interface AdminUserView {
  accountId: string;
  id: string;
  userName: string;
  displayName?: string;
  active: boolean;
  emails: Array<{ type: string; value: string }>;
  phoneNumbers: Array<{ type: string; value: string }>;
  externalId?: string;
  extension?: string;
  /** Work address fields, stored for downstream apps. */
  address?: Record<string, string>;
  created: string;
  lastModified: string;
}

export interface UserListView {
  totalResults: number;
  startIndex: number;
  users: AdminUserView[];
}

export interface PhoneSearchHit {
  accountId: string;
  accountName?: string;
  userId: string;
  userName: string;
  active: boolean;
  /** Which of the user's numbers matched: mobile, work, other. */
  types: string[];
  value: string;
}

export interface PhoneSearchView {
  /** The input normalised to E.164. */
  number: string;
  hits: PhoneSearchHit[];
}

/** The unique kinds a conflict search looks for (SPEC §4 uniqueness table). */
export type ConflictKind = 'userName' | 'email' | 'phone' | 'extension';
export const CONFLICT_KINDS: readonly ConflictKind[] = ['userName', 'email', 'phone', 'extension'];

export interface ConflictHit {
  accountId: string;
  accountName?: string;
  userId: string;
  userName: string;
  active: boolean;
  /** The holder's attributes that hold the value, e.g. `emails[type eq "work"].value`. */
  attributes: string[];
  /** The value as the holder's Entra sent it. */
  value: string;
}

/** `GET /admin/conflicts`: who holds a login ID, email, phone number or extension (issue 14, item 3). */
export interface ConflictSearchView {
  kind: ConflictKind;
  /** The value searched for (a phone number normalised to E.164). */
  value: string;
  /** The holder, when it is in an account the caller manages. */
  hits: ConflictHit[];
  /** Set when the holder is in an account the caller does not manage: this, and nothing about the holder. */
  heldElsewhere?: string;
}

/** `GET /admin/me`: who the caller is to the admin API (lambdas/admin/principal.ts). */
export interface WhoamiView {
  role: 'operator' | 'partner' | 'account-admin';
  /** The partner's or account admin's own account. */
  accountId?: string;
  name: string;
}

export interface AdminErrorBody {
  status: number;
  message: string;
}

/** `GET /admin/verify` (scimlink verify): one kind per inconsistency the checker knows (lambdas/admin/verify.ts). */
export type VerifyFindingKind =
  | 'orphan-sentinel'
  | 'missing-sentinel'
  | 'duplicate-value'
  | 'account-mismatch'
  | 'uniques-mismatch'
  | 'stale-externalid'
  | 'missing-externalid'
  | 'count-mismatch'
  | 'malformed-item'
  | 'non-canonical-key'
  | 'refused-value';

export interface VerifyFinding {
  kind: VerifyFindingKind;
  /** One line an operator can act on. */
  detail: string;
  accountId?: string;
  userId?: string;
  /** The item or unique value concerned: a sentinel's pk (`UNIQUE#email#ann@contoso.com`), else `pk|sk`. */
  key: string;
}

export interface VerifyView {
  /** No finding (after a confirming second scan when the first found any). */
  consistent: boolean;
  scannedItems: number;
  accounts: number;
  users: number;
  sentinels: number;
  externalIdItems: number;
  /** At most 1000 (the counts above stay exact). */
  findings: VerifyFinding[];
  checkedAt: string;
}

/** `GET /admin/accounts/{accountId}/log`: Entra's last SCIM requests, newest first (entries expire after 30 days). */
export interface ProvisioningLogView {
  accountId: string;
  entries: Array<Omit<ProvisioningLogEntry, 'accountId' | 'requestId'> & Partial<Pick<ProvisioningLogEntry, 'requestId'>>>;
}
