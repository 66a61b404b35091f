import { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The table's key schema, shared by the CDK stack and the local runner so both create the same table.
 * Only the base table's keys: every lookup the SCIM surface needs is a GetItem or a Query on the base table,
 * which can be strongly consistent (a GSI never is).
 */
export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const localTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: TABLE_KEY.partitionKey, AttributeType: 'S' },
    { AttributeName: TABLE_KEY.sortKey, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
  ],
});
