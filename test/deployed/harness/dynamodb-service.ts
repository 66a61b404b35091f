/**
 * DynamoDB for the deployed functions: the project's own local layer (local/dynamo: dynalite plus the
 * transaction emulation and the stream hook) behind DynamoDB's JSON wire protocol. Each request is replayed as
 * the SDK command of the same name on the embedded client, so it meets exactly the code `npm start` runs on.
 *
 * The IAM side follows the DynamoDB authorisation reference: a transaction is authorised item by item as
 * PutItem / UpdateItem / DeleteItem / ConditionCheckItem (TransactWriteItems has no action of its own), batch
 * calls once per table, Query/Scan on an index against the index ARN; condition keys `dynamodb:LeadingKeys`
 * (partition key values), `dynamodb:Attributes` (attribute names the request names), `dynamodb:ReturnValues`
 * and `dynamodb:Select`.
 */
import * as ddb from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EmbeddedDynamo } from '../../../local/dynamo/embedded';
import { AwsCall, AwsError, JsonService } from './aws-endpoint';
import { ACCOUNT, PARTITION, REGION } from './template';

/* eslint-disable @typescript-eslint/no-explicit-any -- wire shapes */
type Input = Record<string, any>;
type Key = Record<string, AttributeValue>;

const EXPRESSION_WORDS = new Set([
  'SET', 'REMOVE', 'ADD', 'DELETE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN',
  'attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size', 'if_not_exists', 'list_append',
].map((w) => w.toLowerCase()));

export function tableArn(name: string): string {
  return `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
}

export class DynamoDbService implements JsonService {
  readonly targetPrefix = 'DynamoDB_20120810';
  readonly errorTypePrefix = 'com.amazonaws.dynamodb.v20120810#';
  private readonly hashKeys = new Map<string, Promise<string[]>>();

  constructor(private readonly dynamo: EmbeddedDynamo) {}

  async calls(op: string, i: Input, role: string): Promise<AwsCall[]> {
    const call = async (action: string, table: string, keyOrItem: Key[] | undefined, extra: Record<string, string | string[]> = {}, index?: string): Promise<AwsCall> => {
      const [hash, ...rest] = await this.keyNames(table);
      const context: Record<string, string | string[]> = { ...extra };
      if (keyOrItem) context['dynamodb:LeadingKeys'] = [...new Set(keyOrItem.map((k) => scalar(k[hash as string])))];
      return { role, action: `dynamodb:${action}`, resource: index ? `${tableArn(table)}/index/${index}` : tableArn(table), context };
    };
    type Context = Record<string, string | string[]>;
    const named = (x: Input, keys: string[] = []): Context => {
      const names = attributeNames([x.UpdateExpression, x.ConditionExpression, x.ProjectionExpression, x.FilterExpression], x.ExpressionAttributeNames);
      return names.length > 0 ? { 'dynamodb:Attributes': [...new Set([...keys, ...names])] } : {};
    };
    const returns = (x: Input): Context => (x.ReturnValues ? { 'dynamodb:ReturnValues': x.ReturnValues as string } : {});
    switch (op) {
      case 'GetItem':
      case 'DeleteItem':
      case 'UpdateItem':
        return [await call(op, i.TableName, [i.Key], { ...named(i, await this.keyNames(i.TableName)), ...returns(i) })];
      case 'PutItem':
        return [await call(op, i.TableName, [i.Item], { 'dynamodb:Attributes': Object.keys(i.Item ?? {}), ...returns(i) })];
      case 'Query': {
        const pk = await this.partitionValue(i);
        return [await call(op, i.TableName, pk ? [pk] : undefined, { ...named(i), ...(i.Select ? { 'dynamodb:Select': String(i.Select) } : {}) }, i.IndexName)];
      }
      case 'Scan':
        return [await call(op, i.TableName, undefined, { ...named(i), ...(i.Select ? { 'dynamodb:Select': String(i.Select) } : {}) }, i.IndexName)];
      case 'BatchGetItem':
        return Promise.all(Object.entries(i.RequestItems ?? {}).map(([t, r]: [string, any]) => call(op, t, r.Keys, named(r))));
      case 'BatchWriteItem':
        return Promise.all(
          Object.entries(i.RequestItems ?? {}).map(([t, reqs]: [string, any]) =>
            call(op, t, (reqs as Input[]).map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key)),
          ),
        );
      case 'TransactWriteItems':
        return Promise.all(
          (i.TransactItems as Input[]).map((t) => {
            if (t.Put) return call('PutItem', t.Put.TableName, [t.Put.Item], { 'dynamodb:Attributes': Object.keys(t.Put.Item ?? {}) });
            if (t.Update) return call('UpdateItem', t.Update.TableName, [t.Update.Key], named(t.Update));
            if (t.Delete) return call('DeleteItem', t.Delete.TableName, [t.Delete.Key], named(t.Delete));
            return call('ConditionCheckItem', t.ConditionCheck.TableName, [t.ConditionCheck.Key], named(t.ConditionCheck));
          }),
        );
      case 'TransactGetItems':
        return Promise.all((i.TransactItems as Input[]).map((t) => call('GetItem', t.Get.TableName, [t.Get.Key], named(t.Get))));
      default:
        // Table management and anything else: authorised as the action of the same name on the table.
        return [await call(op, i.TableName ?? '*', undefined)];
    }
  }

  async serve(op: string, input: Input): Promise<unknown> {
    const Command = (ddb as unknown as Record<string, new (i: Input) => ddb.DynamoDBClient['send'] extends (c: infer C) => unknown ? C : never>)[`${op}Command`];
    if (!Command) throw new AwsError('UnknownOperationException', `test harness: DynamoDB ${op} is not emulated`);
    try {
      const out = (await this.dynamo.client.send(new Command(input) as never)) as Input;
      const { $metadata: _metadata, ...rest } = out;
      return rest;
    } catch (e) {
      const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; CancellationReasons?: unknown; Item?: unknown };
      if (!err.$metadata) throw e;
      throw new AwsError(err.name ?? 'InternalServerError', err.message ?? '', err.$metadata.httpStatusCode ?? 400, {
        ...(err.CancellationReasons ? { CancellationReasons: err.CancellationReasons } : {}),
        ...(err.Item ? { Item: err.Item } : {}),
      });
    }
  }

  /** [hash, range?] key attribute names of `table`. */
  keyNames(table: string): Promise<string[]> {
    let names = this.hashKeys.get(table);
    if (!names) {
      names = this.dynamo.client
        .send(new ddb.DescribeTableCommand({ TableName: table }))
        .then((d) => ['HASH', 'RANGE'].flatMap((type) => (d.Table?.KeySchema ?? []).filter((k) => k.KeyType === type).map((k) => k.AttributeName ?? '')))
        .catch(() => {
          throw new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${table} not found`);
        });
      this.hashKeys.set(table, names);
    }
    return names;
  }

  /** The partition key value a Query's KeyConditionExpression fixes (`pk = :v` / `#n = :v`). */
  private async partitionValue(i: Input): Promise<Key | undefined> {
    const [hash] = await this.keyNames(i.TableName);
    const names = (i.ExpressionAttributeNames ?? {}) as Record<string, string>;
    for (const m of String(i.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
      const name = m[1]?.startsWith('#') ? names[m[1]] : m[1];
      if (name === hash && i.IndexName === undefined) return { [hash as string]: i.ExpressionAttributeValues?.[m[2] as string] };
    }
    return undefined;
  }
}

function scalar(v: AttributeValue | undefined): string {
  if (!v) return '';
  return (v.S ?? v.N ?? (v.B ? Buffer.from(v.B as unknown as string, 'base64').toString('base64') : '')) as string;
}

/** Top-level attribute names an expression refers to (placeholders resolved). */
export function attributeNames(expressions: Array<string | undefined>, placeholders: Record<string, string> = {}): string[] {
  const names = new Set<string>();
  for (const e of expressions) {
    if (!e) continue;
    // A path's first element: an identifier or #placeholder not preceded by '.', ':' or another name character.
    for (const m of e.matchAll(/(?<![.:#\w])(#?[A-Za-z_][\w-]*)/g)) {
      const token = m[1] as string;
      const after = e.slice((m.index ?? 0) + token.length).trimStart();
      if (!token.startsWith('#') && (EXPRESSION_WORDS.has(token.toLowerCase()) || after.startsWith('('))) continue;
      names.add(token.startsWith('#') ? (placeholders[token] ?? token) : token);
    }
  }
  return [...names];
}
