import { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The table's key schema, shared by the CDK stack and the local runner so both create the same table.
 * Every lookup the SCIM surface needs is a GetItem or a Query on the base table, which can be strongly consistent
 * (a GSI never is). The one GSI serves an operator's listing only (DOMAIN_GSI).
 */
export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * `byDomain`: the userName and email sentinels by domain (lambdas/scim/domains.ts `domainIndexKeys`), sparse (no
 * other item has the keys). Claiming a domain lists who else holds values in it with one Query instead of a scan.
 * Only the keys and the holder are projected: the listing needs nothing else.
 */
export const DOMAIN_GSI = {
  indexName: 'byDomain',
  partitionKey: 'domainRoot',
  sortKey: 'domainPath',
  projected: ['accountId', 'userId'],
} as const;

export const localTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: TABLE_KEY.partitionKey, AttributeType: 'S' },
    { AttributeName: TABLE_KEY.sortKey, AttributeType: 'S' },
    { AttributeName: DOMAIN_GSI.partitionKey, AttributeType: 'S' },
    { AttributeName: DOMAIN_GSI.sortKey, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: DOMAIN_GSI.indexName,
      KeySchema: [
        { AttributeName: DOMAIN_GSI.partitionKey, KeyType: 'HASH' },
        { AttributeName: DOMAIN_GSI.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...DOMAIN_GSI.projected] },
    },
  ],
});
