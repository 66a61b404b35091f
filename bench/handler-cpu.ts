/**
 * Our own CPU per SCIM request: each handler invoked in-process, exactly as Lambda calls it, with the
 * DynamoDB document client's `send` mocked to answer instantly from a small in-memory table, and the
 * token hash in memory. Everything measured is scimlink's: event parsing, middy, auth (SHA-256 + comparison),
 * filter parsing, validation, PATCH, rendering, JSON. Not the AWS SDK's per-call work (the mock replaces `send`),
 * which `sdkCallUs` reports separately.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { FileTokenHashStore } from '../local/file-token-hash-store';
import { generateToken, hashToken } from '../lambdas/auth/tokens';
import { buildScimDeps, documentClient, setScimDeps } from '../lambdas/runtime/deps';
import { newUserItems } from '../lambdas/store/dynamo-user-store';
import { COUNT_SK_PREFIX, EXTID_SK_PREFIX, USER_SK_PREFIX, accountPk } from '../lambdas/store/keys';
import { parseUser } from '../lambdas/scim/validate';
import { handler as usersCreate } from '../lambdas/users-create';
import { handler as usersDelete } from '../lambdas/users-delete';
import { handler as usersGet } from '../lambdas/users-get';
import { handler as usersList } from '../lambdas/users-list';
import { handler as usersPatch } from '../lambdas/users-patch';
import { handler as usersReplace } from '../lambdas/users-replace';
import { handler as serviceProviderConfig } from '../lambdas/service-provider-config';
import { lambdaContext, scimEvent } from './lib/events';
import { median, round } from './lib/stats';
import { entraDisablePatch, entraMultiPatch, userBody } from './lib/users';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const ACCOUNT = 'benchacct';
const TENANT_KEY = 'tk-bench_0123456789';
const TENANT = `${ACCOUNT}.${TENANT_KEY}`;

export interface HandlerCpuResult {
  /**
   * Operation → median µs of one invocation: CPU time (user + system, of this process), which other load on the
   * machine barely changes; and wall-clock time beside it (equal on an idle machine, inflated by preemption on a
   * busy one).
   */
  ops: Record<string, { usMedian: number; usMedianWall: number; status: number }>;
  /** What one mocked `send` costs by itself (included in the figures above, once per DynamoDB call). */
  mockSendUs: number;
  /** What one real SDK call costs in CPU (DynamoDBDocumentClient GetCommand, HTTP answered instantly): not ours. */
  sdkCallUs: number;
  iterations: number;
}

export async function measureHandlerCpu(opts: { iterations: number }): Promise<HandlerCpuResult> {
  const token = generateToken();
  const at = '2024-01-01T00:00:00.000Z';
  // A small in-memory table: the integration item, 100 users with their sentinels and externalId items.
  const items = new Map<string, Record<string, unknown>>();
  const put = (item: Record<string, unknown>) => items.set(`${String(item.pk)}|${String(item.sk)}`, item);
  put({ pk: accountPk(ACCOUNT), sk: 'INTEGRATION', kind: 'integration', addedAt: at, tenantKey: TENANT_KEY, lastRequestAt: at });
  put({ pk: accountPk(ACCOUNT), sk: `${COUNT_SK_PREFIX}0`, count: 100 });
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    ids.push(id);
    const { data } = parseUser(userBody('cpu', 0, i));
    for (const item of newUserItems({ id, accountId: ACCOUNT, data, meta: { resourceType: 'User', created: at, lastModified: at, version: 1 } })) put(item);
  }
  const queryCache = new Map<string, Record<string, unknown>[]>();
  const answer = (command: unknown): unknown => {
    if (command instanceof GetCommand) return { Item: items.get(`${String(command.input.Key?.pk)}|${String(command.input.Key?.sk)}`) };
    if (command instanceof BatchGetCommand) {
      const Responses: Record<string, Record<string, unknown>[]> = {};
      for (const [table, request] of Object.entries(command.input.RequestItems ?? {})) {
        const found: Record<string, unknown>[] = [];
        for (const k of request.Keys ?? []) {
          const item = items.get(`${String(k.pk)}|${String(k.sk)}`);
          if (item) found.push(item);
        }
        Responses[table] = found;
      }
      return { Responses };
    }
    if (command instanceof QueryCommand) {
      const values = command.input.ExpressionAttributeValues ?? {};
      const pk = String(values[':pk']);
      const prefix = String(values[':prefix'] ?? '');
      const key = `${pk}|${prefix}`;
      let found = queryCache.get(key);
      if (!found) {
        found = [...items.values()].filter((i) => i.pk === pk && String(i.sk).startsWith(prefix)).sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
        queryCache.set(key, found);
      }
      return { Items: command.input.Limit ? found.slice(0, command.input.Limit) : found };
    }
    if (command instanceof TransactWriteCommand || command instanceof UpdateCommand) return {};
    throw new Error(`unexpected command ${(command as object).constructor.name}`);
  };
  const doc = documentClient(new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
  // The mock: `send` answers at once from the table above. (aws-sdk-client-mock does the same through sinon,
  // which costs ~30 µs per call by itself: more than some operations' own work.)
  doc.send = (async (command: unknown) => answer(command)) as typeof doc.send;
  const tokenHashes = new FileTokenHashStore(); // no file: in memory
  await tokenHashes.put(ACCOUNT, { tenantKey: TENANT_KEY, hash: hashToken(token) });
  setScimDeps(
    buildScimDeps({
      doc,
      tableName: 'bench',
      tokenHashes,
      logger: new Logger({ serviceName: 'scimlink-bench', logLevel: 'SILENT' }),
    }),
  );
  const id = ids[7] ?? '';
  const ev = (method: string, resource: string, extra: { id?: string; query?: Record<string, string>; body?: unknown } = {}) =>
    scimEvent({ method, tenant: TENANT, token, resource, ...extra });
  const filter = (f: string) => ({ filter: f });
  const cases: Array<[string, Handler, APIGatewayProxyEvent]> = [
    ['probe (userName eq <guid>)', usersList, ev('GET', '/Users', { query: filter('userName eq "6f1d5b0e-4f8e-4a57-9d1c-2a1c5b7e8f90"') })],
    ['GET /Users/{id}', usersGet, ev('GET', '/Users/{id}', { id })],
    ['filter userName eq', usersList, ev('GET', '/Users', { query: filter('userName eq "cpu7@contoso.com"') })],
    ['filter externalId eq', usersList, ev('GET', '/Users', { query: filter('externalId eq "cpu-oid-7"') })],
    ['filter emails[type eq "work"].value eq', usersList, ev('GET', '/Users', { query: filter('emails[type eq "work"].value eq "cpu7@contoso.com"') })],
    ['POST /Users', usersCreate, ev('POST', '/Users', { body: userBody('cpunew', 1, 1) })],
    ['PATCH (multi-attribute replace)', usersPatch, ev('PATCH', '/Users/{id}', { id, body: entraMultiPatch('cpu', 7) })],
    ['PATCH disable', usersPatch, ev('PATCH', '/Users/{id}', { id, body: entraDisablePatch() })],
    ['PUT /Users/{id}', usersReplace, ev('PUT', '/Users/{id}', { id, body: userBody('cpu', 0, 1007) })],
    ['DELETE /Users/{id}', usersDelete, ev('DELETE', '/Users/{id}', { id })],
    ['GET /Users (page of 100)', usersList, ev('GET', '/Users', { query: { count: '100' } })],
    ['GET /ServiceProviderConfig', serviceProviderConfig, ev('GET', '/ServiceProviderConfig')],
  ];

  const ops: HandlerCpuResult['ops'] = {};
  try {
    for (const [name, handler, event] of cases) {
      // Lambda hands every invocation a fresh event; middy and the handler may annotate it.
      const fresh = () => ({ ...event, headers: { ...event.headers } });
      let status = 0;
      for (let i = 0; i < Math.max(200, opts.iterations / 5); i++) status = (await handler(fresh(), lambdaContext)).statusCode;
      const samples: number[] = [];
      const wallSamples: number[] = [];
      for (let i = 0; i < opts.iterations; i++) {
        const e = fresh();
        const c = process.cpuUsage();
        const t = process.hrtime.bigint();
        await handler(e, lambdaContext);
        const wall = Number(process.hrtime.bigint() - t) / 1e3;
        const cpu = process.cpuUsage(c);
        samples.push(cpu.user + cpu.system);
        wallSamples.push(wall);
      }
      ops[name] = { usMedian: round(median(samples), 1), usMedianWall: round(median(wallSamples), 1), status };
    }
    // The mock's own cost per call, for reference.
    const mockSamples: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = process.hrtime.bigint();
      await doc.send(new GetCommand({ TableName: 'bench', Key: { pk: accountPk(ACCOUNT), sk: 'INTEGRATION' }, ConsistentRead: true }));
      mockSamples.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
    return { ops, mockSendUs: round(median(mockSamples), 1), sdkCallUs: await sdkCallUs(), iterations: opts.iterations };
  } finally {
    setScimDeps(undefined);
  }
}

/** CPU of one real SDK call (marshalling, middleware stack, SigV4, parsing) with an HTTP handler that answers at once. */
async function sdkCallUs(): Promise<number> {
  const payload = Buffer.from(JSON.stringify({ Item: { pk: { S: 'ACCOUNT#a' }, sk: { S: 'INTEGRATION' }, tenantKey: { S: 'k'.repeat(22) } } }));
  const requestHandler = {
    handle: async () => ({
      response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' }, body: new Uint8Array(payload) },
    }),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const client = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, requestHandler });
  const doc = documentClient(client);
  const samples: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = process.hrtime.bigint();
    await doc.send(new GetCommand({ TableName: 'bench', Key: { pk: 'ACCOUNT#a', sk: 'INTEGRATION' }, ConsistentRead: true }));
    if (i >= 1000) samples.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  client.destroy();
  return round(median(samples), 1);
}

if (require.main === module) {
  void measureHandlerCpu({ iterations: Number(process.argv[2] ?? 2000) }).then((r) => console.log(r));
}
