/**
 * A test-only fault injector for the local server's DynamoDB client (issue 6): what real DynamoDB and the network
 * do to a busy table, injected at random into every command the handlers send.
 *
 * It sits directly inside the SDK's retry middleware (and outside the local transaction layer's emulator), so
 * each injected fault meets the SDK's real retry strategy exactly as a fault of the service would:
 *
 * | fault              | when                                   | what the SDK and the store do |
 * |--------------------|----------------------------------------|-------------------------------|
 * | `throttle`         | any command, before it runs            | `ProvisionedThroughputExceededException` (HTTP 400): the SDK retries it (throttling backoff); exhausted → the store answers 429 |
 * | `readFailure`      | reads (GetItem, Query, Scan), before   | `InternalServerError` (HTTP 500): the SDK retries it; exhausted → 503 |
 * | `conflict`         | TransactWriteItems, before it runs     | `TransactionCanceledException` with a `TransactionConflict` reason: not an SDK retry; the store retries with jitter, then 503 |
 * | `txThrottle`       | TransactWriteItems, before it runs     | `TransactionCanceledException` with `ThrottlingError` reasons: the store retries |
 * | `timeoutAfterWrite`| writes, AFTER the write was applied    | a `TimeoutError` as the HTTP handler throws when the response is lost: the SDK retries the same request — which must then be idempotent |
 *
 * Randomness is seeded (`FAULT_SEED`, printed in failures) so a failing storm can be replayed.
 */
import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export interface FaultRates {
  throttle?: number;
  readFailure?: number;
  conflict?: number;
  txThrottle?: number;
  timeoutAfterWrite?: number;
}

export type FaultKind = keyof FaultRates;

export interface FaultInjector {
  readonly seed: number;
  /** Faults injected so far, by kind. */
  readonly injected: Record<FaultKind, number>;
  /** Commands seen so far (faulted or not). */
  readonly commands: number;
  /** Stop (`false`) or resume (`true`) injecting without removing the middleware. */
  enable(on: boolean): void;
  remove(): void;
}

const NAME = 'test-fault-injector';
const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/** mulberry32: small, fast, seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultOptions {
  seed?: number;
  /** Stop after this many faults in all (e.g. 1: exactly one lost response). */
  max?: number;
}

export function installFaults(client: DynamoDBClient, rates: FaultRates, options: FaultOptions = {}): FaultInjector {
  const seed = options.seed ?? Number(process.env.FAULT_SEED ?? Date.now() % 2 ** 31);
  const random = seededRandom(seed);
  let total = 0;
  const injected: Record<FaultKind, number> = { throttle: 0, readFailure: 0, conflict: 0, txThrottle: 0, timeoutAfterWrite: 0 };
  let commands = 0;
  let enabled = true;
  const appliedTokens = new Set<string>();
  const roll = (kind: FaultKind) => {
    const p = rates[kind] ?? 0;
    if (!enabled || p <= 0 || total >= (options.max ?? Infinity) || random() >= p) return false;
    injected[kind]++;
    total++;
    return true;
  };
  const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: `fault-${commands}`, attempts: 1, totalRetryDelay: 0 });

  type Relative = Parameters<DynamoDBClient['middlewareStack']['addRelativeTo']>[0];
  const middleware = ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
    const command = context.commandName ?? '';
    const isRead = READS.has(command);
    const isWrite = WRITES.has(command);
    if (!isRead && !isWrite) return next(args);
    commands++;
    if (roll('throttle')) {
      throw new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
        $metadata: metadata(400),
      });
    }
    if (isRead && roll('readFailure')) {
      throw new InternalServerError({ message: 'Internal server error (injected)', $metadata: metadata(500) });
    }
    const token = (args.input as { ClientRequestToken?: string }).ClientRequestToken;
    // DynamoDB answers a repeat of an applied ClientRequestToken from its idempotency record: that request can no
    // longer be cancelled, so no cancellation is injected into it (it would be a fault DynamoDB cannot produce).
    if (command === 'TransactWriteItemsCommand' && !(token !== undefined && appliedTokens.has(token))) {
      const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
      const cancel = (code: string) =>
        new TransactionCanceledException({
          message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${code}] (injected)`,
          $metadata: metadata(400),
          // Real DynamoDB names the contended item; the others say None.
          CancellationReasons: items.map((_, i) => ({ Code: i === items.length - 1 ? code : 'None' })),
        });
      if (roll('conflict')) throw cancel('TransactionConflict');
      if (roll('txThrottle')) throw cancel('ThrottlingError');
    }
    const result = await next(args);
    if (token !== undefined) appliedTokens.add(token);
    if (isWrite && roll('timeoutAfterWrite')) {
      // What @smithy/node-http-handler throws when the response never arrives: the write happened, nobody knows.
      throw Object.assign(new Error('Connection timed out after the request was sent (injected)'), { name: 'TimeoutError' });
    }
    return result;
  }) as unknown as Relative;

  client.middlewareStack.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'retryMiddleware', name: NAME });
  return {
    seed,
    injected,
    get commands() {
      return commands;
    },
    enable(on) {
      enabled = on;
    },
    remove() {
      client.middlewareStack.remove(NAME);
    },
  };
}
