import { unauthorized } from '../scim/errors';
import { IntegrationReader, TokenHashRecord, TokenHashStore } from './ports';
import { bearerToken, parseTenantSegment, safeEqual, tokenMatches } from './tokens';

export interface Principal {
  accountId: string;
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
    const parsed = parseTenantSegment(tenant);
    const token = bearerToken(authorization);
    if (!token) throw unauthorized();
    if (!parsed) throw unauthorized('Unknown tenant URL: copy the Tenant URL from "Generate keys" again.');
    const integration = await this.integrations.getIntegration(parsed.accountId);
    if (!integration?.tenantKey || !safeEqual(integration.tenantKey, parsed.tenantKey)) {
      throw unauthorized('This tenant URL is not valid (keys may have been regenerated or the integration removed).');
    }
    const record = await this.hashFor(parsed.accountId, integration.tenantKey);
    if (!record || !tokenMatches(token, record.hash)) {
      throw unauthorized('The Secret Token is not valid for this tenant URL (keys may have been regenerated).');
    }
    return { accountId: parsed.accountId };
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
