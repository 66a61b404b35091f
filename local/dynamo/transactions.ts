/**
 * Local emulation of DynamoDB transactions on top of dynalite.
 *
 * dynalite (the LevelDB-backed DynamoDB used by `npm start` and the integration
 * tests) implements the single-item API but not `TransactWriteItems` /
 * `TransactGetItems`; it answers them with `UnknownOperationException`. The
 * production code uses both through an injected `DynamoDBDocumentClient`, so the
 * local `DynamoDBClient` gets two middlewares from {@link installLocalTransactions}:
 *
 * 1. `scimlinkLocalTransactions` (step `initialize`) takes a process-wide
 *    readers–writer lock around every data command: single-item writes,
 *    `BatchWriteItem` and `TransactWriteItems` hold it exclusively; `GetItem`,
 *    `Query`, `Scan`, `BatchGetItem` and `TransactGetItems` hold it shared. This is
 *    what makes the emulated transaction atomic: no reader can observe it half
 *    applied (or half rolled back), and two transactions never interleave.
 *    Table-management commands pass through unlocked.
 *
 * 2. `scimlinkLocalTransactionsEmulator` (placed directly *inside*
 *    `deserializerMiddleware`) answers the two transaction commands itself
 *    instead of letting them reach dynalite. It has to sit there, not in
 *    `initialize`: lib-dynamodb's DocumentClient marshalls its input in the
 *    serialize step ("DocumentMarshall", before `serializerMiddleware`) and
 *    unmarshalls the output in the deserialize step ("DocumentUnmarshall", just
 *    outside `deserializerMiddleware`). So in `initialize` a DocumentClient
 *    command still carries plain JS values, and a result returned from there
 *    would skip the unmarshalling. Inside the deserializer the input is the
 *    low-level AttributeValue form, and the emulator answers with a synthesized
 *    HTTP response in DynamoDB's JSON wire format: the SDK's own deserializer then
 *    builds the output (which the DocumentClient unmarshalls) or the modeled
 *    error — a real `TransactionCanceledException` instance with
 *    `CancellationReasons`, or a `ValidationException`-named service error —
 *    exactly as it would from the real service.
 *
 * The transactions run over `raw`, a second client to the same dynalite
 * without these middlewares (so the emulator never waits on the lock it runs
 * under); the engine speaks DynamoDB's JSON wire protocol directly through
 * `raw`'s HTTP handler rather than `raw.send`, whose per-call SDK work costs
 * several times dynalite's own. Algorithm, under the write lock:
 * - validate like DynamoDB (1–100 actions, exactly one of
 *   Put/Update/Delete/ConditionCheck per action, no two actions on one item,
 *   required members present, Put items carry the table's key — key schemas are
 *   cached per table);
 * - apply every action at once, each with its `ConditionExpression`
 *   (`PutItem`/`UpdateItem`/`DeleteItem` with `ReturnValues: ALL_OLD`, which
 *   also captures the item's previous image); a `ConditionCheck` is evaluated by
 *   a conditional `PutItem` of the item's current image (or of just its key when
 *   absent), after which the snapshot is restored. The items are distinct and
 *   nothing else runs under the lock, so this equals applying them in order;
 * - if any condition failed, report every failing condition (as DynamoDB does),
 *   roll back the applied actions by restoring their previous images, and fail
 *   with `TransactionCanceledException` carrying one `CancellationReason` per
 *   action — unless a lower-indexed action failed for another reason: then roll
 *   back and answer that error (what applying them in order would have met first).
 *
 * Consumed capacity: with `ReturnConsumedCapacity` TOTAL or INDEXES the answer
 * carries DynamoDB's per-table `ConsumedCapacity`. Transactional items are billed
 * twice (prepare and commit): each write costs 2 × ceil(size / 1 KB) WCU, size
 * being the larger of the item's old and new image; each read 2 × ceil(size /
 * 4 KB) RCU; a ConditionCheck is counted as a write of the checked item's size.
 * Item sizes follow DynamoDB's rules (dynalite computes them).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
 */
import type {
  AttributeValue,
  CancellationReason,
  DynamoDBClient,
  TransactGetItemsCommandInput,
  TransactWriteItem,
  TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import type { DynaliteCall } from './in-process';
import { RwLock } from './rw-lock';

/** Name of the locking middleware added to the client's stack. */
export const LOCAL_TRANSACTIONS_MIDDLEWARE = 'scimlinkLocalTransactions';
/** Name of the middleware that answers the transaction commands. */
export const LOCAL_TRANSACTIONS_EMULATOR_MIDDLEWARE = 'scimlinkLocalTransactionsEmulator';

/** DynamoDB's limit on actions per transaction (both write and get). */
export const MAX_TRANSACTION_ACTIONS = 100;

/** How long DynamoDB remembers a successful `ClientRequestToken`. */
const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

const WRITE_COMMANDS: ReadonlySet<string> = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const READ_COMMANDS: ReadonlySet<string> = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);

export interface LocalTransactionsOptions {
  /**
   * The lock to serialize on. Pass one to share it with other code — e.g.
   * `startEmbeddedDynamo` takes it exclusively in `close()` to wait for
   * in-flight writes. Defaults to a fresh lock.
   */
  lock?: RwLock;
  /**
   * How to reach the dynalite `raw` points at without a socket (`startEmbeddedDynamo`: its request listener in
   * this process, or a message to the store thread): the engine then hands its single-item calls to it directly —
   * the same wire-format request and answer, without a loopback socket and two HTTP parsers per call. A
   * transaction makes one call per action (a user create or delete: six), so this is most of what an emulated
   * transaction costs.
   */
  inProcess?: DynaliteCall;
}

/**
 * Makes `TransactWriteItems` and `TransactGetItems` work, atomically, on a
 * `DynamoDBClient` pointed at dynalite (see the module comment for how).
 *
 * @param client the client the application uses (directly or wrapped in a
 *   `DynamoDBDocumentClient`, before or after this call — the DocumentClient
 *   shares the inner client's middleware stack).
 * @param raw a second client to the same dynalite endpoint, with no middleware
 *   installed; the emulator performs its single-item operations through it.
 *   Give it `maxAttempts: 1`: a retried conditional write could fail its own
 *   condition; a failed emulated transaction is rolled back and rethrown, so the
 *   outer client's retry policy re-runs it whole instead.
 *
 * Only commands sent through `client` (and its DocumentClients) are serialized by
 * the lock: writes through any other client to the same endpoint can still
 * interleave with a transaction.
 *
 * @throws if `raw` is `client`, or if it is installed twice on the same client.
 */
export function installLocalTransactions(
  client: DynamoDBClient,
  raw: DynamoDBClient,
  options: LocalTransactionsOptions = {},
): void {
  if (raw === client) throw new Error('installLocalTransactions: `raw` must be a different client than `client`');
  const lock = options.lock ?? new RwLock();
  const engine = new TransactionEngine(options.inProcess ? inProcessTransport(options.inProcess) : httpTransport(raw));

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const mode = WRITE_COMMANDS.has(command) ? 'write' : READ_COMMANDS.has(command) ? 'read' : undefined;
      if (mode === undefined) return next(args);
      const release = mode === 'write' ? await lock.acquireWrite() : await lock.acquireRead();
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    { step: 'initialize', name: LOCAL_TRANSACTIONS_MIDDLEWARE },
  );

  type Relative = Parameters<DynamoDBClient['middlewareStack']['addRelativeTo']>[0];
  const emulator = ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      const command = context.commandName;
      if (command !== 'TransactWriteItemsCommand' && command !== 'TransactGetItemsCommand') return next(args);
      try {
        const body =
          command === 'TransactWriteItemsCommand'
            ? await engine.transactWrite(args.input as TransactWriteItemsCommandInput)
            : await engine.transactGet(args.input as TransactGetItemsCommandInput);
        return { response: wireResponse(200, body) };
      } catch (error) {
        if (error instanceof ServiceError) return { response: wireResponse(400, error.toWire()) };
        if (error instanceof WireError) return { response: wireResponse(error.statusCode, error.body) };
        throw error;
      }
    }) as unknown as Relative;
  client.middlewareStack.addRelativeTo(emulator, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: LOCAL_TRANSACTIONS_EMULATOR_MIDDLEWARE,
  });
}

// ---------------------------------------------------------------------------
// The engine: DynamoDB transaction semantics over single-item calls to dynalite.

type Item = Record<string, AttributeValue>;
type Names = Record<string, string>;
type Values = Record<string, AttributeValue>;

type ActionKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

interface Action {
  index: number;
  kind: ActionKind;
  table: string;
  /** The item's primary key (for Put: extracted from the item via the key schema). */
  key: Item;
  /** Put only: the full new item. */
  item?: Item;
  /** Update only. */
  updateExpression?: string;
  condition?: string;
  names?: Names;
  values?: Values;
  returnOldOnFailure: boolean;
}

/** What applying one action did: `ok` false when its condition failed; `units` its (non-transactional) capacity. */
interface Applied {
  action: Action;
  ok: boolean;
  before: Item | undefined;
  units: number;
}

/** An error DynamoDB reports as a 400 with a `__type`; rendered on the wire. */
class ServiceError extends Error {
  constructor(
    readonly type: 'ValidationException' | 'TransactionCanceledException' | 'IdempotentParameterMismatchException',
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toWire(): Record<string, unknown> {
    // The namespaces DynamoDB uses in `__type`; the SDK keeps only the part after '#'.
    return this.type === 'ValidationException'
      ? { __type: 'com.amazon.coral.validate#ValidationException', message: this.message }
      : { __type: `com.amazonaws.dynamodb.v20120810#${this.type}`, Message: this.message, ...this.extra };
  }
}

/**
 * An error answer of dynalite to one of the engine's single-item calls, kept in its wire form: the emulator
 * passes it on as the transaction's own answer, so the application's client builds the modeled exception
 * (e.g. a `ValidationException` for an update expression that does not apply) exactly as from DynamoDB.
 */
class WireError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {
    const type = String(body.__type ?? 'UnknownError');
    super(String(body.message ?? body.Message ?? type));
    this.name = type.slice(type.lastIndexOf('#') + 1);
  }
}

const validation = (message: string): ServiceError => new ServiceError('ValidationException', message);

const lengthError = (member: string, length: number): ServiceError =>
  validation(
    length < 1
      ? `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length greater than or equal to 1`
      : `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ACTIONS}`,
  );

const notNull = (path: string): ServiceError =>
  validation(`1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);

const isConditionalCheckFailed = (error: unknown): boolean =>
  (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';

/** `ReturnConsumedCapacity` asks for a figure ('TOTAL' or 'INDEXES'; the table has no indexes). */
const wantsCapacity = (mode: string | undefined): boolean => mode === 'TOTAL' || mode === 'INDEXES';

interface HttpResponseLike {
  statusCode: number;
  body: AsyncIterable<Uint8Array>;
}
interface RequestHandlerLike {
  handle(request: Record<string, unknown>): Promise<{ response: HttpResponseLike }>;
}

/** Sends one wire-format DynamoDB request (operation + JSON body) to dynalite; answers its status and body text. */
type Transport = (operation: string, body: Uint8Array) => Promise<{ statusCode: number; text: string }>;

/**
 * Over HTTP, through `raw`'s own HTTP handler (its connection pool; `raw.destroy()` closes it). Not `raw.send`:
 * the SDK's per-call work (serialization schemas, endpoint rules, SigV4 signing, retries) costs several times
 * what dynalite itself takes, and a transaction makes one call per action.
 */
function httpTransport(raw: DynamoDBClient): Transport {
  let endpoint: Promise<{ protocol: string; hostname: string; port?: number; path: string }> | undefined;
  return async (operation, body) => {
    const config = raw.config as unknown as {
      endpoint?: () => Promise<{ protocol: string; hostname: string; port?: number; path: string }>;
      requestHandler: RequestHandlerLike;
    };
    if (!config.endpoint) throw new Error('scimlink local transactions: `raw` needs an explicit endpoint (dynalite)');
    endpoint ??= config.endpoint();
    const target = await endpoint;
    const { response } = await config.requestHandler.handle({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      method: 'POST',
      query: {},
      headers: {
        host: `${target.hostname}${target.port ? `:${target.port}` : ''}`,
        ...wireHeaders(operation, body),
      },
      body,
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    return { statusCode: response.statusCode, text: Buffer.concat(chunks).toString('utf8') };
  };
}

/** Without a socket: dynalite's request listener in this process, or the store thread (`options.inProcess`). */
function inProcessTransport(call: DynaliteCall): Transport {
  return async (operation, body) => {
    const answer = await call({ method: 'POST', url: '/', headers: wireHeaders(operation, body), body });
    return { statusCode: answer.statusCode, text: answer.body.toString('utf8') };
  };
}

/** Headers of a wire request (dynalite checks that the request is signed, not the signature). */
function wireHeaders(operation: string, body: Uint8Array): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(body.byteLength),
    'x-amz-target': `DynamoDB_20120810.${operation}`,
    'x-amz-date': LOCAL_SIGNATURE_DATE,
    authorization: LOCAL_AUTHORIZATION,
  };
}

/**
 * The engine's single-item calls, in DynamoDB's JSON wire format straight to dynalite (in this process when it
 * runs here, else over `raw`'s HTTP handler). Items stay in AttributeValue form; binary values travel
 * base64-encoded, as on the wire.
 */
class WireClient {
  constructor(private readonly transport: Transport) {}

  async call<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    const { statusCode, text } = await this.transport(operation, wireJson(input));
    const parsed = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    if (statusCode !== 200) throw new WireError(statusCode, parsed);
    return parsed as T;
  }
}

/** dynalite requires a well-formed SigV4 header but does not verify it (the embedded store's credentials are fixed). */
const LOCAL_SIGNATURE_DATE = '20240101T000000Z';
const LOCAL_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20240101/local/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0';

interface WriteOutput {
  Attributes?: Item;
  ConsumedCapacity?: { CapacityUnits?: number };
}

/**
 * DynamoDB bills transactional items twice (prepare + commit): a transactional write costs 2 WCU per started
 * KB of the larger of the item's old and new image, a transactional read 2 RCU per started 4 KB. The per-item
 * figure (`CapacityUnits` of the single-item call, computed by dynalite with DynamoDB's item-size rules) is
 * doubled. A ConditionCheck is counted as a transactional write of the checked item's size.
 */
export const TRANSACTION_CAPACITY_FACTOR = 2;

class TransactionEngine {
  /**
   * Successful `ClientRequestToken`s → the request's actions, in insertion (= time) order. Compared (by a
   * fingerprint) only when a token comes back, which is rare: fingerprinting every transaction up front cost more
   * than the rest of the emulator's own work.
   */
  private readonly tokens = new Map<string, { items: TransactWriteItem[]; at: number }>();
  /**
   * Key attribute names per table. A table's key schema cannot change; a table deleted and re-created under the
   * same name with other key names would answer its Puts with dynalite's "missing the key" validation instead.
   */
  private readonly keySchemas = new Map<string, Promise<string[]>>();
  private readonly wire: WireClient;

  constructor(transport: Transport) {
    this.wire = new WireClient(transport);
  }

  async transactWrite(input: TransactWriteItemsCommandInput): Promise<Record<string, unknown>> {
    const requested = input.TransactItems;
    if (!Array.isArray(requested)) throw notNull('transactItems');
    if (requested.length < 1 || requested.length > MAX_TRANSACTION_ACTIONS) {
      throw lengthError('transactItems', requested.length);
    }
    const actions = await this.parseWriteActions(requested);
    assertDistinctItems(actions.map((a) => [a.table, a.key]));

    const capacity = wantsCapacity(input.ReturnConsumedCapacity) ? new Map<string, number>() : undefined;

    // Idempotency (DynamoDB: a token is remembered for 10 minutes after a
    // *successful* call; replaying it with the same request succeeds without
    // writing, with a different request fails).
    const token = input.ClientRequestToken;
    if (token !== undefined) {
      this.forgetExpiredTokens();
      const seen = this.tokens.get(token);
      if (seen !== undefined) {
        if (seen.items === requested || stableStringify(seen.items) === stableStringify(requested)) return capacity ? { ConsumedCapacity: [] } : {};
        throw new ServiceError(
          'IdempotentParameterMismatchException',
          'The request uses the same client token as a previous, but non-identical request.',
        );
      }
    }

    await this.execute(actions, capacity);

    if (token !== undefined) this.tokens.set(token, { items: requested, at: Date.now() });
    return capacity ? { ConsumedCapacity: capacityList(capacity, 'WriteCapacityUnits', input.ReturnConsumedCapacity) } : {};
  }

  async transactGet(input: TransactGetItemsCommandInput): Promise<Record<string, unknown>> {
    const requested = input.TransactItems;
    if (!Array.isArray(requested)) throw notNull('transactItems');
    if (requested.length < 1 || requested.length > MAX_TRANSACTION_ACTIONS) {
      throw lengthError('transactItems', requested.length);
    }
    const gets = requested.map((entry, i) => {
      const get = entry.Get;
      if (get === undefined) throw notNull(`transactItems.${i + 1}.member.get`);
      if (get.TableName === undefined) throw notNull(`transactItems.${i + 1}.member.get.tableName`);
      if (get.Key === undefined) throw notNull(`transactItems.${i + 1}.member.get.key`);
      return { ...get, TableName: get.TableName, Key: get.Key };
    });
    assertDistinctItems(gets.map((g) => [g.TableName, g.Key]));

    const capacity = wantsCapacity(input.ReturnConsumedCapacity) ? new Map<string, number>() : undefined;
    // Under the read lock nothing writes: the items are read together, one consistent snapshot.
    const outputs = await Promise.all(
      gets.map((get) =>
        this.wire.call<{ Item?: Item; ConsumedCapacity?: { CapacityUnits?: number } }>('GetItem', {
          TableName: get.TableName,
          Key: get.Key,
          ConsistentRead: true,
          ProjectionExpression: get.ProjectionExpression,
          ExpressionAttributeNames: get.ExpressionAttributeNames,
          ...(capacity ? { ReturnConsumedCapacity: 'TOTAL' } : {}),
        }),
      ),
    );
    const responses = outputs.map(({ Item }) => (Item === undefined ? {} : { Item }));
    outputs.forEach((o, i) => addUnits(capacity, gets[i]?.TableName ?? '', o.ConsumedCapacity?.CapacityUnits));
    const output: Record<string, unknown> = { Responses: responses };
    if (capacity) output.ConsumedCapacity = capacityList(capacity, 'ReadCapacityUnits', input.ReturnConsumedCapacity);
    return output;
  }

  /**
   * Applies every action at once — the items are distinct, and the write lock keeps every other command of
   * `client` out, so the order of application is unobservable — each with its condition, capturing its old image
   * (`ReturnValues: ALL_OLD`). If all succeed, done. Otherwise the outcome is what applying them in order would
   * give: the lowest-indexed action that did not succeed decides — a non-condition error is rethrown; a failed
   * condition cancels the transaction, reporting every action whose condition fails (DynamoDB evaluates them
   * all). Either way every applied action is restored from its old image first.
   */
  private async execute(actions: Action[], capacity: Map<string, number> | undefined): Promise<void> {
    const settled = await Promise.allSettled(actions.map((action) => this.apply(action, capacity !== undefined)));
    const applied: Applied[] = [];
    let firstError: { index: number; error: unknown } | undefined;
    let firstFailed: number | undefined;
    settled.forEach((result, index) => {
      if (result.status === 'rejected') {
        firstError ??= { index, error: result.reason };
        return;
      }
      if (result.value.ok) applied.push(result.value);
      else firstFailed ??= index;
    });
    if (firstError === undefined && firstFailed === undefined) {
      for (const a of applied) addUnits(capacity, a.action.table, a.units * TRANSACTION_CAPACITY_FACTOR);
      return;
    }
    try {
      if (firstError !== undefined && (firstFailed === undefined || firstError.index < firstFailed)) throw firstError.error;
      const failedAt = firstFailed as number;
      const reasons: CancellationReason[] = actions.map(() => ({ Code: 'None' }));
      for (const [index, result] of settled.entries()) {
        const action = actions[index] as Action;
        if (index < failedAt || action.condition === undefined) continue;
        if (result.status === 'fulfilled') {
          if (!result.value.ok) reasons[index] = conditionFailure(action, result.value.before);
        } else {
          // Its write failed for another reason: evaluate its condition alone, as DynamoDB would have.
          const before = await this.snapshot(action);
          if (!(await this.conditionHolds(action, before))) reasons[index] = conditionFailure(action, before);
        }
      }
      await this.rollback(applied);
      const codes = reasons.map((r) => r.Code).join(', ');
      throw new ServiceError(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
        { CancellationReasons: reasons },
      );
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      try {
        await this.rollback(applied);
      } catch (rollbackError) {
        throw new Error(
          `scimlink local transactions: rollback failed after an error; the local store may hold a partially applied transaction (${describe(rollbackError)})`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Consistent read of the action's item as it is now. */
  private async snapshot(action: Action): Promise<Item | undefined> {
    const { Item } = await this.wire.call<{ Item?: Item }>('GetItem', { TableName: action.table, Key: action.key, ConsistentRead: true });
    return Item;
  }

  /**
   * Applies one action with its condition, returning the item's image before it (for a rollback, and for
   * `ReturnValuesOnConditionCheckFailure`); `ok` false when the condition failed (nothing was written).
   */
  private async apply(action: Action, measure: boolean): Promise<Applied> {
    const extra = {
      ConditionExpression: action.condition,
      ExpressionAttributeNames: action.names,
      ExpressionAttributeValues: action.values,
      ReturnValues: 'ALL_OLD',
      ...(measure ? { ReturnConsumedCapacity: 'TOTAL' } : {}),
    };
    if (action.kind === 'ConditionCheck') {
      const before = await this.snapshot(action);
      const units = await this.conditionHolds(action, before, measure);
      return { action, ok: units !== false, before, units: units === false ? 0 : units };
    }
    try {
      let out: WriteOutput;
      switch (action.kind) {
        case 'Put':
          out = await this.wire.call<WriteOutput>('PutItem', { TableName: action.table, Item: action.item, ...extra });
          break;
        case 'Update':
          out = await this.wire.call<WriteOutput>('UpdateItem', {
            TableName: action.table,
            Key: action.key,
            UpdateExpression: action.updateExpression,
            ...extra,
          });
          break;
        case 'Delete':
          out = await this.wire.call<WriteOutput>('DeleteItem', { TableName: action.table, Key: action.key, ...extra });
          break;
      }
      return { action, ok: true, before: out.Attributes, units: out.ConsumedCapacity?.CapacityUnits ?? 0 };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // Nothing was written; the image is only needed to report it (ReturnValuesOnConditionCheckFailure).
      return { action, ok: false, before: action.returnOldOnFailure ? await this.snapshot(action) : undefined, units: 0 };
    }
  }

  /**
   * Evaluates the action's condition against the item's current image by
   * rewriting that image (or creating just the key when absent) conditionally,
   * then undoing the probe. dynalite evaluates the expression with its own
   * condition engine, so the result is exactly what a real conditional write
   * would see. For Put/Update/Delete, placeholders used only by the update
   * expression are dropped (dynalite, like DynamoDB, rejects unused ones).
   * Returns false when the condition fails, else the probe's capacity units (0 unless `measure`).
   */
  private async conditionHolds(action: Action, before: Item | undefined, measure = false): Promise<number | false> {
    if (action.condition === undefined) return 0;
    const scoped = action.kind === 'ConditionCheck' ? undefined : action.condition;
    let out: WriteOutput;
    try {
      out = await this.wire.call<WriteOutput>('PutItem', {
        TableName: action.table,
        Item: before ?? action.key,
        ConditionExpression: action.condition,
        ExpressionAttributeNames: usedPlaceholders(action.names, scoped, '#'),
        ExpressionAttributeValues: usedPlaceholders(action.values, scoped, ':'),
        ...(measure ? { ReturnConsumedCapacity: 'TOTAL' } : {}),
      });
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
    if (before === undefined) {
      await this.wire.call('DeleteItem', { TableName: action.table, Key: action.key });
    }
    return out.ConsumedCapacity?.CapacityUnits ?? 0;
  }

  /** Restores the pre-transaction image of every applied action, newest first. */
  private async rollback(applied: Applied[]): Promise<void> {
    for (const { action, before } of [...applied].reverse()) {
      if (action.kind === 'ConditionCheck') continue; // the probe already restored it
      if (before === undefined) {
        await this.wire.call('DeleteItem', { TableName: action.table, Key: action.key });
      } else {
        await this.wire.call('PutItem', { TableName: action.table, Item: before });
      }
    }
  }

  /** Normalizes and validates the request's actions (no writes happen here). */
  private async parseWriteActions(requested: TransactWriteItem[]): Promise<Action[]> {
    const actions: Action[] = [];
    for (const [index, entry] of requested.entries()) {
      const member = `transactItems.${index + 1}.member`;
      const present = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).filter((k) => entry[k] != null);
      const kind = present[0];
      if (present.length !== 1 || kind === undefined) {
        throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
      }
      const common = (op: {
        TableName?: string;
        ConditionExpression?: string;
        ExpressionAttributeNames?: Names;
        ExpressionAttributeValues?: Values;
        ReturnValuesOnConditionCheckFailure?: string;
      }) => {
        if (op.TableName === undefined) throw notNull(`${member}.${lowerFirst(kind)}.tableName`);
        return {
          index,
          kind,
          table: op.TableName,
          condition: op.ConditionExpression,
          names: op.ExpressionAttributeNames,
          values: op.ExpressionAttributeValues,
          returnOldOnFailure: op.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
        };
      };
      if (kind === 'Put') {
        const put = entry.Put!;
        if (put.Item === undefined) throw notNull(`${member}.put.item`);
        const base = common(put);
        const schema = await this.keyAttributes(base.table);
        const key: Item = {};
        for (const name of schema) {
          const value = put.Item[name];
          if (value === undefined) {
            throw validation(`One or more parameter values were invalid: Missing the key ${name} in the item`);
          }
          key[name] = value;
        }
        actions.push({ ...base, key, item: put.Item });
        continue;
      }
      const op = entry[kind]!;
      if (op.Key === undefined) throw notNull(`${member}.${lowerFirst(kind)}.key`);
      const base = { ...common(op), key: op.Key };
      if (kind === 'Update') {
        const update = entry.Update!;
        if (update.UpdateExpression === undefined) throw notNull(`${member}.update.updateExpression`);
        actions.push({ ...base, updateExpression: update.UpdateExpression });
      } else if (kind === 'ConditionCheck') {
        if (base.condition === undefined) throw notNull(`${member}.conditionCheck.conditionExpression`);
        actions.push(base);
      } else {
        actions.push(base);
      }
    }
    return actions;
  }

  private keyAttributes(table: string): Promise<string[]> {
    let schema = this.keySchemas.get(table);
    if (schema === undefined) {
      schema = this.wire
        .call<{ Table?: { KeySchema?: Array<{ AttributeName?: string }> } }>('DescribeTable', { TableName: table })
        .then(({ Table }) => (Table?.KeySchema ?? []).flatMap((k) => (k.AttributeName === undefined ? [] : [k.AttributeName])));
      this.keySchemas.set(table, schema);
      // A table that does not exist (yet) is asked again next time.
      schema.catch(() => this.keySchemas.delete(table));
    }
    return schema;
  }

  private forgetExpiredTokens(): void {
    const cutoff = Date.now() - IDEMPOTENCY_WINDOW_MS;
    for (const [token, { at }] of this.tokens) {
      if (at >= cutoff) break;
      this.tokens.delete(token);
    }
  }
}

function addUnits(capacity: Map<string, number> | undefined, table: string, units: number | undefined): void {
  if (capacity === undefined) return;
  capacity.set(table, (capacity.get(table) ?? 0) + (units ?? 0));
}

/** DynamoDB's `ConsumedCapacity` list of a transaction: one entry per table, in the order first touched. */
function capacityList(capacity: Map<string, number>, kind: 'ReadCapacityUnits' | 'WriteCapacityUnits', mode: string | undefined) {
  return [...capacity].map(([TableName, units]) => ({
    TableName,
    CapacityUnits: units,
    [kind]: units,
    ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units, [kind]: units } } : {}),
  }));
}

// ---------------------------------------------------------------------------
// Helpers.

function conditionFailure(action: Action, before: Item | undefined): CancellationReason {
  return {
    Code: 'ConditionalCheckFailed',
    Message: 'The conditional request failed',
    ...(action.returnOldOnFailure && before !== undefined ? { Item: before } : {}),
  };
}

/** DynamoDB: "Transaction request cannot include multiple operations on one item". */
function assertDistinctItems(targets: Array<[table: string, key: Item]>): void {
  const seen = new Set<string>();
  for (const [table, key] of targets) {
    const identity = JSON.stringify([
      table,
      ...Object.keys(key)
        .sort()
        .map((name) => [name, canonicalKeyValue(key[name])]),
    ]);
    if (seen.has(identity)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
  }
}

/** Key attributes are S, N or B; numbers compare by value ("1" = "1.0" = "10e-1"). */
function canonicalKeyValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if (value.S !== undefined) return `S:${value.S}`;
  if (value.N !== undefined) return `N:${canonicalNumber(value.N)}`;
  if (value.B !== undefined) return `B:${Buffer.from(value.B).toString('base64')}`;
  return `?:${stableStringify(value)}`;
}

function canonicalNumber(text: string): string {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (match === null) return text;
  const [, sign = '', int = '', frac = '', exp = '0'] = match;
  let digits = (int + frac).replace(/^0+/, '');
  let exponent = Number(exp) - frac.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent += 1;
  }
  return `${sign === '-' ? '-' : ''}${digits}e${exponent}`;
}

/**
 * The subset of `map` whose placeholders (`#name` / `:value`) occur in
 * `expression`; the whole map when `expression` is undefined.
 */
function usedPlaceholders<T>(
  map: Record<string, T> | undefined,
  expression: string | undefined,
  sigil: '#' | ':',
): Record<string, T> | undefined {
  if (map === undefined || expression === undefined) return map;
  const used = new Set(expression.match(sigil === '#' ? /#[A-Za-z0-9_]+/g : /:[A-Za-z0-9_]+/g) ?? []);
  const subset = Object.fromEntries(Object.entries(map).filter(([k]) => used.has(k)));
  return Object.keys(subset).length === 0 ? undefined : subset;
}

/** Deterministic JSON (sorted keys, binary as base64) for fingerprints and identities. */
function stableStringify(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify({ $b: Buffer.from(value).toString('base64') });
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** JSON in DynamoDB's wire form: binary attribute values (Uint8Array) as base64 strings. */
function wireJson(body: Record<string, unknown>): Uint8Array {
  // The replacer (a call per key, from native code) only when there is binary to encode: items rarely carry any.
  const json = hasBinary(body)
    ? JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
        const original = this[key]; // before Buffer#toJSON
        return original instanceof Uint8Array ? Buffer.from(original).toString('base64') : value;
      })
    : JSON.stringify(body);
  const bytes = Buffer.from(json, 'utf8');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hasBinary(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (value === null || typeof value !== 'object') return false;
  for (const key in value) if (hasBinary((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * A response in DynamoDB's JSON 1.0 wire format, shaped like smithy's
 * `HttpResponse` (which is checked structurally). Binary attribute values are
 * base64-encoded, as on the wire.
 */
function wireResponse(statusCode: number, body: Record<string, unknown>) {
  const bytes = wireJson(body);
  return {
    statusCode,
    reason: statusCode === 200 ? 'OK' : statusCode < 500 ? 'Bad Request' : 'Internal Server Error',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(bytes.length),
      'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase(),
    },
    body: bytes,
  };
}
