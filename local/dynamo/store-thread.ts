/**
 * The body of the store thread (./threaded.ts): dynalite, its LevelDB and the table-description cache in a worker
 * thread, answering the wire requests the main thread posts. Loaded by ./store-thread-entry.cjs.
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { closeDynalite, startDynalite } from './dynalite-server';
import { callDynalite } from './in-process';
import { Batcher, type ThreadAnswer, type ThreadReply, type ThreadRequest, type ThreadStart, flatHeaders, headersOf } from './thread-protocol';

const port = parentPort;
if (!port) throw new Error('store-thread.ts runs in a worker thread (local/dynamo/threaded.ts starts it)');
const reply = (message: ThreadReply) => port.postMessage(message);
const answers = new Batcher<ThreadAnswer>(reply);
const { path } = workerData as ThreadStart;
startDynalite(path).then(
  (server) => {
    port.on('message', (message: ThreadRequest) => {
      if (message === 'close') {
        closeDynalite(server).then(
          () => reply({ kind: 'closed' }),
          (error: unknown) => reply({ kind: 'closed', message: (error as Error).message }),
        );
        return;
      }
      for (const call of message) {
        const [id, method, url, body] = call;
        callDynalite(server, { method, url, headers: headersOf(call, 4), body: Buffer.from(body) }).then(
          (answer) => answers.push([id, answer.statusCode, answer.body.toString('utf8'), ...flatHeaders(answer.headers)]),
          (error: unknown) => answers.push([id, -1, (error as Error).message]),
        );
      }
    });
    reply({ kind: 'listening', port: (server.address() as AddressInfo).port });
  },
  (error: unknown) => reply({ kind: 'failed', message: (error as Error).message }),
);
