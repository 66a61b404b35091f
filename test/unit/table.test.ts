import { localTableDefinition } from '../../lambdas/store/table';

describe('localTableDefinition: the table the local runner creates has the deployed key schema', () => {
  it('pk (HASH) and sk (RANGE), both strings, on demand, with the sparse byDomain index projecting the holder', () => {
    expect(localTableDefinition('scimlink-local')).toEqual({
      TableName: 'scimlink-local',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'domainRoot', AttributeType: 'S' },
        { AttributeName: 'domainPath', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byDomain',
          KeySchema: [
            { AttributeName: 'domainRoot', KeyType: 'HASH' },
            { AttributeName: 'domainPath', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['accountId', 'userId'] },
        },
      ],
    });
  });
});
