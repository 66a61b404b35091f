import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newUserItems } from '../../lambdas/store/dynamo-user-store';
import { accountPk, countSk } from '../../lambdas/store/keys';
import { parseUser } from '../../lambdas/scim/validate';
import { StoredUser } from '../../lambdas/scim/user';
import { userBody } from './users';

export interface SeededUser {
  id: string;
  userName: string;
}

/**
 * Loads users #from..#to-1 (bench/lib/users.ts bodies, validated as a POST would) straight into a store: the items
 * `DynamoUserStore.create` would write, with BatchWriteItem (25 per call, 4 in flight), then adds them to the
 * account's user count. Seconds for thousands of users, where the same through HTTP would take minutes.
 */
export async function seedUsers(
  doc: DynamoDBDocumentClient,
  tableName: string,
  accountId: string,
  range: { from: number; to: number; prefix?: string },
): Promise<SeededUser[]> {
  const at = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  const seeded: SeededUser[] = [];
  for (let i = range.from; i < range.to; i++) {
    const { data } = parseUser(userBody(range.prefix ?? 'seed', 0, i));
    const user: StoredUser = { id: randomUUID(), accountId, data, meta: { resourceType: 'User', created: at, lastModified: at, version: 1 } };
    items.push(...newUserItems(user));
    seeded.push({ id: user.id, userName: data.userName });
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending = { [tableName]: (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(pending).length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = (out.UnprocessedItems ?? {}) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: accountPk(accountId), sk: countSk(0) },
      UpdateExpression: 'ADD #c :d',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':d': range.to - range.from },
    }),
  );
  return seeded;
}
