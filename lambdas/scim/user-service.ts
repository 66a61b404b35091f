import { notFound, preconditionFailed, unavailable } from './errors';
import { IndexHint, findIndexableEquality, matches, parseFilter } from './filter';
import { UserStore, VersionConflict } from './ports';
import { StoredUser, UserData, etagOf, toScimResource } from './user';
import type { ParsedUser } from './validate';
import { sameJson } from './canonical-json';
import { Paging } from './list-response';

/** How many times a PUT/PATCH/DELETE without If-Match re-reads and re-applies after a concurrent change. */
const MAX_WRITE_ATTEMPTS = 5;

export interface WriteResult {
  user: StoredUser;
  /** Attributes accepted and ignored (SPEC §4), for the request log. */
  ignored: string[];
}

/**
 * What turns a client's body into UserData: validation (`parseUser`, lambdas/scim/validate.ts) and, for PATCH, the
 * patch engine (`applyPatch`, lambdas/scim/patch). Handed in by the handlers that write users (`scimRoute(…,
 * { writes })`), so the handlers that only read — GET, list, DELETE, discovery — neither bundle nor evaluate the
 * validator (zod and its ~60 schemas: about 5 ms of every cold start).
 */
export interface UserWrites {
  parseUser(body: unknown): ParsedUser;
  applyPatch?(resource: Record<string, unknown>, body: unknown): Record<string, unknown>;
}

/**
 * The SCIM User operations of one account (RFC 7644 §3), on the store port. Pure: no AWS, no HTTP.
 *
 * `authorized` is the pending authentication of the request. Only an operation's first *key* read (a user by
 * id, a uniqueness sentinel: one item) starts in parallel with it — it goes out in the same BatchGetItem as
 * authentication's own read — and nothing is returned before it resolves. Every other read (queries, the user
 * behind a sentinel), every write, and the body itself wait for it: a caller who is not authenticated costs one
 * bounded read, whatever the account's size or the query (issue 13).
 */
export class UserService {
  constructor(
    private readonly store: UserStore,
    private readonly accountId: string,
    private readonly authorized: Promise<unknown>,
    private readonly baseUrl: string,
    private readonly writes?: UserWrites,
  ) {}

  render(user: StoredUser): Record<string, unknown> {
    return toScimResource(user, this.baseUrl);
  }

  /** `body` may be pending (the route resolves it once the caller is authenticated). */
  async create(body: unknown): Promise<WriteResult> {
    const { data, ignored } = this.parse(await body);
    await this.authorized;
    return { user: await this.store.create(this.accountId, data), ignored };
  }

  async get(id: string): Promise<StoredUser> {
    const [, user] = await Promise.all([this.authorized, this.store.get(this.accountId, id)]);
    if (!user) throw notFound(`User ${id} not found`);
    return user;
  }

  async replace(id: string, body: unknown, ifMatch?: string): Promise<WriteResult> {
    const first = this.firstRead(id);
    const { data, ignored } = this.parse(await body);
    return { user: await this.writeLoop(id, ifMatch, () => data, first), ignored };
  }

  async patch(id: string, body: unknown, ifMatch?: string): Promise<WriteResult> {
    const applyPatch = this.writes?.applyPatch;
    if (!applyPatch) throw new Error('UserService.patch: this handler was not given the patch engine (scimRoute writes)');
    const first = this.firstRead(id);
    const operations = await body;
    let ignored: string[] = [];
    const user = await this.writeLoop(id, ifMatch, (current) => {
      const patched = applyPatch(this.render(current), operations);
      const parsed = this.parse(patched);
      ignored = parsed.ignored;
      return parsed.data;
    });
    return { user, ignored };
  }

  async delete(id: string, ifMatch?: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(id);
      checkIfMatch(current, ifMatch);
      try {
        await this.store.delete(current);
        return;
      } catch (e) {
        if (!(e instanceof VersionConflict) || attempt >= MAX_WRITE_ATTEMPTS) throw conflictToScim(e, ifMatch);
      }
    }
  }

  /**
   * GET /Users with optional filter (RFC 7644 §3.4.2). Filters with an equality on a unique or indexed attribute
   * (everything Entra sends) fetch their candidates by key, strongly consistently; any other filter is evaluated
   * over the account's users (a Query of its partition, never a table Scan).
   */
  async query(filter: string | undefined, paging: Paging): Promise<{ total: number; users: StoredUser[] }> {
    if (filter === undefined || filter.trim() === '') {
      await this.authorized;
      return this.store.list(this.accountId, paging.startIndex, paging.count);
    }
    const ast = parseFilter(filter);
    const hint = findIndexableEquality(ast);
    const [, candidates] = await Promise.all([this.authorized, hint ? this.candidates(hint) : this.authorized.then(() => this.store.listAll(this.accountId))]);
    const matched = candidates.filter((u) => matches(this.render(u), ast));
    return { total: matched.length, users: matched.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count) };
  }

  private parse(body: unknown): ParsedUser {
    if (!this.writes) throw new Error('UserService: this handler was not given the validator (scimRoute writes)');
    return this.writes.parseUser(body);
  }

  /** The candidates of an indexed filter: one key read before authentication at most, the rest after it. */
  private async candidates(hint: IndexHint): Promise<StoredUser[]> {
    const one = (u: StoredUser | undefined) => (u ? [u] : []);
    switch (hint.key) {
      case 'id':
        return one(await this.store.get(this.accountId, hint.value));
      case 'externalId':
        // A Query (externalId is not unique: any number of items), so it waits for authentication.
        await this.authorized;
        return this.store.findByExternalId(this.accountId, hint.value);
      case 'userName':
      case 'email':
      case 'phone':
      case 'extension': {
        const holder = await this.store.holderOf(this.accountId, hint.key, hint.value);
        if (holder === undefined) return [];
        await this.authorized;
        return one(await this.store.get(this.accountId, holder));
      }
    }
  }

  /** The first read of a write, started before its body is parsed: it goes out with authentication's read. */
  private firstRead(id: string): Promise<StoredUser> {
    const first = this.get(id);
    first.catch(() => undefined); // awaited by writeLoop; a 401 or 400 may come first
    return first;
  }

  /** Read → compute → guarded write; on a concurrent change re-read and recompute (or 412 with If-Match). */
  private async writeLoop(
    id: string,
    ifMatch: string | undefined,
    compute: (current: StoredUser) => UserData,
    first: Promise<StoredUser> = this.get(id),
  ): Promise<StoredUser> {
    for (let attempt = 1; ; attempt++) {
      const current = await (attempt === 1 ? first : this.get(id));
      checkIfMatch(current, ifMatch);
      const data = compute(current);
      // An idempotent retry from Entra (nothing changes) costs no write and keeps the ETag.
      if (sameData(current.data, data)) return current;
      try {
        return await this.store.update(current, data);
      } catch (e) {
        if (!(e instanceof VersionConflict) || attempt >= MAX_WRITE_ATTEMPTS) throw conflictToScim(e, ifMatch);
      }
    }
  }
}

/** RFC 7644 §3.14: If-Match with a list of ETags, or "*". Weak comparison (our ETags are weak). */
function checkIfMatch(user: StoredUser, ifMatch: string | undefined) {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return;
  const current = etagOf(user.meta.version);
  const tags = ifMatch.split(',').map((t) => t.trim());
  const weak = (t: string) => (t.startsWith('W/') ? t.slice(2) : t);
  if (!tags.some((t) => weak(t) === weak(current))) {
    throw preconditionFailed(`If-Match ${ifMatch} does not match the current version ${current}; fetch the user and retry.`);
  }
}

function conflictToScim(e: unknown, ifMatch: string | undefined): unknown {
  if (!(e instanceof VersionConflict)) return e;
  if (ifMatch) return preconditionFailed('The user was modified concurrently; fetch it and retry.');
  return unavailable('The user is being modified concurrently; retry shortly.');
}

/** Structural equality of two validated user documents (key order does not matter). */
function sameData(a: UserData, b: UserData): boolean {
  return sameJson(a, b);
}
