import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unavailable } from '../scim/errors';
import { coveringClaims, domainIndexKeys, subtreePrefix } from '../scim/domains';
import { cancellationCodes, transientScimError, translated } from './aws-errors';
import { ACCOUNT_DOMAIN_PREFIX, DOMAINS_PK, DOMAIN_CLAIM_SK, accountDomainSk, accountPk, domainClaimPk } from './keys';
import { DOMAIN_GSI } from './table';
import type { DomainHoldingView } from '../admin/contract';

export interface DomainClaim {
  domain: string;
  accountId: string;
  claimedAt: string;
}

/** A userName or email in a domain, held by a user of another account (from the domain index). */
export type DomainHolding = DomainHoldingView;

export type ClaimOutcome = { claimed: DomainClaim; created: boolean } | { takenBy: 'same-domain' | 'parent' | 'subdomain'; domain: string };

/**
 * Domain claims (issue 14, item 2) in the table: per claim, the claim item `DOMAIN#<domain>` every user write in the
 * domain checks, the account's entry (`ACCOUNT#<id>` / `DOMAIN#<domain>`, its list) and the directory entry
 * (`DOMAINS` / reversed domain, the claims under a domain), written and deleted together in one transaction.
 */
export class DynamoDomainStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(domain: string): Promise<DomainClaim | undefined> {
    const out = await translated(this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: domainClaimPk(domain), sk: DOMAIN_CLAIM_SK }, ConsistentRead: true })));
    return out.Item ? toClaim(out.Item) : undefined;
  }

  /**
   * Claim `domain` for `accountId`. Refused when another account claimed it, a parent of it (checked in the
   * transaction: a parent claim committed first cancels it) or a subdomain of it (read from the directory after
   * the commit, and this claim is withdrawn if one is found: a subdomain claim racing with this one either commits
   * first, and is seen here, or checks this claim's item in its own transaction and is refused). Idempotent for
   * the account that holds it.
   */
  async claim(accountId: string, domain: string, at: string): Promise<ClaimOutcome> {
    const existing = await this.get(domain);
    if (existing) return existing.accountId === accountId ? { claimed: existing, created: false } : { takenBy: 'same-domain', domain };
    const claim: DomainClaim = { domain, accountId, claimedAt: at };
    const parents = coveringClaims(domain).filter((d) => d !== domain);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { pk: domainClaimPk(domain), sk: DOMAIN_CLAIM_SK, kind: 'domainClaim', ...claim }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: { pk: accountPk(accountId), sk: accountDomainSk(domain), kind: 'domainClaimRef', ...claim } } },
            { Put: { TableName: this.tableName, Item: { pk: DOMAINS_PK, sk: subtreePrefix(domain), kind: 'domainClaimRef', ...claim } } },
            ...parents.map((parent) => ({
              ConditionCheck: {
                TableName: this.tableName,
                Key: { pk: domainClaimPk(parent), sk: DOMAIN_CLAIM_SK },
                ConditionExpression: 'attribute_not_exists(pk) OR accountId = :me',
                ExpressionAttributeValues: { ':me': accountId },
              },
            })),
          ],
        }),
      );
    } catch (e) {
      const codes = cancellationCodes(e);
      const failed = codes.findIndex((c) => c === 'ConditionalCheckFailed');
      if (failed === 0) return this.claim(accountId, domain, at); // claimed meanwhile: answer as for an existing claim
      if (failed >= 3) return { takenBy: 'parent', domain: parents[failed - 3] ?? domain };
      // A user write in the domain checked the claim item at that moment: claiming again shortly succeeds.
      if (codes.includes('TransactionConflict')) throw unavailable('The domain is being written to at this moment; retry shortly.');
      throw transientScimError(e) ?? e;
    }
    const nested = (await this.claimsUnder(domain)).find((c) => c.accountId !== accountId);
    if (nested) {
      await this.release(accountId, domain);
      return { takenBy: 'subdomain', domain: nested.domain };
    }
    return { claimed: claim, created: true };
  }

  /** Returns false when `accountId` does not hold a claim of `domain`. */
  async release(accountId: string, domain: string): Promise<boolean> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { pk: domainClaimPk(domain), sk: DOMAIN_CLAIM_SK },
                ConditionExpression: 'accountId = :me',
                ExpressionAttributeValues: { ':me': accountId },
              },
            },
            { Delete: { TableName: this.tableName, Key: { pk: accountPk(accountId), sk: accountDomainSk(domain) } } },
            { Delete: { TableName: this.tableName, Key: { pk: DOMAINS_PK, sk: subtreePrefix(domain) } } },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (cancellationCodes(e)[0] === 'ConditionalCheckFailed') return false;
      throw transientScimError(e) ?? e;
    }
  }

  /** Release every claim of the account (deleting the account): its domains behave as unclaimed again. */
  async releaseAll(accountId: string): Promise<number> {
    const claims = await this.listFor(accountId);
    for (const c of claims) await this.release(accountId, c.domain);
    return claims.length;
  }

  /** The account's claims, by domain. */
  async listFor(accountId: string): Promise<DomainClaim[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': accountPk(accountId), ':prefix': ACCOUNT_DOMAIN_PREFIX },
      ConsistentRead: true,
    });
    return items.map(toClaim);
  }

  /** Claims of `domain` and its subdomains, any account (the directory; strongly consistent). */
  async claimsUnder(domain: string): Promise<DomainClaim[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': DOMAINS_PK, ':prefix': subtreePrefix(domain) },
      ConsistentRead: true,
    });
    return items.map(toClaim);
  }

  /**
   * The userNames and emails in `domain` or its subdomains that users of other accounts hold: one Query of the
   * domain index, at most `maxRead` index entries read (the account's own values are read and skipped), so the cost
   * is bounded whatever the domain's size; `complete` is false when it stopped there. Eventually consistent (a GSI):
   * a value written a moment before the claim may show only on the next listing; the claim itself is enforced on
   * the base table, never through this index.
   */
  async holdersIn(domain: string, exceptAccount: string, maxRead: number): Promise<{ holdings: DomainHolding[]; complete: boolean }> {
    const { domainRoot } = domainIndexKeys(domain);
    const holdings: DomainHolding[] = [];
    let read = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await translated(
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: DOMAIN_GSI.indexName,
            KeyConditionExpression: '#root = :root AND begins_with(#path, :prefix)',
            ExpressionAttributeNames: { '#root': DOMAIN_GSI.partitionKey, '#path': DOMAIN_GSI.sortKey },
            ExpressionAttributeValues: { ':root': domainRoot, ':prefix': subtreePrefix(domain) },
            Limit: Math.min(1000, maxRead - read),
            ExclusiveStartKey,
          }),
        ),
      );
      read += res.Count ?? 0;
      res.Items?.forEach((item) => {
        const holding = toHolding(item);
        if (holding && holding.accountId !== exceptAccount) holdings.push(holding);
      });
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey && read < maxRead);
    return { holdings, complete: ExclusiveStartKey === undefined };
  }

  private async queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const res = await translated(this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey })));
      out.push(...(res.Items ?? []));
      ExclusiveStartKey = res.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }
}

const toClaim = (item: Record<string, unknown>): DomainClaim => ({
  domain: String(item.domain),
  accountId: String(item.accountId),
  claimedAt: String(item.claimedAt),
});

/** An index entry → a holding; the value is read back from the sentinel key `UNIQUE#<kind>#<canonical value>`. */
function toHolding(item: Record<string, unknown>): DomainHolding | undefined {
  // `(.+)` with the `s` flag runs to the end of the key: the rest of it is the value, whatever it holds.
  const match = /^UNIQUE#(userName|email)#(.+)/su.exec(String(item.pk));
  if (!match || typeof item.accountId !== 'string' || typeof item.userId !== 'string') return undefined;
  return { kind: match[1] as 'userName' | 'email', value: match[2] as string, accountId: item.accountId, userId: item.userId };
}
