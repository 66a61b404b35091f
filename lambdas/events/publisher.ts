import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, UserChangedDetail } from './user-events';

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

/**
 * Publishes user change events to the stack's EventBridge bus. Returns the indexes of the details that could
 * not be published (throttled, internal errors), so the stream handler can report exactly those records as
 * failed and the Lambda event source mapping retries them (at-least-once).
 */
export async function publishUserEvents(client: EventBridgeClient, busName: string, details: UserChangedDetail[]): Promise<Set<number>> {
  const failed = new Set<number>();
  for (let start = 0; start < details.length; start += BATCH) {
    const slice = details.slice(start, start + BATCH);
    const Entries: PutEventsRequestEntry[] = slice.map((d) => ({
      EventBusName: busName,
      Source: EVENT_SOURCE,
      DetailType: EVENT_DETAIL_TYPE,
      Detail: JSON.stringify(d),
      Time: new Date(d.time),
    }));
    try {
      const out = await client.send(new PutEventsCommand({ Entries }));
      (out.Entries ?? []).forEach((e, i) => {
        if (e.ErrorCode) failed.add(start + i);
      });
    } catch {
      slice.forEach((_, i) => failed.add(start + i));
    }
  }
  return failed;
}
