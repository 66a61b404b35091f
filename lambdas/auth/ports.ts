/** What the token-hash store keeps per account: the current tenant key and the hash of its token. */
export interface TokenHashRecord {
  tenantKey: string;
  /** hex SHA-256 of the secret token */
  hash: string;
}

/**
 * Port for the token hash (SPEC §2: Secrets Manager when deployed; a local file for `npm start`).
 * One secret per account, overwritten by each key generation.
 */
export interface TokenHashStore {
  put(accountId: string, record: TokenHashRecord): Promise<void>;
  get(accountId: string): Promise<TokenHashRecord | undefined>;
  delete(accountId: string): Promise<void>;
}

/** The account's Entra ID Sync integration as the auth path needs it. */
export interface IntegrationRecord {
  accountId: string;
  addedAt: string;
  tenantKey?: string;
  keysGeneratedAt?: string;
  lastRequestAt?: string;
}

export interface IntegrationReader {
  /** Strongly consistent: this read is what makes a revocation effective on the very next request. */
  getIntegration(accountId: string): Promise<IntegrationRecord | undefined>;
}
