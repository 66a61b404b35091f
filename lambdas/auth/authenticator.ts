import { unauthorized } from '../scim/errors';
import { IntegrationReader, TokenHashRecord, TokenHashStore } from './ports';
import { bearerToken, parseTenantSegment, safeEqual, tokenMatches } from './tokens';

export interface Principal {
  accountId: string;
}

/** What a request presents: the tenant URL's account and key, and the bearer token. */
export interface Credentials {
  accountId: string;
  tenantKey: string;
  token: string;
}

/**
 * The credentials a request presents, or 401 at once. Synchronous and read-free: a request without a token or
 * with a malformed tenant URL is refused before anything is read for it.
 */
export function credentials(tenant: string | undefined, authorization: string | undefined): Credentials {
  const token = bearerToken(authorization);
  if (!token) throw unauthorized();
  const parsed = parseTenantSegment(tenant);
  if (!parsed) throw unauthorized('Unknown tenant URL: copy the Tenant URL from "Generate keys" again.');
  return { ...parsed, token };
}

/**
 * Bearer authentication of a SCIM request (SPEC §2/§3).
 *
 * Revocation is immediate by construction: every request reads the integration item (strongly consistent), and
 * only the tenant key recorded there is accepted. The token hash (Secrets Manager: slow, billed per call) is
 * cached per account, but a cached hash is used only while its tenant key equals the one in the integration
 * item just read — so after "Generate keys" the old URL fails at the first check and the old hash is never
 * consulted again.
 */
export class Authenticator {
  private readonly cache = new Map<string, { record: TokenHashRecord; at: number }>();

  constructor(
    private readonly integrations: IntegrationReader,
    private readonly tokenHashes: TokenHashStore,
    private readonly cacheTtlMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async authenticate(tenant: string | undefined, authorization: string | undefined): Promise<Principal> {
    return this.verify(credentials(tenant, authorization));
  }

  /** Checks presented credentials against the integration item (one consistent read) and the token hash. */
  async verify({ accountId, tenantKey, token }: Credentials): Promise<Principal> {
    const integration = await this.integrations.getIntegration(accountId);
    if (!integration?.tenantKey || !safeEqual(integration.tenantKey, tenantKey)) {
      throw unauthorized('This tenant URL is not valid (keys may have been regenerated or the integration removed).');
    }
    const record = await this.hashFor(accountId, integration.tenantKey);
    if (!record || !tokenMatches(token, record.hash)) {
      throw unauthorized('The Secret Token is not valid for this tenant URL (keys may have been regenerated).');
    }
    return { accountId };
  }

  private async hashFor(accountId: string, tenantKey: string): Promise<TokenHashRecord | undefined> {
    const hit = this.cache.get(accountId);
    if (hit && hit.record.tenantKey === tenantKey && this.clock() - hit.at < this.cacheTtlMs) return hit.record;
    const record = await this.tokenHashes.get(accountId);
    if (record?.tenantKey !== tenantKey) {
      this.cache.delete(accountId);
      return undefined;
    }
    this.cache.set(accountId, { record, at: this.clock() });
    return record;
  }
}
