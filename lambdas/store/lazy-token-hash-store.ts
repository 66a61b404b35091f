import type { TokenHashRecord, TokenHashStore } from '../auth/ports';

/**
 * A TokenHashStore whose implementation is loaded on first use. The deployed one wraps the Secrets Manager
 * client, which a SCIM handler only calls when its token-hash cache misses (a new container, a key change, or
 * every 5 minutes) and most admin handlers never call: required on first use, its modules are not evaluated
 * when Lambda initialises the function (esbuild still bundles them, as lazily initialised modules).
 * A failed load is retried on the next call.
 */
export class LazyTokenHashStore implements TokenHashStore {
  private loading: Promise<TokenHashStore> | undefined;

  constructor(private readonly load: () => Promise<TokenHashStore>) {}

  async get(accountId: string): Promise<TokenHashRecord | undefined> {
    return (await this.store()).get(accountId);
  }

  async put(accountId: string, record: TokenHashRecord): Promise<void> {
    return (await this.store()).put(accountId, record);
  }

  async delete(accountId: string): Promise<void> {
    return (await this.store()).delete(accountId);
  }

  private store(): Promise<TokenHashStore> {
    if (!this.loading) {
      this.loading = this.load();
      this.loading.catch(() => (this.loading = undefined));
    }
    return this.loading;
  }
}

/** The deployed token-hash store (Secrets Manager, secrets named `<prefix><accountId>`), loaded on first use. */
export const lazySecretsManagerTokenHashStore = (prefix: string): TokenHashStore =>
  new LazyTokenHashStore(async () => {
    // `require`, not `import()`: the same lazy evaluation in the esbuild bundle, and no ESM file-extension rules.
    const secrets = require('./secrets-token-hash-store') as typeof import('./secrets-token-hash-store');
    return secrets.secretsManagerTokenHashStore(prefix);
  });
