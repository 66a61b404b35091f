import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { publishUserEvents } from './events/publisher';
import { UserChangedDetail, userChangedDetail } from './events/user-events';

/**
 * DynamoDB Streams → EventBridge (issue: change events). A stream record exists only for a committed write, so
 * an event is never emitted for a cancelled transaction; a crash after the write cannot lose it (the record
 * stays in the stream until this handler reports it done). Records whose events could not be published are
 * reported as batch item failures (ReportBatchItemFailures), so the event source mapping retries from the
 * first failed one — in order, per shard, which keeps a user's events in version order.
 */
const logger = new Logger({ serviceName: 'scimlink-events' });
let client: EventBridgeClient | undefined;

export function setEventBridgeClient(c: EventBridgeClient | undefined) {
  client = c;
}

type Image = Record<string, AttributeValue>;

export const handler = async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
  // The Lambda context (request id, cold start) in its log lines, as injectLambdaContext does for the API handlers.
  if (context) logger.addContext(context);
  const busName = process.env.EVENT_BUS_NAME;
  if (!busName) throw new Error('Missing environment variable EVENT_BUS_NAME');
  client ??= new EventBridgeClient({});
  const details: Array<{ detail: UserChangedDetail; sequence: string }> = [];
  for (const record of event.Records) {
    const image = (i: unknown) => (i ? unmarshall(i as Image) : undefined);
    const detail = userChangedDetail(image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage));
    if (detail) details.push({ detail, sequence: record.dynamodb?.SequenceNumber ?? '' });
  }
  const failed = await publishUserEvents(
    client,
    busName,
    details.map((d) => d.detail),
  );
  if (failed.size > 0) logger.warn('some user events were not published; they will be retried', { failed: failed.size });
  // Report from the first failure on: records after it must not overtake it (ordering per user).
  const first = Math.min(...[...failed]);
  return { batchItemFailures: failed.size > 0 ? [{ itemIdentifier: details[first]?.sequence ?? '' }] : [] };
};
