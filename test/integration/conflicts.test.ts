/**
 * Entra provisions with several requests in flight. Real DynamoDB cancels concurrent transactions touching the
 * same item with TransactionConflict — which the local transaction layer (it serialises writes) never produces.
 * So we inject them: under a storm of TransactionConflict cancellations, concurrent creates in one account must
 * succeed (the store retries) or answer 503 with Retry-After, and the books must balance afterwards.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { FinalizeHandlerArguments, InitializeHandler, MetadataBearer } from '@smithy/types';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

const INJECTOR = 'test-transaction-conflict-injector';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

function injectConflicts(probability: number) {
  let injected = 0;
  s.app.dynamo.client.middlewareStack.add(
    (next: InitializeHandler<object, MetadataBearer>, context) => async (args: FinalizeHandlerArguments<object> | { input: object }) => {
      if (context.commandName === 'TransactWriteItemsCommand' && Math.random() < probability) {
        injected++;
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
        // What DynamoDB says when another transaction holds one of the items: that action TransactionConflict.
        const reasons = items.map((_, i) => ({ Code: i === items.length - 1 ? 'TransactionConflict' : 'None' }));
        throw new TransactionCanceledException({ message: 'Transaction cancelled [TransactionConflict]', $metadata: {}, CancellationReasons: reasons });
      }
      return next(args as never);
    },
    { step: 'initialize', name: INJECTOR, priority: 'high' },
  );
  return {
    get injected() {
      return injected;
    },
    remove: () => s.app.dynamo.client.middlewareStack.remove(INJECTOR),
  };
}

describe('under injected TransactionConflict', () => {
  it('concurrent creates in one account succeed or answer 503 + Retry-After, and the user count stays exact', async () => {
    const before = (await s.scim('GET', '/Users?count=0')).body.totalResults as number;
    const injector = injectConflicts(0.5);
    try {
      const bodies = Array.from({ length: 32 }, () => entraUser());
      const results: Array<{ status: number; retryAfter: string | null; id?: string }> = [];
      // 16 in flight at a time, like a busy Entra cycle
      for (let i = 0; i < bodies.length; i += 16) {
        const batch = await Promise.all(bodies.slice(i, i + 16).map((b) => s.scim('POST', '/Users', b)));
        results.push(...batch.map((r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), id: r.body?.id })));
      }
      expect(injector.injected).toBeGreaterThan(0);
      for (const r of results) {
        expect([201, 503]).toContain(r.status);
        if (r.status === 503) expect(Number(r.retryAfter)).toBeGreaterThan(0);
      }
      const createdIds = results.filter((r) => r.status === 201).map((r) => r.id);
      expect(createdIds.length).toBeGreaterThan(bodies.length / 2);
      injector.remove();

      // Every acknowledged user is there; every refused one left nothing (its values are free)
      for (const [i, body] of bodies.entries()) {
        const found = await s.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`);
        const acknowledged = results[i]!.status === 201;
        expect({ i, total: found.body.totalResults }).toEqual({ i, total: acknowledged ? 1 : 0 });
        if (!acknowledged) expect((await s.scim('POST', '/Users', body)).status).toBe(201);
      }
      const after = (await s.scim('GET', '/Users?count=0')).body.totalResults as number;
      expect(after).toBe(before + bodies.length);
      const listed = await s.scim('GET', '/Users?count=500');
      expect(listed.body.Resources).toHaveLength(after);
    } finally {
      injector.remove();
    }
  });
});
