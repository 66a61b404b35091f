import { AsyncLocalStorage } from 'node:async_hooks';
import type { BatchScope } from '../store/consistent-reads';

/**
 * The request the current code runs for, carried through every await (AsyncLocalStorage): its abort signal, which
 * fires once the request has been answered or ran out of time. The AWS clients read it (`abortWithRequest`), so no
 * call made for a request outlives it — the queue behind the SDK's sockets holds live requests only.
 */
const scope = new AsyncLocalStorage<AbortSignal>();

export const requestSignal = (): AbortSignal | undefined => scope.getStore();

/** Runs `work` as one request: aborted, with everything it started, when `signal` fires. */
export const runForRequest = <T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> => scope.run(signal, work);

/** A signal that aborts once every one of `signals` has (one request giving up must not fail the others). */
export function allAborted(signals: AbortSignal[]): AbortSignal {
  const distinct = new Set(signals); // one request's reads of several keys count once
  if (distinct.size === 1) return signals[0] as AbortSignal;
  const controller = new AbortController();
  let left = distinct.size;
  const one = () => {
    if (--left === 0) controller.abort();
  };
  for (const s of distinct) {
    if (s.aborted) one();
    else s.addEventListener('abort', one, { once: true });
  }
  return controller.signal;
}

/**
 * How a read batched for several requests is sent (CoalescingReader): on behalf of all of them — aborted when all
 * have been answered — or, when one of them is no request at all, for nobody in particular.
 */
export const sharedBatches: BatchScope<AbortSignal | undefined> = {
  current: requestSignal,
  run: (readers, send) =>
    readers.every((r): r is AbortSignal => r !== undefined) ? runForRequest(allAborted(readers), send) : scope.exit(send),
};

/** What a call refused for an aborted request throws (never seen by a client: its request was answered). */
export class RequestAborted extends Error {
  constructor() {
    super('The request this call was made for has been answered or ran out of time');
    this.name = 'AbortError';
  }
}

interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * Makes an AWS SDK client request-scoped: each call carries the current request's abort signal (the SDK drops it
 * from the socket queue or cancels it in flight when the signal fires), and a call for a request that has already
 * been answered is not started at all. Calls made outside any request are untouched.
 */
export function abortWithRequest<C>(client: C): C {
  const send = (client as unknown as Sender).send.bind(client);
  // A view of the client with its own `send`, the rest inherited: the injected client itself is left as it was.
  const scoped = Object.create(client as object) as Sender;
  scoped.send = (command, options) => {
    const signal = requestSignal();
    if (signal === undefined || options?.abortSignal !== undefined) return send(command, options);
    if (signal.aborted) return Promise.reject(new RequestAborted());
    return send(command, { ...options, abortSignal: signal });
  };
  return scoped as unknown as C;
}
