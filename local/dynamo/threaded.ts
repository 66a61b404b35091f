import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DynaliteAnswer, DynaliteHost } from './in-process';
import { Batcher, type ThreadCall, type ThreadReply, type ThreadRequest, type ThreadStart, answerOf, flatHeaders, textOf } from './thread-protocol';

/**
 * Starts dynalite in a worker thread. Why a thread: under Entra's cycle mix, dynalite's JavaScript and LevelDB are
 * about a third of `npm start`'s CPU; on their own thread they run beside the handlers instead of between them, so
 * a machine with two cores serves more (docs/benchmarks.md). The main thread keeps everything that decides
 * anything: the SDK clients, the transaction layer and its lock, the stream. A call is one message each way (tens of
 * microseconds, ./thread-protocol.ts); the request and answer are the same wire JSON as over HTTP.
 */
export async function startStoreThread(options: ThreadStart): Promise<DynaliteHost> {
  const worker = new Worker(join(__dirname, 'store-thread-entry.cjs'), { workerData: options satisfies ThreadStart });
  const pending = new Map<number, { resolve(a: DynaliteAnswer): void; reject(e: Error): void }>();
  const calls = new Batcher<ThreadCall>((batch) => worker.postMessage(batch satisfies ThreadRequest));
  let nextId = 0;
  let gone: Error | undefined;
  let closed: ((error?: Error) => void) | undefined;
  const failAll = (error: Error) => {
    gone ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (reply: ThreadReply) => {
      if (Array.isArray(reply)) {
        for (const answer of reply) {
          const p = pending.get(answer[0]);
          pending.delete(answer[0]);
          if (answer[1] === -1) p?.reject(new Error(answer[2] as string));
          else p?.resolve(answerOf(answer as [number, number, string, ...string[]]));
        }
        return;
      }
      switch (reply.kind) {
        case 'listening':
          return resolve(reply.port);
        case 'failed':
          return reject(new Error(`scimlink local store thread: ${reply.message}`));
        case 'closed':
          return closed?.(reply.message === undefined ? undefined : new Error(reply.message));
      }
    });
    worker.once('error', (error) => {
      failAll(error);
      reject(error);
    });
    worker.once('exit', (code) => {
      const error = Object.assign(new Error(`scimlink local store: its thread exited (code ${code})`), { code: 'ECONNREFUSED' });
      failAll(error);
      closed?.();
      reject(error);
    });
  });
  // close() closes dynalite (flushing and releasing the LevelDB folder), then ends the thread.
  return {
    port,
    call(request) {
      if (gone) return Promise.reject(gone);
      const id = nextId++;
      return new Promise<DynaliteAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        calls.push([id, request.method, request.url, textOf(request.body), ...flatHeaders(request.headers)]);
      });
    },
    async close() {
      if (gone) return;
      const done = new Promise<Error | undefined>((resolve) => (closed = resolve));
      worker.postMessage('close' satisfies ThreadRequest);
      const error = await done;
      await worker.terminate();
      if (error) throw error;
    },
  };
}
