/**
 * `scimlink verify`'s table scan (lambdas/store/table-scanner.ts) on a mocked client: every segment is read to its
 * last page, strongly consistent, and every page reaches the caller; a throttled scan is a 429 (retry), not a 500.
 */
import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ScimError } from '../../lambdas/scim/errors';
import { TableScanner } from '../../lambdas/store/table-scanner';
import { caught } from '../support/caught';

const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

beforeEach(() => ddb.reset());

describe('TableScanner.scan', () => {
  it('reads each of the segments (default 4) to its last page, strongly consistent, handing over every page', async () => {
    // Segment 1 has two pages; the others one page each (segment 3's without Items).
    ddb.on(ScanCommand).callsFake((input: ScanCommandInput) => {
      const s = input.Segment ?? -1;
      if (s === 1 && input.ExclusiveStartKey === undefined) return { Items: [{ pk: 's1-a' }], LastEvaluatedKey: { pk: 's1-a' } };
      if (s === 3) return {};
      return { Items: [{ pk: `s${s}-${input.ExclusiveStartKey ? 'b' : 'a'}` }] };
    });
    const pages: Record<string, unknown>[][] = [];

    await new TableScanner(doc, 'T').scan((items) => pages.push(items));

    expect(pages.flat().map((i) => i.pk).sort()).toStrictEqual(['s0-a', 's1-a', 's1-b', 's2-a']);
    expect(pages).toContainEqual([]);
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 5);
    for (const segment of [0, 1, 2, 3]) {
      expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: 'T', ConsistentRead: true, Segment: segment, TotalSegments: 4 });
    }
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { Segment: 1, ExclusiveStartKey: { pk: 's1-a' } });
  });

  it('the number of segments is the constructor’s', async () => {
    ddb.on(ScanCommand).resolves({ Items: [] });
    await new TableScanner(doc, 'T', 2).scan(() => undefined);
    expect(ddb.commandCalls(ScanCommand).map((c) => [c.args[0].input.Segment, c.args[0].input.TotalSegments])).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('throttled → 429 with Retry-After', async () => {
    ddb.on(ScanCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    const e = await caught(new TableScanner(doc, 'T').scan(() => undefined));
    expect(e).toBeInstanceOf(ScimError);
    expect([(e as ScimError).status, (e as ScimError).headers['Retry-After']]).toEqual([429, '2']);
  });
});
