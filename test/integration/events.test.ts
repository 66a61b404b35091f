/**
 * Change events on the local server: every committed user change becomes exactly one event, in version order;
 * a rejected or cancelled write becomes none (the local stream only sees committed writes).
 */
import { LocalUserEvent } from '../../local/events';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
let s: TestServer;
let seen: LocalUserEvent[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  s = await startTestServer();
  unsubscribe = s.app.events.subscribe((e) => seen.push(e));
});
afterAll(async () => {
  unsubscribe();
  await s.close();
});
beforeEach(() => {
  seen = [];
});

const patch = (ops: unknown[]) => ({ schemas: [PATCH], Operations: ops });

describe('user change events', () => {
  it('emits created, updated (with the changed attributes), disabled, enabled, deleted — one each, versions 1..5', async () => {
    const body = entraUser();
    const created = await s.scim('POST', '/Users', body);
    const id = created.body.id as string;
    await s.scim('PATCH', `/Users/${id}`, patch([{ op: 'replace', path: 'displayName', value: 'Renamed' }]));
    await s.scim('PATCH', `/Users/${id}`, patch([{ op: 'Replace', path: 'active', value: 'False' }]));
    await s.scim('PATCH', `/Users/${id}`, patch([{ op: 'Replace', path: 'active', value: 'True' }]));
    await s.scim('DELETE', `/Users/${id}`);
    // Delivered after the responses, as DynamoDB Streams does: hand over what is still pending.
    s.app.dynamo.flushStream();

    expect(seen.map((e) => [e.detail.changeType, e.detail.version])).toEqual([
      ['created', 1],
      ['updated', 2],
      ['disabled', 3],
      ['enabled', 4],
      ['deleted', 5],
    ]);
    for (const e of seen) {
      expect(e).toMatchObject({ source: 'scimlink', 'detail-type': 'User Changed' });
      expect(e.detail).toMatchObject({ schemaVersion: '1.0', accountId: 'demo', userId: id, userName: body.userName });
    }
    expect(seen[1]!.detail.changedAttributes).toEqual(['displayName']);
    expect(seen[1]!.detail.user).toMatchObject({ id, displayName: 'Renamed', meta: { version: 'W/"2"' } });
    expect(seen[2]!.detail.changedAttributes).toEqual(['active']);
    expect(seen[4]!.detail.user).toBeNull();
  });

  it('emits nothing for rejected writes: a 400, a 409, a 412, and a PATCH that changes nothing', async () => {
    const u = (await s.scim('POST', '/Users', entraUser())).body;
    s.app.dynamo.flushStream();
    seen = [];
    expect((await s.scim('POST', '/Users', entraUser({ phoneNumbers: [{ type: 'mobile', value: '555-0100' }] }))).status).toBe(400);
    expect((await s.scim('POST', '/Users', entraUser({ userName: u.userName }))).status).toBe(409);
    expect((await s.scim('PATCH', `/Users/${u.id}`, patch([{ op: 'replace', path: 'displayName', value: 'x' }]), { headers: { 'If-Match': 'W/"9"' } })).status).toBe(412);
    expect((await s.scim('PATCH', `/Users/${u.id}`, patch([{ op: 'replace', path: 'displayName', value: u.displayName }]))).status).toBe(200);
    s.app.dynamo.flushStream();
    expect(seen).toEqual([]);
  });

  it('serves the same events as Server-Sent Events at GET /events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${s.app.url}/events`, { signal: controller.signal, headers: { Authorization: `Bearer ${s.app.adminToken}` } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const created = await s.scim('POST', '/Users', entraUser());
    let text = '';
    while (!text.includes('"changeType":"created"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const data = /^data: (.+)$/m.exec(text)?.[1];
    expect(JSON.parse(data ?? '{}').detail).toMatchObject({ changeType: 'created', userId: created.body.id });
  });
});
