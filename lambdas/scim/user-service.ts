import { notFound, preconditionFailed, tooMany, unavailable } from './errors';
import { FilterNode, IndexHint, MAX_FILTER_SCAN, findIndexableEquality, matches, parseFilter, scanBudget } from './filter';
import { UserStore, VersionConflict } from './ports';
import { StoredUser, UserData, etagOf, toScimResource } from './user';
import type { ParsedUser } from './validate';
import { sameJson } from './canonical-json';
import { Paging, decodeCursor } from './list-response';

/** How many times a PUT/PATCH/DELETE without If-Match re-reads and re-applies after a concurrent change. */
const MAX_WRITE_ATTEMPTS = 5;

/** A page of GET /Users: `total` unless unknown (a cursor page of a non-indexed filter); `next`: the user to continue after. */
export interface QueryResult {
  total?: number;
  users: StoredUser[];
  next?: string;
}

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
    }, first);
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
   * GET /Users with optional filter (RFC 7644 §3.4.2), by index or by cursor (RFC 9865). Filters with an equality
   * on a unique or indexed attribute (everything Entra sends) fetch their candidates by key, strongly
   * consistently; any other filter is evaluated over a bounded part of the account (`evaluate`).
   */
  async query(filter: string | undefined, paging: Paging): Promise<QueryResult> {
    if (filter === undefined || filter.trim() === '') {
      await this.authorized;
      if (paging.cursor === undefined) return this.store.list(this.accountId, paging.startIndex, paging.count);
      const [total, page] = await Promise.all([this.store.count(this.accountId), this.store.page(this.accountId, decodeCursor(paging.cursor), paging.count)]);
      return { total, ...page };
    }
    const ast = parseFilter(filter);
    const hint = findIndexableEquality(ast);
    if (!hint) {
      await this.authorized;
      return this.evaluate(ast, paging);
    }
    const [, candidates] = await Promise.all([this.authorized, this.candidates(hint)]);
    const matched = candidates.filter((u) => matches(this.render(u), ast));
    // A key lookup finds a handful of users: one page whatever the paging (a cursor page without nextCursor).
    const from = paging.cursor === undefined ? paging.startIndex - 1 : 0;
    return { total: matched.length, users: matched.slice(from, from + paging.count) };
  }

  /**
   * A filter no key answers, evaluated on at most `scanBudget(filter)` users per request (issue 13): index paging
   * needs every match (for totalResults), so it is answered only for accounts within the budget and is otherwise a
   * 400 tooMany that names the filters answered by key; cursor paging evaluates the next `budget` users per page,
   * however large the account (a page may then hold fewer than `count` matches, even none, and go on).
   */
  private async evaluate(filter: FilterNode, paging: Paging): Promise<QueryResult> {
    const budget = scanBudget(filter);
    const match = (u: StoredUser) => matches(this.render(u), filter);
    if (paging.cursor === undefined) {
      if ((await this.store.count(this.accountId)) > budget) throw tooManyToEvaluate(budget);
      const { users } = await this.store.page(this.accountId, undefined, budget + 1);
      if (users.length > budget) throw tooManyToEvaluate(budget); // users created since the count
      const matched = users.filter(match);
      return { total: matched.length, users: matched.slice(paging.startIndex - 1, paging.startIndex - 1 + paging.count) };
    }
    const chunk = await this.store.page(this.accountId, decodeCursor(paging.cursor), budget);
    const users: StoredUser[] = [];
    for (const [i, user] of chunk.users.entries()) {
      if (!match(user)) continue;
      users.push(user);
      if (users.length === paging.count) return { users, next: i < chunk.users.length - 1 || chunk.next ? user.id : undefined };
    }
    return { users, next: chunk.next };
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
        return this.sharingExternalId(hint.value);
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

  /** externalId is not unique (SPEC §4), so the users sharing one are bounded like a scan. */
  private async sharingExternalId(externalId: string): Promise<StoredUser[]> {
    const users = await this.store.findByExternalId(this.accountId, externalId, MAX_FILTER_SCAN + 1);
    if (users.length > MAX_FILTER_SCAN) {
      throw tooMany(`More than ${MAX_FILTER_SCAN} users share this externalId; narrow the filter with "and userName eq …" or page with cursors (RFC 9865).`);
    }
    return users;
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

const tooManyToEvaluate = (budget: number) =>
  tooMany(
    `This filter is not answered by a key lookup, and this directory has more users than the ${budget} such a filter is evaluated on per request. ` +
      'Filters answered by key work at any size: userName eq, externalId eq, id eq, emails[type eq "work"].value eq (also emails.value, phoneNumbers.value and the extension with eq, alone or joined by "and"). ' +
      "To evaluate this filter over the whole directory, page with cursors (RFC 9865): send cursor= (empty), then each response's nextCursor.",
  );

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
