import { caught } from '../support/caught';
import { ScimError } from '../../lambdas/scim/errors';
import { MAX_FILTER_SCAN } from '../../lambdas/scim/filter';
import { encodeCursor } from '../../lambdas/scim/list-response';
import { applyPatch } from '../../lambdas/scim/patch';
import { VersionConflict } from '../../lambdas/scim/ports';
import { StoredUser, UserData } from '../../lambdas/scim/user';
import { UserService } from '../../lambdas/scim/user-service';
import { parseUser } from '../../lambdas/scim/validate';
import { MemoryUserStore } from '../support/memory-user-store';

/**
 * The write paths of the SCIM User operations (PUT, PATCH, DELETE, POST) and the paging of GET /Users, over the
 * in-memory store: If-Match (RFC 7644 §3.14), the re-read-and-retry on a concurrent change, the idempotent retry
 * that costs no write, and the exact status, detail and Retry-After Entra gets when it cannot be done.
 */
const ACC = 'acc1';
const BASE = 'https://example.com/scim/acc1.k';

/**
 * A store whose next `conflicts` guarded writes fail as if another request had written first: the stored version
 * moves on (as it would), and the write is refused with VersionConflict.
 */
class ContendedStore extends MemoryUserStore {
  conflicts = 0;
  writes = 0;
  private async contend(current: StoredUser): Promise<boolean> {
    this.writes += 1;
    if (this.conflicts === 0) return false;
    this.conflicts -= 1;
    const stored = await this.get(current.accountId, current.id);
    await super.update(stored!, stored!.data);
    return true;
  }
  override async update(current: StoredUser, data: UserData) {
    if (await this.contend(current)) throw new VersionConflict();
    return super.update(current, data);
  }
  override async delete(current: StoredUser) {
    if (await this.contend(current)) throw new VersionConflict();
    return super.delete(current);
  }
}

const body = (over: Record<string, unknown> = {}) => ({
  userName: 'ann@contoso.com',
  displayName: 'Ann',
  emails: [{ value: 'ann@contoso.com', type: 'work' }],
  ...over,
});

async function setup() {
  const store = new ContendedStore();
  const service = new UserService(store, ACC, Promise.resolve(), BASE, { parseUser, applyPatch });
  const { user } = await service.create(body());
  return { store, service, user };
}

const rename = (displayName: string) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', path: 'displayName', value: displayName }],
});

describe('If-Match (RFC 7644 §3.14)', () => {
  it.each(['W/"1"', '"1"', ' W/"1" ', 'W/"7", W/"1"', '*', ' * ', '', '  '])('If-Match %p matches version 1: the write goes through', async (ifMatch) => {
    const { service, user } = await setup();
    const { user: after } = await service.patch(user.id, rename('Bea'), ifMatch);
    expect([after.data.displayName, after.meta.version]).toEqual(['Bea', 2]);
  });

  it.each(['W/"2"', 'W/"11"', 'W/"1', 'W/1', 'x W/"1"', 'W/"2", W/"3"'])('If-Match %p does not: 412 naming both versions, nothing written', async (ifMatch) => {
    const { store, service, user } = await setup();
    const e = (await caught(service.replace(user.id, body({ displayName: 'Bea' }), ifMatch))) as ScimError;
    expect([e.status, e.detail]).toEqual([412, `If-Match ${ifMatch} does not match the current version W/"1"; fetch the user and retry.`]);
    expect(store.writes).toBe(0);
  });

  it('DELETE with a stale If-Match is a 412 and the user stays', async () => {
    const { service, user } = await setup();
    const e = (await caught(service.delete(user.id, 'W/"9"'))) as ScimError;
    expect(e.status).toBe(412);
    expect((await service.get(user.id)).id).toBe(user.id);
  });
});

describe('a concurrent change between read and write', () => {
  it('PATCH without If-Match re-reads and re-applies, up to 5 attempts', async () => {
    const { store, service, user } = await setup();
    store.conflicts = 4;
    const { user: after } = await service.patch(user.id, rename('Bea'));
    expect([after.data.displayName, store.writes]).toEqual(['Bea', 5]);
  });

  it('after 5 conflicts: 503 with Retry-After, so Entra retries', async () => {
    const { store, service, user } = await setup();
    store.conflicts = 5;
    const e = (await caught(service.replace(user.id, body({ displayName: 'Bea' })))) as ScimError;
    expect([e.status, e.detail, e.headers]).toEqual([503, 'The user is being modified concurrently; retry shortly.', { 'Retry-After': '2' }]);
    expect(store.writes).toBe(5);
  });

  it('with If-Match, a conflict is a 412 at once: the re-read finds a newer version', async () => {
    const { store, service, user } = await setup();
    store.conflicts = 1;
    const e = (await caught(service.patch(user.id, rename('Bea'), 'W/"1"'))) as ScimError;
    expect([e.status, e.detail]).toEqual([412, 'If-Match W/"1" does not match the current version W/"2"; fetch the user and retry.']);
    expect(store.writes).toBe(1);
  });

  it('with If-Match "*", 5 conflicts are a 412 (not a 503): the client asked for a condition', async () => {
    const { store, service, user } = await setup();
    store.conflicts = 5;
    const e = (await caught(service.patch(user.id, rename('Bea'), '*'))) as ScimError;
    expect([e.status, e.detail, e.headers]).toEqual([412, 'The user was modified concurrently; fetch it and retry.', {}]);
    expect(store.writes).toBe(5);
  });

  it('DELETE retries too, and the user is gone afterwards', async () => {
    const { store, service, user } = await setup();
    store.conflicts = 4;
    await service.delete(user.id);
    expect(store.writes).toBe(5);
    expect(((await caught(service.get(user.id))) as ScimError).status).toBe(404);
  });

  it('DELETE gives up with a 503 after 5 conflicts, or a 412 with If-Match "*"', async () => {
    const { store, service, user } = await setup();
    store.conflicts = 5;
    const e = (await caught(service.delete(user.id))) as ScimError;
    expect([e.status, e.headers]).toEqual([503, { 'Retry-After': '2' }]);
    expect(store.writes).toBe(5);
    store.conflicts = 5;
    expect(((await caught(service.delete(user.id, '*'))) as ScimError).status).toBe(412);
    expect(store.writes).toBe(10);
  });

  it('an error other than a conflict is not retried and passes through as is', async () => {
    const { store, service, user } = await setup();
    const boom = new Error('store down');
    store.update = async () => {
      store.writes += 1;
      throw boom;
    };
    expect(await caught(service.patch(user.id, rename('Bea')))).toBe(boom);
    expect(store.writes).toBe(1);
    store.delete = async () => {
      throw boom;
    };
    expect(await caught(service.delete(user.id))).toBe(boom);
  });
});

describe('an idempotent retry (Entra re-sends what is stored) costs no write and keeps the ETag', () => {
  it('PUT of the same user in another key order', async () => {
    const { store, service, user } = await setup();
    const { user: after } = await service.replace(user.id, { emails: [{ type: 'work', value: 'ann@contoso.com' }], displayName: 'Ann', userName: 'ann@contoso.com' });
    expect([after.meta.version, store.writes]).toEqual([1, 0]);
  });

  it('PATCH that sets the current value', async () => {
    const { store, service, user } = await setup();
    const { user: after } = await service.patch(user.id, rename('Ann'));
    expect([after.meta.version, store.writes]).toEqual([1, 0]);
  });
});

describe('results of the writes', () => {
  it('POST reports the ignored attributes and stores the user', async () => {
    const store = new ContendedStore();
    const service = new UserService(store, ACC, Promise.resolve(), BASE, { parseUser, applyPatch });
    const { user, ignored } = await service.create(Promise.resolve(body({ title: 'CEO' })));
    expect(ignored).toEqual(['title']);
    expect((await service.get(user.id)).data).toStrictEqual({ userName: 'ann@contoso.com', displayName: 'Ann', active: true, emails: [{ value: 'ann@contoso.com', type: 'work' }] });
  });

  it('PATCH reports the attributes it ignored', async () => {
    const { service, user } = await setup();
    const { ignored } = await service.patch(user.id, { Operations: [{ op: 'add', path: 'nickName', value: 'Babs' }] });
    expect(ignored).toEqual(['nickName']);
  });

  it('PUT reports the attributes it ignored', async () => {
    const { service, user } = await setup();
    const { ignored, user: after } = await service.replace(user.id, body({ displayName: 'Bea', nickName: 'B' }));
    expect([ignored, after.data.displayName]).toEqual([['nickName'], 'Bea']);
  });

  it('an unknown id → 404 naming it', async () => {
    const { service } = await setup();
    for (const run of [() => service.get('nope'), () => service.patch('nope', rename('x')), () => service.replace('nope', body()), () => service.delete('nope')]) {
      const e = (await caught(run())) as ScimError;
      expect([e.status, e.detail]).toEqual([404, 'User nope not found']);
    }
  });

  it('render: the SCIM resource with its location under the tenant URL', async () => {
    const { service, user } = await setup();
    expect(service.render(user)).toMatchObject({ id: user.id, meta: { location: `${BASE}/Users/${user.id}`, version: 'W/"1"' } });
  });

  it('a handler given no validator or no patch engine fails loudly (a wiring bug), not with a 400', async () => {
    const store = new ContendedStore();
    const readOnly = new UserService(store, ACC, Promise.resolve(), BASE);
    await expect(readOnly.create(body())).rejects.toThrow('UserService: this handler was not given the validator (scimRoute writes)');
    const noPatch = new UserService(store, ACC, Promise.resolve(), BASE, { parseUser });
    await expect(noPatch.patch('u-001', rename('x'))).rejects.toThrow('UserService.patch: this handler was not given the patch engine (scimRoute writes)');
  });
});

describe('GET /Users paging', () => {
  async function three() {
    const store = new MemoryUserStore();
    for (const n of ['ann', 'bob', 'cat']) await store.create(ACC, parseUser(body({ userName: `${n}@contoso.com`, emails: [{ value: `${n}@contoso.com`, type: 'work' }] })).data);
    return { store, service: new UserService(store, ACC, Promise.resolve(), BASE) };
  }
  const names = (users: StoredUser[]) => users.map((u) => u.data.userName.split('@')[0]);

  it.each([undefined, '', '  '])('no filter (%p): the index page with the total', async (filter) => {
    const { service } = await three();
    const r = await service.query(filter, { startIndex: 2, count: 1 });
    expect([r.total, names(r.users), r.next]).toEqual([3, ['bob'], undefined]);
  });

  it('no filter, cursor paging: the page after the cursor, the total and where to go on', async () => {
    const { service } = await three();
    const first = await service.query(undefined, { startIndex: 1, count: 2, cursor: '' });
    expect([first.total, names(first.users), first.next]).toEqual([3, ['ann', 'bob'], 'u-002']);
  });

  it('a key lookup with a cursor is one page from the first match', async () => {
    const { service } = await three();
    const r = await service.query('userName eq "bob@contoso.com"', { startIndex: 1, count: 5, cursor: '' });
    expect([r.total, names(r.users), r.next]).toEqual([1, ['bob'], undefined]);
  });

  it('a key lookup with index paging honours startIndex', async () => {
    const { service } = await three();
    const r = await service.query('userName eq "bob@contoso.com"', { startIndex: 2, count: 5 });
    expect([r.total, names(r.users)]).toEqual([1, []]);
  });

  it.each<[number, string[], string | undefined]>([
    [1, ['ann'], 'u-001'],
    [2, ['ann', 'bob'], 'u-002'],
    [3, ['ann', 'bob', 'cat'], undefined],
    [5, ['ann', 'bob', 'cat'], undefined],
  ])('a scanned filter with cursor paging, count %i → %j, next %p', async (count, expected, next) => {
    const { service } = await three();
    const r = await service.query('userName co "@"', { startIndex: 1, count, cursor: '' });
    expect([r.total, names(r.users), r.next]).toEqual([undefined, expected, next]);
  });

  it('a scanned filter continues after the user the cursor names', async () => {
    const { service, store } = await three();
    const afters: Array<string | undefined> = [];
    store.page = async (_acc, after) => {
      afters.push(after);
      return { users: [] };
    };
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    await service.query('userName co "@"', { startIndex: 1, count: 5, cursor: encodeCursor(id) });
    await service.query(undefined, { startIndex: 1, count: 5, cursor: encodeCursor(id) });
    expect(afters).toEqual([id, id]);
  });

  it('a scanned filter with cursor paging goes on when the budget ends before count matches', async () => {
    const { service, store } = await three();
    store.page = async (_acc, after, limit) => ({ users: [], next: `${after ?? 'start'}:${limit}` });
    const r = await service.query('userName co "@"', { startIndex: 1, count: 5, cursor: '' });
    expect(r).toEqual({ users: [], next: `start:${MAX_FILTER_SCAN}` });
  });

  it('a scanned filter that fills the page on the last user of a chunk with more to come still points on', async () => {
    const { service, store } = await three();
    const page = store.page.bind(store);
    store.page = async (acc, after, limit) => ({ ...(await page(acc, after, limit)), next: 'u-003' });
    const r = await service.query('userName co "@"', { startIndex: 1, count: 3, cursor: '' });
    expect([names(r.users), r.next]).toEqual([['ann', 'bob', 'cat'], 'u-003']);
  });

  it(`a scanned filter with index paging over more than ${MAX_FILTER_SCAN} users → 400 tooMany that says what to do`, async () => {
    const { service, store } = await three();
    store.count = async () => MAX_FILTER_SCAN + 1;
    const e = (await caught(service.query('userName co "@"', { startIndex: 1, count: 5 }))) as ScimError;
    expect([e.status, e.scimType]).toEqual([400, 'tooMany']);
    expect(e.detail).toContain(`more users than the ${MAX_FILTER_SCAN} such a filter is evaluated on per request`);
    expect(e.detail).toContain('page with cursors (RFC 9865)');
  });

  it(`… also when users were created between the count and the read`, async () => {
    const { service, store } = await three();
    store.count = async () => 1;
    const page = store.page.bind(store);
    const limits: number[] = [];
    store.page = async (acc, after, limit) => {
      limits.push(limit);
      const r = await page(acc, after, limit);
      return { users: Array.from({ length: MAX_FILTER_SCAN + 1 }, () => r.users[0]!) };
    };
    expect(((await caught(service.query('userName co "@"', { startIndex: 1, count: 5 }))) as ScimError).scimType).toBe('tooMany');
    expect(limits).toEqual([MAX_FILTER_SCAN + 1]);
  });

  it(`exactly ${MAX_FILTER_SCAN} users are still evaluated`, async () => {
    const { service, store } = await three();
    store.count = async () => MAX_FILTER_SCAN;
    const r = await service.query('userName co "@"', { startIndex: 2, count: 1 });
    expect([r.total, names(r.users)]).toEqual([3, ['bob']]);
  });

  it(`more than ${MAX_FILTER_SCAN} users sharing an externalId → 400 tooMany`, async () => {
    const { service, store } = await three();
    const limits: number[] = [];
    store.findByExternalId = async (_acc, _ext, limit) => {
      limits.push(limit);
      return Array.from({ length: limit }, () => undefined as unknown as StoredUser);
    };
    const e = (await caught(service.query('externalId eq "x"', { startIndex: 1, count: 5 }))) as ScimError;
    expect([e.status, e.scimType, limits]).toEqual([400, 'tooMany', [MAX_FILTER_SCAN + 1]]);
    expect(e.detail).toContain(`More than ${MAX_FILTER_SCAN} users share this externalId`);
  });
});

describe('an unauthenticated caller costs one key read at most and gets nothing', () => {
  const denied = () => {
    const e = new ScimError(401, 'no');
    const authorized = Promise.reject(e);
    authorized.catch(() => undefined);
    return { e, authorized };
  };

  async function seeded() {
    const store = new ContendedStore();
    const { user } = await new UserService(store, ACC, Promise.resolve(), BASE, { parseUser, applyPatch }).create(body({ externalId: 'x' }));
    store.reads.length = 0;
    const { e, authorized } = denied();
    return { store, user, e, service: new UserService(store, ACC, authorized, BASE, { parseUser, applyPatch }) };
  }

  it.each([
    ['a scanned filter', 'userName co "@"', []],
    ['an externalId lookup (a Query)', 'externalId eq "x"', []],
    ['a userName lookup: its sentinel only', 'userName eq "ann@contoso.com"', ['userName ann@contoso.com']],
    ['an id lookup: the user item only', 'id eq "u-001"', ['get u-001']],
  ])('%s', async (_what, filter, reads) => {
    const { store, service, e } = await seeded();
    expect(await caught(service.query(filter, { startIndex: 1, count: 5 }))).toBe(e);
    expect(store.reads).toEqual(reads);
  });

  it('a list without a filter', async () => {
    const { store, service, e } = await seeded();
    const early = async (): Promise<never> => {
      throw new Error('read before authentication');
    };
    store.list = early;
    store.count = early;
    expect(await caught(service.query(undefined, { startIndex: 1, count: 5 }))).toBe(e);
    expect(await caught(service.query(undefined, { startIndex: 1, count: 5, cursor: '' }))).toBe(e);
  });

  it('writes: nothing is written, the answer is the 401', async () => {
    const { store, service, user, e } = await seeded();
    expect(await caught(service.create(body({ userName: 'bob@contoso.com', emails: [{ value: 'bob@contoso.com', type: 'work' }] })))).toBe(e);
    expect(await caught(service.patch(user.id, rename('Bea')))).toBe(e);
    expect(await caught(service.replace(user.id, body({ displayName: 'Bea' })))).toBe(e);
    expect(await caught(service.delete(user.id))).toBe(e);
    expect(await caught(service.get(user.id))).toBe(e);
    expect(store.writes).toBe(0);
    expect(await store.count(ACC)).toBe(1);
  });

  it('a key lookup that finds no holder answers nothing, after authentication', async () => {
    const store = new MemoryUserStore();
    let pass!: () => void;
    const authorized = new Promise<void>((resolve) => (pass = resolve));
    const service = new UserService(store, ACC, authorized, BASE);
    let settled = false;
    const answer = service.query('emails.value eq "nobody@contoso.com"', { startIndex: 1, count: 5 }).then((r) => ((settled = true), r));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    pass();
    expect(await answer).toEqual({ total: 0, users: [] });
  });
});

describe('survivors of the first user-service mutation run', () => {
  async function many(n: number) {
    const store = new MemoryUserStore();
    const { user } = await new UserService(store, ACC, Promise.resolve(), BASE, { parseUser }).create(body());
    return { store, user, service: new UserService(store, ACC, Promise.resolve(), BASE, { parseUser, applyPatch }), users: Array.from({ length: n }, () => user) };
  }

  it(`a page of exactly ${MAX_FILTER_SCAN} users is evaluated (one more is refused)`, async () => {
    const { store, service, users } = await many(MAX_FILTER_SCAN);
    store.count = async () => MAX_FILTER_SCAN;
    store.page = async () => ({ users });
    expect((await service.query('userName co "@"', { startIndex: 1, count: 2 })).total).toBe(MAX_FILTER_SCAN);
  });

  it(`exactly ${MAX_FILTER_SCAN} users sharing an externalId are answered`, async () => {
    const { store, service, users } = await many(MAX_FILTER_SCAN);
    store.findByExternalId = async () => users;
    expect((await service.query('externalId eq "x"', { startIndex: 1, count: 2 })).total).toBe(0); // none has externalId "x"
  });

  it('a scanned filter with cursor paging returns only the matching users', async () => {
    const store = new MemoryUserStore();
    for (const n of ['ann', 'bob', 'cat']) await store.create(ACC, parseUser(body({ userName: `${n}@contoso.com`, emails: [{ value: `${n}@contoso.com`, type: 'work' }] })).data);
    const service = new UserService(store, ACC, Promise.resolve(), BASE);
    const r = await service.query('userName sw "b"', { startIndex: 1, count: 5, cursor: '' });
    expect(r.users.map((u) => u.data.userName)).toStrictEqual(['bob@contoso.com']);
  });

  it('a key lookup without a holder reads no user item', async () => {
    const { store, service } = await many(0);
    store.reads.length = 0;
    await service.query('emails.value eq "nobody@contoso.com"', { startIndex: 1, count: 5 });
    expect(store.reads).toEqual(['email nobody@contoso.com']);
  });

  it('a PATCH reads the user once, and starts that read before its body has arrived', async () => {
    const { store, service, user } = await many(0);
    store.reads.length = 0;
    let send!: (b: unknown) => void;
    const pending = service.patch(user.id, new Promise((resolve) => (send = resolve)));
    await new Promise((r) => setImmediate(r));
    expect(store.reads).toEqual([`get ${user.id}`]);
    send(rename('Bea'));
    await pending;
    expect(store.reads).toEqual([`get ${user.id}`]);
  });

  it('a read-only handler asked to PATCH fails loudly', async () => {
    const service = new UserService(new MemoryUserStore(), ACC, Promise.resolve(), BASE);
    await expect(service.patch('u-001', rename('x'))).rejects.toThrow('UserService.patch: this handler was not given the patch engine (scimRoute writes)');
  });

  it('the tooMany answer names the filters that work at any size', async () => {
    const { store, service } = await many(0);
    store.count = async () => MAX_FILTER_SCAN + 1;
    const e = (await caught(service.query('userName co "@"', { startIndex: 1, count: 5 }))) as ScimError;
    expect(e.detail).toContain('Filters answered by key work at any size: userName eq, externalId eq, id eq');
  });
});
