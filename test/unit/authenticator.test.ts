import { createHash } from 'node:crypto';
import { Authenticator } from '../../lambdas/auth/authenticator';
import { IntegrationReader, IntegrationRecord, TokenHashRecord, TokenHashStore } from '../../lambdas/auth/ports';
import {
  TOKEN_PREFIX,
  generateToken,
  hashToken,
  newAccountId,
  newTenantKey,
  parseTenantSegment,
  tenantSegment,
  tokenMatches,
} from '../../lambdas/auth/tokens';
import { ERROR_SCHEMA, ScimError } from '../../lambdas/scim/errors';

// ---- in-memory fakes of the two ports -----------------------------------------------------------------------
class FakeIntegrations implements IntegrationReader {
  readonly records = new Map<string, IntegrationRecord>();
  reads = 0;
  async getIntegration(accountId: string): Promise<IntegrationRecord | undefined> {
    this.reads++;
    const r = this.records.get(accountId);
    return r && { ...r };
  }
}

class FakeTokenHashes implements TokenHashStore {
  readonly records = new Map<string, TokenHashRecord>();
  reads = 0;
  async put(accountId: string, record: TokenHashRecord): Promise<void> {
    this.records.set(accountId, { ...record });
  }
  async get(accountId: string): Promise<TokenHashRecord | undefined> {
    this.reads++;
    const r = this.records.get(accountId);
    return r && { ...r };
  }
  async delete(accountId: string): Promise<void> {
    this.records.delete(accountId);
  }
}

const ACC = 'acc1';

/** What the admin's "Generate keys" does to the two stores: a fresh tenant key and token. */
async function generateKeys(integrations: FakeIntegrations, hashes: FakeTokenHashes, accountId = ACC, tenantKey = newTenantKey()) {
  const token = generateToken();
  await hashes.put(accountId, { tenantKey, hash: hashToken(token) });
  integrations.records.set(accountId, { accountId, addedAt: '2024-01-01T00:00:00.000Z', tenantKey, keysGeneratedAt: '2024-01-02T00:00:00.000Z' });
  return { tenant: tenantSegment(accountId, tenantKey), tenantKey, token, authorization: `Bearer ${token}` };
}

function setup(ttlMs = 60_000) {
  const integrations = new FakeIntegrations();
  const hashes = new FakeTokenHashes();
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const auth = new Authenticator(integrations, hashes, ttlMs, () => now);
  return { integrations, hashes, clock, auth };
}

async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a 401, but authentication succeeded');
}

describe('Authenticator: valid credentials', () => {
  it('returns the principal of the tenant URL', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes);

    // Act
    const principal = await auth.authenticate(keys.tenant, keys.authorization);

    // Assess
    expect(principal).toEqual({ accountId: ACC });
  });

  it.each([
    ['bearer', ''],
    ['BEARER', ''],
    ['Bearer  ', ''],
    [' Bearer', ' \t'],
  ])('accepts the scheme written %j (RFC 6750, case-insensitive) and whitespace around the token', async (scheme, trailing) => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes);

    // Act
    const principal = await auth.authenticate(keys.tenant, `${scheme} ${keys.token}${trailing}`);

    // Assess
    expect(principal).toEqual({ accountId: ACC });
  });
});

describe('Authenticator: failures are 401 SCIM errors', () => {
  type Keys = Awaited<ReturnType<typeof generateKeys>>;
  it.each<[string, (k: Keys) => [string | undefined, string | undefined]]>([
    ['wrong token', (k) => [k.tenant, `Bearer ${generateToken()}`]],
    ['token with one character changed', (k) => [k.tenant, `Bearer ${k.token.slice(0, -1)}${k.token.endsWith('A') ? 'B' : 'A'}`]],
    ['the hash sent as the token', (k) => [k.tenant, `Bearer ${hashToken(k.token)}`]],
    ['wrong tenant key', (k) => [tenantSegment(ACC, newTenantKey()), k.authorization]],
    ['another account id with the right key', (k) => [tenantSegment('acc2', k.tenantKey), k.authorization]],
    ['malformed tenant segment: no dot', (k) => [`${ACC}${k.tenantKey}`, k.authorization]],
    ['malformed tenant segment: empty account', (k) => [`.${k.tenantKey}`, k.authorization]],
    ['malformed tenant segment: empty key', () => [`${ACC}.`, `Bearer x`]],
    ['malformed tenant segment: upper-case account', (k) => [`ACC1.${k.tenantKey}`, k.authorization]],
    ['malformed tenant segment: illegal characters in key', (k) => [`${ACC}.${k.tenantKey}%2F..`, k.authorization]],
    ['missing tenant segment', (k) => [undefined, k.authorization]],
    ['missing Authorization header', (k) => [k.tenant, undefined]],
    ['empty Authorization header', (k) => [k.tenant, '']],
    ['non-Bearer scheme', (k) => [k.tenant, `Basic ${Buffer.from(`user:${k.token}`).toString('base64')}`]],
    ['token without a scheme', (k) => [k.tenant, k.token]],
    ['Bearer without a token', (k) => [k.tenant, 'Bearer ']],
    ['two tokens', (k) => [k.tenant, `Bearer ${k.token} ${k.token}`]],
    ['the scheme glued to other text', (k) => [k.tenant, `xBearer ${k.token}`]],
    ['text before the scheme', (k) => [k.tenant, `Token Bearer ${k.token}`]],
    ['the scheme without a space', (k) => [k.tenant, `Bearer${k.token}`]],
  ])('%s → 401', async (_name, request) => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes);
    const [tenant, authorization] = request(keys);

    // Act
    const e = await rejection(auth.authenticate(tenant, authorization));

    // Assess
    expect(e.status).toBe(401);
    expect(e.toBody()).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
    expect(e.detail.length).toBeGreaterThan(0);
    expect(e.detail).not.toContain(keys.token);
    expect(e.detail).not.toContain(keys.tenantKey);
  });

  it('removed integration → 401, even with the hash cached from an earlier request', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes);
    await auth.authenticate(keys.tenant, keys.authorization); // caches the hash
    integrations.records.delete(ACC);

    // Act
    const e = await rejection(auth.authenticate(keys.tenant, keys.authorization));

    // Assess
    expect(e.status).toBe(401);
  });

  it('integration added but keys never generated → 401', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    integrations.records.set(ACC, { accountId: ACC, addedAt: '2024-01-01T00:00:00.000Z' });

    // Act
    const e = await rejection(auth.authenticate(tenantSegment(ACC, newTenantKey()), `Bearer ${generateToken()}`));

    // Assess
    expect(e.status).toBe(401);
    expect(hashes.reads).toBe(0);
  });

  it('token-hash store without a record for the account → 401', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes);
    await hashes.delete(ACC);

    // Act
    const e = await rejection(auth.authenticate(keys.tenant, keys.authorization));

    // Assess
    expect(e.status).toBe(401);
  });

  it('a token-hash record of an older tenant key is never accepted', async () => {
    // Prepare: the integration moved to a new key, the secret still holds the old one (half-done rotation)
    const { integrations, hashes, auth } = setup();
    const old = await generateKeys(integrations, hashes);
    const fresh = newTenantKey();
    integrations.records.set(ACC, { accountId: ACC, addedAt: 'A', tenantKey: fresh });

    // Act
    const e = await rejection(auth.authenticate(tenantSegment(ACC, fresh), old.authorization));

    // Assess
    expect(e.status).toBe(401);
  });
});

describe('Authenticator: the shape of the tenant URL segment', () => {
  it.each<[string, string, string]>([
    ['the longest account id (64 characters)', 'a'.repeat(64), newTenantKey()],
    ['an account id with digits and hyphens', 'acme-01', newTenantKey()],
    ['the longest tenant key (128 characters)', ACC, 'K'.repeat(127) + '_'],
    ['a one-character account id and key', 'a', '-'],
  ])('accepts %s', async (_name, accountId, tenantKey) => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes, accountId, tenantKey);

    // Act
    const principal = await auth.authenticate(keys.tenant, keys.authorization);

    // Assess
    expect(principal).toEqual({ accountId });
  });

  /**
   * An account id or tenant key outside its alphabet is refused before anything is read, even when an account
   * of that odd id exists (it cannot: account ids are generated or validated by the admin API).
   */
  it.each<[string, string, string]>([
    ['an account id with an underscore before valid characters', 'ACME_acme', newTenantKey()],
    ['an account id with characters after valid ones', 'acme!!', newTenantKey()],
    ['an account id with characters before valid ones', '!!acme', newTenantKey()],
    ['an account id of 65 characters', 'a'.repeat(65), newTenantKey()],
    ['a tenant key with characters after valid ones', ACC, 'Key_-9!!'],
    ['a tenant key with characters before valid ones', ACC, '%2FKey_-9'],
    ['a tenant key of 129 characters', ACC, 'K'.repeat(129)],
  ])('refuses %s with a 401 and reads nothing', async (_name, accountId, tenantKey) => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes, accountId, tenantKey);

    // Act
    const e = await rejection(auth.authenticate(keys.tenant, keys.authorization));

    // Assess
    expect(e.status).toBe(401);
    expect(e.detail).toBe('Unknown tenant URL: copy the Tenant URL from "Generate keys" again.');
    expect(integrations.reads).toBe(0);
    expect(hashes.reads).toBe(0);
  });
});

describe('Authenticator: revocation by "Generate keys" is immediate', () => {
  it('the old URL and token fail on the very next call although the hash was cached; the new ones work', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const old = await generateKeys(integrations, hashes);
    await auth.authenticate(old.tenant, old.authorization);
    await auth.authenticate(old.tenant, old.authorization);
    expect(hashes.reads).toBe(1); // cached

    // Act
    const next = await generateKeys(integrations, hashes);
    const oldBoth = await rejection(auth.authenticate(old.tenant, old.authorization));
    const readsAfterOld = hashes.reads;
    const fresh = await auth.authenticate(next.tenant, next.authorization);
    const readsAfterFirstNew = hashes.reads;
    await auth.authenticate(next.tenant, next.authorization);
    await auth.authenticate(next.tenant, next.authorization);
    const newUrlOldToken = await rejection(auth.authenticate(next.tenant, old.authorization));
    const oldUrlNewToken = await rejection(auth.authenticate(old.tenant, next.authorization));

    // Assess
    expect(oldBoth.status).toBe(401);
    expect(readsAfterOld).toBe(1); // rejected on the tenant key alone: the stale hash is never consulted
    expect(fresh).toEqual({ accountId: ACC });
    expect(readsAfterFirstNew).toBe(2); // re-read exactly once, because the tenant key changed
    expect(newUrlOldToken.status).toBe(401);
    expect(oldUrlNewToken.status).toBe(401);
    expect(hashes.reads).toBe(2);
  });

  it('every request re-reads the integration (strongly consistent source of revocation)', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const keys = await generateKeys(integrations, hashes);

    // Act
    for (let i = 0; i < 5; i++) await auth.authenticate(keys.tenant, keys.authorization);

    // Assess
    expect(integrations.reads).toBe(5);
    expect(hashes.reads).toBe(1);
  });
});

describe('Authenticator: token-hash cache', () => {
  it('keeps a hash for five minutes by default', async () => {
    // Prepare
    const integrations = new FakeIntegrations();
    const hashes = new FakeTokenHashes();
    let now = 1_000_000;
    const auth = new Authenticator(integrations, hashes, undefined, () => now);
    const keys = await generateKeys(integrations, hashes);
    await auth.authenticate(keys.tenant, keys.authorization);

    // Act
    now += 5 * 60_000 - 1;
    await auth.authenticate(keys.tenant, keys.authorization);
    const readsJustBefore = hashes.reads;
    now += 1;
    await auth.authenticate(keys.tenant, keys.authorization);

    // Assess
    expect(readsJustBefore).toBe(1);
    expect(hashes.reads).toBe(2);
  });

  it('serves many calls within the TTL from one store read, and re-reads after the TTL', async () => {
    // Prepare
    const { integrations, hashes, clock, auth } = setup(1_000);
    const keys = await generateKeys(integrations, hashes);

    // Act
    for (let i = 0; i < 10; i++) {
      await auth.authenticate(keys.tenant, keys.authorization);
      clock.advance(99);
    }
    const readsWithinTtl = hashes.reads;
    clock.advance(10); // 1000 ms since the read
    await auth.authenticate(keys.tenant, keys.authorization);
    const readsAfterTtl = hashes.reads;
    await auth.authenticate(keys.tenant, keys.authorization);

    // Assess
    expect(readsWithinTtl).toBe(1);
    expect(readsAfterTtl).toBe(2);
    expect(hashes.reads).toBe(2); // the refreshed entry is cached again
  });

  it('a refresh after the TTL picks up a changed hash for the same tenant key', async () => {
    // Prepare
    const { integrations, hashes, clock, auth } = setup(1_000);
    const keys = await generateKeys(integrations, hashes);
    await auth.authenticate(keys.tenant, keys.authorization);
    const replacement = generateToken();
    await hashes.put(ACC, { tenantKey: keys.tenantKey, hash: hashToken(replacement) });

    // Act
    const stillCached = await auth.authenticate(keys.tenant, keys.authorization);
    clock.advance(1_000);
    const refreshed = await rejection(auth.authenticate(keys.tenant, keys.authorization));
    const replaced = await auth.authenticate(keys.tenant, `Bearer ${replacement}`);

    // Assess
    expect(stillCached).toEqual({ accountId: ACC });
    expect(refreshed.status).toBe(401);
    expect(replaced).toEqual({ accountId: ACC });
  });

  it('keeps one cache entry per account', async () => {
    // Prepare
    const { integrations, hashes, auth } = setup();
    const a = await generateKeys(integrations, hashes, 'acc1');
    const b = await generateKeys(integrations, hashes, 'acc2');

    // Act
    await auth.authenticate(a.tenant, a.authorization);
    await auth.authenticate(b.tenant, b.authorization);
    await auth.authenticate(a.tenant, a.authorization);
    await auth.authenticate(b.tenant, b.authorization);
    const crossed = await rejection(auth.authenticate(a.tenant, b.authorization));

    // Assess
    expect(hashes.reads).toBe(2);
    expect(crossed.status).toBe(401);
  });
});

describe('tokens', () => {
  it('generateToken: recognisable prefix, URL-safe, at least 256 random bits, never repeats', () => {
    // Act
    const tokens = Array.from({ length: 200 }, generateToken);

    // Assess
    for (const token of tokens) {
      expect(token.startsWith('scimlink_')).toBe(true);
      expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
      const random = token.slice('scimlink_'.length);
      expect(random).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(random.length).toBeGreaterThanOrEqual(Math.ceil(256 / 6)); // 43 base64url characters carry 258 bits
      expect(Buffer.from(random, 'base64url').length).toBeGreaterThanOrEqual(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('hashToken(%j) is the hex SHA-256', (token, expected) => {
    // Act
    const hash = hashToken(token);

    // Assess
    expect(hash).toBe(expected);
  });

  it('hashToken of a generated token is 64 lower-case hex characters equal to SHA-256 of its UTF-8 bytes', () => {
    // Prepare
    const token = generateToken();

    // Act
    const hash = hashToken(token);

    // Assess
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash('sha256').update(Buffer.from(token, 'utf8')).digest('hex'));
  });

  describe('tokenMatches', () => {
    const token = generateToken();
    const hash = hashToken(token);

    it('is true for the token itself', () => {
      // Act / Assess
      expect(tokenMatches(token, hash)).toBe(true);
    });

    it.each<[string, string]>([
      ['another generated token', generateToken()],
      ['the token with its last character changed', `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`],
      ['the token without its prefix', token.slice(TOKEN_PREFIX.length)],
      ['the token with trailing whitespace', `${token} `],
      ['the token upper-cased', token.toUpperCase()],
      ['a prefix of the token', token.slice(0, 20)],
      ['the empty string', ''],
      ['the stored hash itself', hash],
    ])('is false for %s', (_name, presented) => {
      // Act / Assess
      expect(tokenMatches(presented, hash)).toBe(false);
    });

    it.each<[string, string]>([
      ['empty', ''],
      ['not hex', 'z'.repeat(64)],
      ['truncated', hash.slice(0, 32)],
    ])('is false against a malformed stored hash (%s)', (_name, stored) => {
      // Act / Assess
      expect(tokenMatches(token, stored)).toBe(false);
    });
  });

  it('a generated account id and tenant key make a tenant URL segment the authenticator accepts', () => {
    // Act
    const ids = Array.from({ length: 50 }, () => [newAccountId(), newTenantKey()] as const);

    // Assess
    for (const [accountId, tenantKey] of ids) {
      expect(accountId).toMatch(/^[0-9a-f]{16}$/); // 64 random bits
      expect(parseTenantSegment(tenantSegment(accountId, tenantKey))).toEqual({ accountId, tenantKey });
    }
    expect(new Set(ids.map(([a]) => a)).size).toBe(ids.length);
  });

  it.each<[string, { accountId: string; tenantKey: string } | undefined]>([
    ['acc1.Key_-9', { accountId: 'acc1', tenantKey: 'Key_-9' }],
    ['acc1.a.b', undefined],
    ['acc1', undefined],
    ['', undefined],
  ])('parseTenantSegment(%j)', (segment, expected) => {
    // Act / Assess
    expect(parseTenantSegment(segment)).toEqual(expected);
  });
});
