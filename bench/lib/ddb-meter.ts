import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What one SCIM request cost in DynamoDB. */
export interface DdbCost {
  /** Longest chain of calls that waited on each other: the sequential round trips. */
  sequential: number;
  calls: number;
  /**
   * Items read: keys asked for by GetItem/BatchGetItem (found or not), items a Query/Scan examined
   * (`ScannedCount`), items a transaction checked or wrote are not reads.
   */
  itemsRead: number;
  /** Read and write capacity units DynamoDB reported (`ReturnConsumedCapacity: 'TOTAL'`). */
  rcu: number;
  wcu: number;
  commands: string[];
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

function itemsRead(command: string, input: Record<string, unknown>, output: { ScannedCount?: number }): number {
  if (command === 'GetItemCommand') return 1;
  if (command === 'BatchGetItemCommand') {
    const tables = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>);
    return tables.reduce((n, t) => n + (t.Keys?.length ?? 0), 0);
  }
  if (command === 'QueryCommand' || command === 'ScanCommand') return output.ScannedCount ?? 0;
  return 0;
}

/**
 * An SDK middleware for the bench only: it asks DynamoDB for the consumed capacity of every command
 * (`ReturnConsumedCapacity: 'TOTAL'`, set on a copy of the input — production code is untouched), and counts
 * calls and sequential round trips. A call's depth is 1 + the deepest call that had finished when it started, so
 * calls issued together (auth's GetItem alongside the operation's first read) count as one round trip.
 *
 * Installed at `initialize` with high priority: outside the local transaction layer, so an emulated
 * TransactWriteItems counts as the single call DynamoDB would see.
 */
export function installMeter(client: DynamoDBClient) {
  let finishedDepth = 0;
  let cost: DdbCost = { sequential: 0, calls: 0, itemsRead: 0, rcu: 0, wcu: 0, commands: [] };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '?';
      cost.calls++;
      cost.commands.push(name);
      const depth = finishedDepth + 1;
      cost.sequential = Math.max(cost.sequential, depth);
      const input = { ...(args.input as Record<string, unknown>), ReturnConsumedCapacity: 'TOTAL' };
      try {
        const result = await next({ ...args, input });
        cost.itemsRead += itemsRead(name, input, result.output as { ScannedCount?: number });
        const consumed = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
        for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
          if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
            cost.rcu += c.ReadCapacityUnits ?? 0;
            cost.wcu += c.WriteCapacityUnits ?? 0;
          } else if (READS.has(name)) cost.rcu += c.CapacityUnits ?? 0;
          else cost.wcu += c.CapacityUnits ?? 0;
        }
        return result;
      } finally {
        finishedDepth = Math.max(finishedDepth, depth);
      }
    },
    { step: 'initialize', name: 'benchMeter', priority: 'high' },
  );
  return {
    reset() {
      finishedDepth = 0;
      cost = { sequential: 0, calls: 0, itemsRead: 0, rcu: 0, wcu: 0, commands: [] };
    },
    read(): DdbCost {
      return { ...cost, commands: [...cost.commands] };
    },
  };
}
