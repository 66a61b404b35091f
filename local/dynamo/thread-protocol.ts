import type { DynaliteAnswer } from './in-process';

/**
 * The messages between the main thread and the store thread (./threaded.ts). Calls and answers are flat arrays of
 * primitives and one byte array: structured-cloning nested objects (a headers record per call) cost as much as
 * dynalite's own work on a GetItem, measured with `node --cpu-prof` under Entra's cycle mix.
 */

/** What the store thread is started with (its `workerData`). */
export interface ThreadStart {
  /** LevelDB folder; omitted for an in-memory store. */
  path?: string;
}

/** A call: `[id, method, url, body, name1, value1, name2, value2, …]`. */
export type ThreadCall = [id: number, method: string, url: string, body: string, ...headers: string[]];
/** The calls made since the last message (see {@link Batcher}), or `close`, which ends the store. */
export type ThreadRequest = ThreadCall[] | 'close';

/** An answer `[id, statusCode, body, name1, value1, …]` or an error `[id, -1, message]`. */
export type ThreadAnswer = [id: number, statusCode: number, body: string, ...headers: string[]] | [id: number, failed: -1, message: string];
/** The answers ready since the last message, or one of the store's life-cycle events. */
export type ThreadReply =
  | ThreadAnswer[]
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; message: string }
  | { kind: 'closed'; message?: string };

export function flatHeaders(headers: Record<string, string>): string[] {
  const flat: string[] = [];
  for (const name in headers) flat.push(name, headers[name] as string);
  return flat;
}

export function headersOf(flat: unknown[], from: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = from; i + 1 < flat.length; i += 2) headers[flat[i] as string] = flat[i + 1] as string;
  return headers;
}

export function answerOf(reply: [number, number, string, ...string[]]): DynaliteAnswer {
  return { statusCode: reply[1], headers: headersOf(reply, 3), body: Buffer.from(reply[2]) };
}

export const textOf = (body: Uint8Array): string => Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');

/**
 * Gathers what one loop turn sends into one message, sent from `setImmediate`: a message's fixed cost (a wake-up
 * of the other thread) was most of what a call cost, and requests arriving together make their calls together.
 */
export class Batcher<T> {
  private queued: T[] = [];
  constructor(private readonly send: (batch: T[]) => void) {}
  push(item: T): void {
    if (this.queued.length === 0) setImmediate(() => this.flush());
    this.queued.push(item);
  }
  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    this.send(batch);
  }
}
