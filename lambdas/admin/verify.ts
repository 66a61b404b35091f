/**
 * `scimlink verify`: the consistency checker of the table (issue 6). Pure: it is fed every item of the table (in
 * any order, page by page) and reports each place where users and their bookkeeping items disagree:
 *
 * | kind                | what is wrong                                                                      | what it breaks |
 * |---------------------|------------------------------------------------------------------------------------|----------------|
 * | `orphan-sentinel`   | a sentinel whose user is gone, or no longer holds the value                         | the value is blocked: Entra gets 409 for it forever |
 * | `missing-sentinel`  | a value a user holds without its sentinel (absent, or naming another user)          | uniqueness is not enforced for it; lookups by it miss the user |
 * | `duplicate-value`   | one unique value held by two or more users                                           | uniqueness is broken |
 * | `account-mismatch`  | a sentinel naming a user of another account, or a user item outside its account     | lookups answer for the wrong tenant |
 * | `uniques-mismatch`  | the sentinel keys a user item records (`uniques`) differ from what its data implies | the next update/delete releases the wrong sentinels |
 * | `stale-externalid`  | an externalId index item whose user is gone or has another externalId              | harmless for lookups (re-checked), but garbage |
 * | `missing-externalid`| a user with an externalId but no index item                                         | `externalId eq` misses the user |
 * | `count-mismatch`    | an account's count shards do not add up to its users                                | `totalResults` of an unfiltered list is wrong |
 * | `malformed-item`    | a user item the checker cannot read (no data, bad version, key ≠ attributes)       | anything |
 * | `non-canonical-key` | a sentinel key not in today's canonical form (written before NFKC + case folding)   | a lookup misses it; the value can be taken twice |
 * | `refused-value`     | a userName or email that today's look-alike rules refuse (written before them)     | Entra's next update of that user fails with 400 until fixed in Entra |
 * | `unindexed-domain-value` | a userName/email sentinel without its domain-index keys (written before domain claims) | a domain claim does not list the value (the claim is still enforced) |
 *
 * Findings name item keys, account and user ids and the unique key (the value is what an operator must look
 * for) — never a tenant key, token or hash: integration items are not inspected beyond their key.
 */
import { UserData } from '../scim/user';
import type { VerifyFinding, VerifyView } from './contract';
import { isCanonicalKey, uniqueValuesOf } from '../scim/uniqueness';
import { lookalikeProblem, visible } from '../scim/identifiers';
import { sentinelDomainKeys } from '../scim/domains';
import { COUNT_SK_PREFIX, EXTID_SK_PREFIX, SENTINEL_SK, USER_SK_PREFIX, externalIdSk } from '../store/keys';

export type { VerifyFinding, VerifyFindingKind } from './contract';

/** What the checker computes; the admin API adds `checkedAt` (contract.ts `VerifyView`). */
export type VerifyReport = Omit<VerifyView, 'checkedAt'>;

type Item = Record<string, unknown>;

interface UserRecord {
  accountId: string;
  id: string;
  /** Sentinel keys implied by the user's data (what it holds). */
  holds: Set<string>;
  externalId?: string;
}

interface SentinelRecord {
  key: string;
  accountId: string;
  userId: string;
}

const ACCOUNT_PREFIX = 'ACCOUNT#';
const UNIQUE_PREFIX = 'UNIQUE#';
/** Findings listed per report at most; the counts stay exact. A broken table should not make a 100 MB answer. */
export const MAX_FINDINGS = 1000;

/**
 * Streaming checker: `add` every item (pages of a Scan, any order), then `report()`. Keeps only what the
 * cross-checks need (ids, keys), not the users' documents, so a large table fits in a Lambda's memory.
 */
export class TableVerifier {
  private scanned = 0;
  private readonly accounts = new Set<string>();
  /** userId → every user item with that id (ids are platform-wide UUIDs; more than one is itself a finding). */
  private readonly users = new Map<string, UserRecord[]>();
  private readonly sentinels = new Map<string, SentinelRecord>();
  private readonly externalIds: Array<{ accountId: string; sk: string; userId: string }> = [];
  private readonly counts = new Map<string, number>();
  private readonly early: VerifyFinding[] = [];

  add(items: Iterable<Item>): this {
    for (const item of items) this.addOne(item);
    return this;
  }

  private addOne(item: Item): void {
    this.scanned++;
    if (typeof item !== 'object' || item === null) return;
    const pk = typeof item.pk === 'string' ? item.pk : '';
    const sk = typeof item.sk === 'string' ? item.sk : '';
    if (pk.startsWith(UNIQUE_PREFIX) && sk === SENTINEL_SK) {
      const key = pk.slice(UNIQUE_PREFIX.length);
      this.sentinels.set(key, { key, accountId: text(item.accountId), userId: text(item.userId) });
      if (!isCanonicalKey(key)) {
        this.early.push({
          kind: 'non-canonical-key',
          key: pk,
          accountId: text(item.accountId),
          userId: text(item.userId),
          detail:
            `sentinel ${visible(pk)} is not in the canonical form (NFKC + case folding): lookups by the value miss it; ` +
            `Entra's next update of user ${text(item.userId)} rewrites it, or free it with scimlink users delete`,
        });
      }
      const index = sentinelDomainKeys({ kind: key.slice(0, key.indexOf('#')), key });
      if (index.domainPath !== undefined && (item.domainRoot !== index.domainRoot || item.domainPath !== index.domainPath)) {
        this.early.push({
          kind: 'unindexed-domain-value',
          key: pk,
          accountId: text(item.accountId),
          userId: text(item.userId),
          detail:
            `sentinel ${visible(pk)} has no domain-index keys (written before domain claims): a claim of its domain is enforced ` +
            `but does not list it; find its holder with scimlink conflicts search`,
        });
      }
      return;
    }
    if (!pk.startsWith(ACCOUNT_PREFIX)) return; // the account directory and anything else: not checked
    const accountId = pk.slice(ACCOUNT_PREFIX.length);
    this.accounts.add(accountId);
    if (sk.startsWith(USER_SK_PREFIX)) this.addUser(accountId, sk, item);
    else if (sk.startsWith(EXTID_SK_PREFIX)) this.externalIds.push({ accountId, sk, userId: text(item.userId) });
    else if (sk.startsWith(COUNT_SK_PREFIX)) this.counts.set(accountId, (this.counts.get(accountId) ?? 0) + toNumber(item.count));
  }

  private addUser(accountId: string, sk: string, item: Item): void {
    const id = sk.slice(USER_SK_PREFIX.length);
    const where = `${ACCOUNT_PREFIX}${accountId}|${sk}`;
    const malformed = (why: string): void => {
      this.early.push({ kind: 'malformed-item', key: where, accountId, userId: id, detail: `user item ${where} ${why}` });
    };
    if (item.id !== id) return malformed(`has id ${show(item.id)}, not the ${show(id)} of its key`);
    if (item.accountId !== accountId) {
      this.early.push({
        kind: 'account-mismatch',
        key: where,
        accountId,
        userId: id,
        detail: `user item ${where} says it belongs to account ${show(item.accountId)}`,
      });
    }
    const version = item.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
      malformed(`has version ${show(version)} (expected a whole number ≥ 1)`);
    }
    const data = item.data as UserData;
    let holds: Set<string>;
    try {
      holds = new Set(uniqueValuesOf(data, accountId).map((v) => v.key));
    } catch {
      return malformed('has no readable user document (data)');
    }
    // Compared as sets, as the store reads them: a key recorded twice in place of another is still a key missing.
    const recorded = Array.isArray(item.uniques) ? item.uniques.map(text) : [];
    const missing = [...holds].filter((k) => !recorded.includes(k));
    const extra = recorded.filter((k) => !holds.has(k));
    if (missing.length > 0 || extra.length > 0) {
      this.early.push({
        kind: 'uniques-mismatch',
        key: where,
        accountId,
        userId: id,
        detail:
          `user ${id} records sentinel keys that differ from its data` +
          `${missing.length ? `; not recorded: ${missing.join(', ')}` : ''}${extra.length ? `; recorded but not held: ${extra.join(', ')}` : ''}`,
      });
    }
    // uniqueValuesOf has read them all: the userName and every email value are strings here, whatever the item held.
    for (const v of [data.userName, ...Array.from(data.emails, (e) => e.value)]) {
      const problem = lookalikeProblem(v);
      if (problem) {
        this.early.push({
          kind: 'refused-value',
          key: where,
          accountId,
          userId: id,
          detail: `user ${id} holds '${visible(v)}', which ${problem}: fix it in Entra (its next update of this user fails until then)`,
        });
      }
    }
    const record: UserRecord = { accountId, id, holds, ...(typeof data.externalId === 'string' ? { externalId: data.externalId } : {}) };
    const same = this.users.get(id);
    if (same) same.push(record);
    else this.users.set(id, [record]);
  }

  report(): VerifyReport {
    const findings = [...this.early];
    const userIn = (accountId: string, id: string) => this.users.get(id)?.find((u) => u.accountId === accountId);

    // Users → their values: each value's holders, and each value's sentinel.
    const holders = new Map<string, UserRecord[]>();
    for (const records of this.users.values()) {
      for (const u of records) {
        for (const key of u.holds) {
          const list = holders.get(key);
          if (list) list.push(u);
          else holders.set(key, [u]);
        }
      }
    }
    for (const [key, list] of holders) {
      if (list.length > 1) {
        findings.push({
          kind: 'duplicate-value',
          key: `${UNIQUE_PREFIX}${key}`,
          detail: `${key} is held by ${list.length} users: ${list.map((u) => `${u.id} (account ${u.accountId})`).join(', ')}`,
        });
      }
      const sentinel = this.sentinels.get(key);
      for (const u of list) {
        if (sentinel && sentinel.userId === u.id && sentinel.accountId === u.accountId) continue;
        // Another holder is the sentinel's: reported as duplicate-value above.
        if (sentinel && list.some((o) => o.id === sentinel.userId && o.accountId === sentinel.accountId)) continue;
        findings.push({
          kind: 'missing-sentinel',
          key: `${UNIQUE_PREFIX}${key}`,
          accountId: u.accountId,
          userId: u.id,
          detail: sentinel
            ? `user ${u.id} holds ${key}, but its sentinel names user ${sentinel.userId} (account ${sentinel.accountId})`
            : `user ${u.id} holds ${key} without its sentinel: the value is not protected against a second holder`,
        });
      }
    }

    // Sentinels → their user.
    for (const s of this.sentinels.values()) {
      const key = `${UNIQUE_PREFIX}${s.key}`;
      const user = userIn(s.accountId, s.userId);
      if (!user) {
        const elsewhere = this.users.get(s.userId)?.[0];
        findings.push(
          elsewhere
            ? {
                kind: 'account-mismatch',
                key,
                accountId: s.accountId,
                userId: s.userId,
                detail: `sentinel ${key} names user ${s.userId} in account ${s.accountId}, but that user is in account ${elsewhere.accountId}`,
              }
            : {
                kind: 'orphan-sentinel',
                key,
                accountId: s.accountId,
                userId: s.userId,
                detail: `sentinel ${key} names user ${s.userId} (account ${s.accountId}), which does not exist: the value is blocked`,
              },
        );
      } else if (!user.holds.has(s.key)) {
        findings.push({
          kind: 'orphan-sentinel',
          key,
          accountId: s.accountId,
          userId: s.userId,
          detail: `sentinel ${key} names user ${s.userId} (account ${s.accountId}), which no longer holds this value: the value is blocked`,
        });
      }
    }

    // externalId index ↔ users.
    const indexed = new Set<string>();
    for (const x of this.externalIds) {
      const where = `${ACCOUNT_PREFIX}${x.accountId}|${x.sk}`;
      const user = userIn(x.accountId, x.userId);
      const expected = user?.externalId === undefined ? undefined : externalIdSk(user.externalId, user.id);
      if (expected === x.sk) {
        indexed.add(where);
        continue;
      }
      findings.push({
        kind: 'stale-externalid',
        key: where,
        accountId: x.accountId,
        userId: x.userId,
        detail: user
          ? `externalId index item ${x.sk} does not match user ${x.userId}'s current externalId`
          : `externalId index item ${x.sk} names user ${x.userId}, which does not exist in account ${x.accountId}`,
      });
    }
    for (const records of this.users.values()) {
      for (const u of records) {
        if (u.externalId === undefined) continue;
        const where = `${ACCOUNT_PREFIX}${u.accountId}|${externalIdSk(u.externalId, u.id)}`;
        if (indexed.has(where)) continue;
        findings.push({
          kind: 'missing-externalid',
          key: where,
          accountId: u.accountId,
          userId: u.id,
          detail: `user ${u.id} has an externalId but no index item: "externalId eq" lookups miss it`,
        });
      }
    }

    // Count shards ↔ users per account.
    const perAccount = new Map<string, number>();
    for (const records of this.users.values()) for (const u of records) perAccount.set(u.accountId, (perAccount.get(u.accountId) ?? 0) + 1);
    for (const accountId of new Set([...perAccount.keys(), ...this.counts.keys()])) {
      const users = perAccount.get(accountId) ?? 0;
      const counted = this.counts.get(accountId) ?? 0;
      if (users !== counted) {
        findings.push({
          kind: 'count-mismatch',
          key: `${ACCOUNT_PREFIX}${accountId}|${COUNT_SK_PREFIX}*`,
          accountId,
          detail: `account ${accountId} has ${users} user${users === 1 ? '' : 's'} but its count shards add up to ${counted}`,
        });
      }
    }

    let users = 0;
    for (const records of this.users.values()) users += records.length;
    return {
      consistent: findings.length === 0,
      scannedItems: this.scanned,
      accounts: this.accounts.size,
      users,
      sentinels: this.sentinels.size,
      externalIdItems: this.externalIds.length,
      findings: findings.slice(0, MAX_FINDINGS),
    };
  }
}

/** Check a complete set of items in one call (tests, small tables). */
export function checkItems(items: Iterable<Item>): VerifyReport {
  return new TableVerifier().add(items).report();
}

/** Identity of a finding across two scans (`kind` + item + user), to tell lasting ones from in-flight writes. */
export const findingId = (f: VerifyFinding) => `${f.kind}|${f.key}|${f.accountId ?? ''}|${f.userId ?? ''}`;

/** The findings of `first` that `second` confirms (a finding seen in only one scan was a write in flight). */
export function confirmed(first: VerifyReport, second: VerifyReport): VerifyReport {
  const again = new Set(second.findings.map(findingId));
  const findings = first.findings.filter((f) => again.has(findingId(f)));
  return { ...second, consistent: findings.length === 0, findings };
}

/** A stored value in a finding: strings and numbers as JSON, anything else by its type only. */
const show = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v.length > 100 ? `${v.slice(0, 100)}…` : v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? 'null' : `a value of type ${Array.isArray(v) ? 'array' : typeof v}`;

/** A string attribute as stored; anything else (never written by scimlink) reads as '' and fails the checks. */
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function toNumber(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}
