import 'aws-sdk-client-mock-jest';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { userChangedDetail } from '../../lambdas/events/user-events';
import { handler, setEventBridgeClient } from '../../lambdas/stream-user-events';

const user = (version: number, over: Record<string, unknown> = {}) => ({
  pk: 'ACCOUNT#acc1',
  sk: 'USER#u1',
  kind: 'user',
  id: 'u1',
  accountId: 'acc1',
  data: { userName: 'ann@contoso.com', displayName: 'Ann', active: true, emails: [{ type: 'work', value: 'ann@contoso.com' }], ...over },
  created: '2026-01-01T00:00:00.000Z',
  lastModified: `2026-01-0${version}T00:00:00.000Z`,
  version,
  uniques: [],
});
const sentinel = { pk: 'UNIQUE#email#ann@contoso.com', sk: 'UNIQUE', kind: 'sentinel', accountId: 'acc1', userId: 'u1' };

describe('userChangedDetail: one committed item change → at most one event', () => {
  it.each([
    ['insert', undefined, user(1), 'created', 1, ['active', 'displayName', 'emails', 'userName']],
    ['display name change', user(1), user(2, { displayName: 'Anne' }), 'updated', 2, ['displayName']],
    ['disable', user(2), user(3, { active: false }), 'disabled', 3, ['active']],
    ['enable with a rename', user(3, { active: false }), user(4, { displayName: 'A' }), 'enabled', 4, ['active', 'displayName']],
    ['delete', user(4), undefined, 'deleted', 5, ['active', 'displayName', 'emails', 'userName']],
  ])('%s', (_name, oldImage, newImage, changeType, version, changed) => {
    // Act
    const detail = userChangedDetail(oldImage, newImage, () => new Date('2026-02-01T00:00:00.000Z'));

    // Assess
    expect(detail).toMatchObject({ schemaVersion: '1.0', changeType, version, accountId: 'acc1', userId: 'u1', userName: 'ann@contoso.com' });
    expect(detail?.changedAttributes).toEqual(changed);
    if (changeType === 'deleted') expect(detail?.user).toBeNull();
    else expect(detail?.user).toMatchObject({ id: 'u1', meta: { version: `W/"${version}"` } });
  });

  it.each([
    ['a sentinel item', undefined, sentinel],
    ['a key-order-only difference', user(1), { ...user(1), data: { emails: [{ value: 'ann@contoso.com', type: 'work' }], active: true, displayName: 'Ann', userName: 'ann@contoso.com' } }],
    ['nothing at all', undefined, undefined],
    ["a `scimlink check` user's create", undefined, user(1, { userName: 'scimlink-check-mwyh7e3cdd-subject@example.com' })],
    ["a `scimlink check` user's delete", user(3, { userName: 'SCIMLINK-CHECK-MWYH7E3CDD-HOLDER@EXAMPLE.COM' }), undefined],
    ["a `scimlink check` user's disable", user(1, { userName: 'scimlink-check-a1-x@example.com' }), user(2, { userName: 'scimlink-check-a1-x@example.com', active: false })],
  ])('gives no event for %s', (_name, oldImage, newImage) => {
    expect(userChangedDetail(oldImage as never, newImage as never)).toBeUndefined();
  });
});

it.each(['scimlink-check@example.com', 'scimlink-check-a1-x@example.org', 'ann.scimlink-check-a1-x@example.com'])(
  'still publishes for %s (not the shape of a check user)',
  (userName) => {
    expect(userChangedDetail(undefined, user(1, { userName }))?.changeType).toBe('created');
  },
);

describe('stream handler → EventBridge', () => {
  const eb = mockClient(EventBridgeClient);
  const record = (seq: string, oldImage?: object, newImage?: object): DynamoDBRecord => ({
    eventName: oldImage && newImage ? 'MODIFY' : oldImage ? 'REMOVE' : 'INSERT',
    dynamodb: {
      SequenceNumber: seq,
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
      ...(newImage ? { NewImage: marshall(newImage) as never } : {}),
    },
  });
  const event = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

  beforeEach(() => {
    eb.reset();
    process.env.EVENT_BUS_NAME = 'bus';
    setEventBridgeClient(new EventBridgeClient({ region: 'us-east-1' }));
  });
  afterAll(() => {
    setEventBridgeClient(undefined);
    delete process.env.EVENT_BUS_NAME;
  });

  it('publishes one event per user change (none for sentinels) and reports no failures', async () => {
    // Prepare
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }, { EventId: '2' }] });

    // Act
    const out = await handler(event([record('1', undefined, user(1)), record('2', undefined, sentinel), record('3', user(1), user(2, { active: false }))]));

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entries = eb.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entries.map((e) => [e.EventBusName, e.Source, e.DetailType, JSON.parse(e.Detail!).changeType])).toEqual([
      ['bus', 'scimlink', 'User Changed', 'created'],
      ['bus', 'scimlink', 'User Changed', 'disabled'],
    ]);
  });

  it('reports the first unpublished record as the batch failure, so the retry keeps per-user order', async () => {
    // Prepare: the second of three entries fails
    eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: '1' }, { ErrorCode: 'ThrottlingException' }, { EventId: '3' }] });

    // Act
    const out = await handler(event([record('10', undefined, user(1)), record('11', user(1), user(2, { displayName: 'B' })), record('12', user(2), undefined)]));

    // Assess
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: '11' }]);
  });

  it('reports the batch when EventBridge is unreachable', async () => {
    eb.on(PutEventsCommand).rejects(new Error('network down'));
    const out = await handler(event([record('20', undefined, user(1))]));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: '20' }]);
  });
});
