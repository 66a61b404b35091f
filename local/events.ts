import { IncomingMessage, ServerResponse } from 'node:http';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, UserChangedDetail, userChangedDetail } from '../lambdas/events/user-events';
import { LocalStreamRecord } from './dynamo/stream';

/** An event as EventBridge delivers it to a rule target (the fields consumers use). */
export interface LocalUserEvent {
  id: number;
  source: typeof EVENT_SOURCE;
  'detail-type': typeof EVENT_DETAIL_TYPE;
  time: string;
  detail: UserChangedDetail;
}

/**
 * The local stand-in for the EventBridge bus: the local stream's committed changes, mapped by the same pure
 * function the deployed stream handler uses, fanned out to subscribers (the SSE endpoint, `--events`, tests).
 */
export class LocalEventHub {
  private readonly subscribers = new Set<(e: LocalUserEvent) => void>();
  private readonly streams = new Set<ServerResponse>();
  private seq = 0;

  onStreamRecord = (record: LocalStreamRecord) => {
    const detail = userChangedDetail(record.oldImage, record.newImage);
    if (!detail) return;
    const event: LocalUserEvent = { id: ++this.seq, source: EVENT_SOURCE, 'detail-type': EVENT_DETAIL_TYPE, time: detail.time, detail };
    for (const s of this.subscribers) s(event);
  };

  /** True while anyone subscribes: the local stream captures changes only then. */
  get listening(): boolean {
    return this.subscribers.size > 0;
  }

  subscribe(fn: (e: LocalUserEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /**
   * `GET /events`: Server-Sent Events, one `event: User Changed` per change (`data:` is the JSON envelope).
   * `curl -N http://127.0.0.1:8080/events`. Local only: deployed, subscribe with an EventBridge rule.
   */
  serveSse(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(': scimlink user change events\n\n');
    const unsubscribe = this.subscribe((e) => res.write(`id: ${e.id}\nevent: ${e['detail-type']}\ndata: ${JSON.stringify(e)}\n\n`));
    this.streams.add(res);
    req.on('close', () => {
      unsubscribe();
      this.streams.delete(res);
    });
  }

  /** End every open SSE stream (they would otherwise keep the server from closing). */
  closeStreams() {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }
}
