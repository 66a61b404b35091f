import { localTableDefinition } from '../../lambdas/store/table';

describe('localTableDefinition: the table the local runner creates has the deployed key schema', () => {
  it('pk (HASH) and sk (RANGE), both strings, on demand', () => {
    expect(localTableDefinition('scimlink-local')).toEqual({
      TableName: 'scimlink-local',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });
});
