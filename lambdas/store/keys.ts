import { createHash } from 'node:crypto';

/**
 * Single-table key design (see docs/architecture.md "Data model"):
 *
 * | item                 | pk                      | sk                          |
 * |----------------------|-------------------------|-----------------------------|
 * | account              | ACCOUNT#<accountId>     | ACCOUNT                     |
 * | Entra integration    | ACCOUNT#<accountId>     | INTEGRATION                 |
 * | user                 | ACCOUNT#<accountId>     | USER#<userId>               |
 * | externalId index     | ACCOUNT#<accountId>     | EXTID#<sha256(externalId)>#<userId> |
 * | user-count shard     | ACCOUNT#<accountId>     | COUNT#<0..15>               |
 * | partner's customers  | ACCOUNT#<partnerId>     | CUSTOMERS                   |
 * | unique-value sentinel| UNIQUE#<kind>#<value>   | UNIQUE                      |
 * | account directory    | ACCOUNTS                | ACCOUNT#<accountId>         |
 * | provisioning log     | LOG#<accountId>         | <ISO time>#<requestId>      | (TTL: expiresAt)
 * | domain claim         | DOMAIN#<domain>         | DOMAIN                      |
 * | account's claim      | ACCOUNT#<accountId>     | DOMAIN#<domain>             |
 * | claim directory      | DOMAINS                 | <domain labels reversed>.   |
 *
 * Users live in their account's partition, so a tenant can only ever address its own users and listing is a
 * `Query`. Sentinels live in their own partitions: the platform-wide uniqueness of SPEC §4 is enforced by
 * `attribute_not_exists(pk)` on them inside the same transaction as the user write.
 */
export const accountPk = (accountId: string) => `ACCOUNT#${accountId}`;
export const ACCOUNT_SK = 'ACCOUNT';
/** One partition listing every account, so `accounts list` is a Query (accounts are few and rarely created). */
export const ACCOUNTS_PK = 'ACCOUNTS';
export const accountDirectorySk = (accountId: string) => `ACCOUNT#${accountId}`;
export const INTEGRATION_SK = 'INTEGRATION';
/** A partner's count of customer accounts (its quota, issue 14 item 5): `ACCOUNT#<partnerId>` / `CUSTOMERS`. */
export const CUSTOMERS_SK = 'CUSTOMERS';
export const USER_SK_PREFIX = 'USER#';
export const userSk = (userId: string) => `${USER_SK_PREFIX}${userId}`;
export const EXTID_SK_PREFIX = 'EXTID#';
/** Hashed: externalId is caseExact and up to 256 characters, sort keys are limited to 1 KB. */
export const externalIdPrefix = (externalId: string) =>
  `${EXTID_SK_PREFIX}${createHash('sha256').update(externalId).digest('hex')}#`;
export const externalIdSk = (externalId: string, userId: string) => `${externalIdPrefix(externalId)}${userId}`;
export const COUNT_SK_PREFIX = 'COUNT#';
/**
 * The user count is split over shards: one counter item inside every create/delete transaction would make
 * concurrent writes of one account cancel each other (TransactionConflict). Each write adds ±1 to a random shard;
 * the total is the sum of one small Query.
 */
export const COUNT_SHARDS = 16;
export const countSk = (shard: number) => `${COUNT_SK_PREFIX}${shard}`;
export const sentinelPk = (uniqueKey: string) => `UNIQUE#${uniqueKey}`;
/** The provisioning log lives in its own partition so its writer's IAM can be limited to `LOG#*` keys. */
export const LOG_PK_PREFIX = 'LOG#';
export const logPk = (accountId: string) => `${LOG_PK_PREFIX}${accountId}`;
export const SENTINEL_SK = 'UNIQUE';
/**
 * Domain claims (lambdas/scim/domains.ts). The claim item lives in its own partition, like a sentinel: every user
 * write with a value in the domain checks it (a ConditionCheck), so it must not share a partition with anything hot.
 */
export const domainClaimPk = (domain: string) => `DOMAIN#${domain}`;
export const DOMAIN_CLAIM_SK = 'DOMAIN';
export const ACCOUNT_DOMAIN_PREFIX = 'DOMAIN#';
export const accountDomainSk = (domain: string) => `${ACCOUNT_DOMAIN_PREFIX}${domain}`;
/** Every claim by its reversed domain: the claims under a domain are one `begins_with` Query (nested claims). */
export const DOMAINS_PK = 'DOMAINS';
