/**
 * `npm start` hands user change events and provisioning-log entries on after the responses (batched, as DynamoDB
 * Streams and CloudWatch Logs deliver when deployed): after a burst of concurrent Entra cycles and an immediate
 * shutdown, every event and every log entry has arrived — in order per user — and nothing was lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_TABLE, LocalApp, startLocal } from '../../local/app';
import { startEmbeddedDynamo } from '../../local/dynamo/embedded';
import type { LocalUserEvent } from '../../local/events';
import { documentClient } from '../../lambdas/runtime/deps';
import { DynamoLogStore } from '../../lambdas/store/dynamo-log-store';
import { entraUser, readResponse } from '../support/local-server';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USERS = 12;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimlink-async-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scim(app: LocalApp, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { Authorization: `Bearer ${app.secretToken}` };
  if (body !== undefined) headers['Content-Type'] = 'application/scim+json';
  return readResponse(await fetch(`${app.tenantUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

describe('events and provisioning-log entries after a burst, then Ctrl-C', () => {
  it('all arrive, in order per user, though the server stops right after the last answer', async () => {
    const app = await startLocal({ port: 0, dataDir: dir, logLevel: 'SILENT' });
    const events: LocalUserEvent[] = [];
    app.events.subscribe((e) => events.push(e));

    // Prepare: USERS concurrent Entra cycles, each create → update → disable → delete, one request at a time.
    const ids = await Promise.all(
      Array.from({ length: USERS }, async () => {
        const created = await scim(app, 'POST', '/Users', entraUser());
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        const replace = (path: string, value: unknown) => ({ schemas: [PATCH], Operations: [{ op: 'replace', path, value }] });
        expect((await scim(app, 'PATCH', `/Users/${id}`, replace('displayName', `Renamed ${id}`))).status).toBe(200);
        expect((await scim(app, 'PATCH', `/Users/${id}`, replace('active', 'False'))).status).toBe(200);
        expect((await scim(app, 'DELETE', `/Users/${id}`)).status).toBe(204);
        return id;
      }),
    );

    // Act: stop at once, as on SIGINT (local/start.ts calls close()).
    await app.close();

    // Assess: each user's four events, in version order.
    for (const id of ids) {
      const mine = events.filter((e) => e.detail.userId === id);
      expect(mine.map((e) => [e.detail.changeType, e.detail.version])).toEqual([
        ['created', 1],
        ['updated', 2],
        ['disabled', 3],
        ['deleted', 4],
      ]);
    }
    expect(events).toHaveLength(USERS * 4);

    // …and each request's log entry, written to the store before it closed (read back from the data dir).
    const store = await startEmbeddedDynamo({ path: join(dir, 'dynamodb') });
    try {
      const entries = (await new DynamoLogStore(documentClient(store.client), LOCAL_TABLE).latest('demo', 500, false)).reverse();
      expect(entries).toHaveLength(USERS * 4);
      for (const id of ids) {
        const mine = entries.filter((e) => e.path === `/Users/${id}`);
        expect(mine.map((e) => `${e.method} ${e.status}`).sort()).toStrictEqual(['DELETE 204', 'PATCH 200', 'PATCH 200']);
        // In request order by time (two requests within one millisecond may share it).
        const deleted = mine.find((e) => e.method === 'DELETE')!;
        for (const p of mine.filter((e) => e.method === 'PATCH')) expect(p.time <= deleted.time).toBe(true);
      }
      expect(entries.filter((e) => e.method === 'POST' && e.status === 201)).toHaveLength(USERS);
    } finally {
      await store.close();
    }
  });

  it('captures nothing while no one listens, and the changes after a subscriber joins', async () => {
    const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
    try {
      // Prepare: a user written while nobody listens.
      const created = await scim(app, 'POST', '/Users', entraUser());
      app.dynamo.flushStream();
      const events: LocalUserEvent[] = [];
      const unsubscribe = app.events.subscribe((e) => events.push(e));

      // Act
      const replace = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Later' }] };
      expect((await scim(app, 'PATCH', `/Users/${created.body.id}`, replace)).status).toBe(200);
      app.dynamo.flushStream();
      unsubscribe();

      // Assess: only the change made while subscribed.
      expect(events.map((e) => [e.detail.changeType, e.detail.version])).toEqual([['updated', 2]]);
    } finally {
      await app.close();
    }
  });
});
