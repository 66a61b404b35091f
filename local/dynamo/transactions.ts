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
 * The write transaction runs over `raw`, a second client to the same dynalite
 * without these middlewares (so the emulator never waits on the lock it runs
 * under). Algorithm, under the write lock:
 * - validate like DynamoDB (1–100 actions, exactly one of
 *   Put/Update/Delete/ConditionCheck per action, no two actions on one item,
 *   required members present, Put items carry the table's key);
 * - for each action in order: snapshot the item (consistent `GetItem`), then
 *   apply it with its `ConditionExpression` (`PutItem`/`UpdateItem`/`DeleteItem`);
 *   a `ConditionCheck` is evaluated by a conditional `PutItem` of the item's
 *   current image (or of just its key when absent), after which the snapshot is
 *   restored;
 * - on the first failed condition, evaluate the conditions of the remaining
 *   actions the same way without applying them (DynamoDB reports every failing
 *   condition), roll back the applied actions in reverse order by restoring
 *   their snapshots, and fail with `TransactionCanceledException` carrying one
 *   `CancellationReason` per action;
 * - on any other error: roll back, rethrow the error.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
 */
import {
  type AttributeValue,
  type CancellationReason,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type TransactGetItemsCommandInput,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
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
  const engine = new TransactionEngine(raw);

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
// The engine: DynamoDB transaction semantics over single-item calls on `raw`.

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

class TransactionEngine {
  /** Successful `ClientRequestToken`s → request fingerprint, in insertion (= time) order. */
  private readonly tokens = new Map<string, { fingerprint: string; at: number }>();

  constructor(private readonly raw: DynamoDBClient) {}

  async transactWrite(input: TransactWriteItemsCommandInput): Promise<Record<string, unknown>> {
    const requested = input.TransactItems;
    if (!Array.isArray(requested)) throw notNull('transactItems');
    if (requested.length < 1 || requested.length > MAX_TRANSACTION_ACTIONS) {
      throw lengthError('transactItems', requested.length);
    }
    const actions = await this.parseWriteActions(requested);
    assertDistinctItems(actions.map((a) => [a.table, a.key]));

    const success: Record<string, unknown> = {};
    if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') {
      success.ConsumedCapacity = [];
    }

    // Idempotency (DynamoDB: a token is remembered for 10 minutes after a
    // *successful* call; replaying it with the same request succeeds without
    // writing, with a different request fails).
    const token = input.ClientRequestToken;
    const fingerprint = token === undefined ? '' : stableStringify(input.TransactItems);
    if (token !== undefined) {
      this.forgetExpiredTokens();
      const seen = this.tokens.get(token);
      if (seen !== undefined) {
        if (seen.fingerprint === fingerprint) return success;
        throw new ServiceError(
          'IdempotentParameterMismatchException',
          'The request uses the same client token as a previous, but non-identical request.',
        );
      }
    }

    await this.execute(actions);

    if (token !== undefined) this.tokens.set(token, { fingerprint, at: Date.now() });
    return success;
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

    const responses: Array<{ Item?: Item }> = [];
    for (const get of gets) {
      const { Item } = await this.raw.send(
        new GetItemCommand({
          TableName: get.TableName,
          Key: get.Key,
          ConsistentRead: true,
          ProjectionExpression: get.ProjectionExpression,
          ExpressionAttributeNames: get.ExpressionAttributeNames,
        }),
      );
      responses.push(Item === undefined ? {} : { Item });
    }
    const output: Record<string, unknown> = { Responses: responses };
    if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') {
      output.ConsumedCapacity = [];
    }
    return output;
  }

  /** Applies the actions in order; on failure restores every applied one and throws. */
  private async execute(actions: Action[]): Promise<void> {
    const applied: Array<{ action: Action; before: Item | undefined }> = [];
    let failed: { action: Action; before: Item | undefined } | undefined;
    try {
      for (const action of actions) {
        const before = await this.snapshot(action);
        if (await this.apply(action, before)) {
          applied.push({ action, before });
        } else {
          failed = { action, before };
          break;
        }
      }
      if (failed === undefined) return;

      const reasons: CancellationReason[] = actions.map(() => ({ Code: 'None' }));
      reasons[failed.action.index] = conditionFailure(failed.action, failed.before);
      // DynamoDB evaluates every action's condition and reports each that fails.
      // Items are distinct, so the remaining items are still in their
      // pre-transaction state: evaluate their conditions without applying.
      for (const action of actions.slice(failed.action.index + 1)) {
        if (action.condition === undefined) continue;
        const before = await this.snapshot(action);
        if (!(await this.conditionHolds(action, before))) reasons[action.index] = conditionFailure(action, before);
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
    const { Item } = await this.raw.send(
      new GetItemCommand({ TableName: action.table, Key: action.key, ConsistentRead: true }),
    );
    return Item;
  }

  /** Applies one action with its condition; `false` when the condition failed. */
  private async apply(action: Action, before: Item | undefined): Promise<boolean> {
    const conditional = {
      ConditionExpression: action.condition,
      ExpressionAttributeNames: action.names,
      ExpressionAttributeValues: action.values,
    };
    try {
      switch (action.kind) {
        case 'Put':
          await this.raw.send(new PutItemCommand({ TableName: action.table, Item: action.item, ...conditional }));
          return true;
        case 'Update':
          await this.raw.send(
            new UpdateItemCommand({
              TableName: action.table,
              Key: action.key,
              UpdateExpression: action.updateExpression,
              ...conditional,
            }),
          );
          return true;
        case 'Delete':
          await this.raw.send(new DeleteItemCommand({ TableName: action.table, Key: action.key, ...conditional }));
          return true;
        case 'ConditionCheck':
          return await this.conditionHolds(action, before);
      }
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Evaluates the action's condition against the item's current image by
   * rewriting that image (or creating just the key when absent) conditionally,
   * then undoing the probe. dynalite evaluates the expression with its own
   * condition engine, so the result is exactly what a real conditional write
   * would see. For Put/Update/Delete, placeholders used only by the update
   * expression are dropped (dynalite, like DynamoDB, rejects unused ones).
   */
  private async conditionHolds(action: Action, before: Item | undefined): Promise<boolean> {
    if (action.condition === undefined) return true;
    const scoped = action.kind === 'ConditionCheck' ? undefined : action.condition;
    try {
      await this.raw.send(
        new PutItemCommand({
          TableName: action.table,
          Item: before ?? action.key,
          ConditionExpression: action.condition,
          ExpressionAttributeNames: usedPlaceholders(action.names, scoped, '#'),
          ExpressionAttributeValues: usedPlaceholders(action.values, scoped, ':'),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
    if (before === undefined) {
      await this.raw.send(new DeleteItemCommand({ TableName: action.table, Key: action.key }));
    }
    return true;
  }

  /** Restores the pre-transaction image of every applied action, newest first. */
  private async rollback(applied: Array<{ action: Action; before: Item | undefined }>): Promise<void> {
    for (const { action, before } of [...applied].reverse()) {
      if (action.kind === 'ConditionCheck') continue; // the probe already restored it
      if (before === undefined) {
        await this.raw.send(new DeleteItemCommand({ TableName: action.table, Key: action.key }));
      } else {
        await this.raw.send(new PutItemCommand({ TableName: action.table, Item: before }));
      }
    }
  }

  /** Normalizes and validates the request's actions (no writes happen here). */
  private async parseWriteActions(requested: TransactWriteItem[]): Promise<Action[]> {
    const keySchemas = new Map<string, string[]>();
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
        let schema = keySchemas.get(base.table);
        if (schema === undefined) {
          schema = await this.keyAttributes(base.table);
          keySchemas.set(base.table, schema);
        }
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

  private async keyAttributes(table: string): Promise<string[]> {
    const { Table } = await this.raw.send(new DescribeTableCommand({ TableName: table }));
    return (Table?.KeySchema ?? []).flatMap((k) => (k.AttributeName === undefined ? [] : [k.AttributeName]));
  }

  private forgetExpiredTokens(): void {
    const cutoff = Date.now() - IDEMPOTENCY_WINDOW_MS;
    for (const [token, { at }] of this.tokens) {
      if (at >= cutoff) break;
      this.tokens.delete(token);
    }
  }
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

/**
 * A response in DynamoDB's JSON 1.0 wire format, shaped like smithy's
 * `HttpResponse` (which is checked structurally). Binary attribute values are
 * base64-encoded, as on the wire.
 */
function wireResponse(statusCode: number, body: Record<string, unknown>) {
  const json = JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key]; // before Buffer#toJSON
    return original instanceof Uint8Array ? Buffer.from(original).toString('base64') : value;
  });
  const bytes = Buffer.from(json, 'utf8');
  return {
    statusCode,
    reason: statusCode === 200 ? 'OK' : 'Bad Request',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(bytes.length),
      'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase(),
    },
    body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}
