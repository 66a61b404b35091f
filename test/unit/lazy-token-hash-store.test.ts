import type { TokenHashRecord, TokenHashStore } from '../../lambdas/auth/ports';
import 'aws-sdk-client-mock-jest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { LazyTokenHashStore, lazySecretsManagerTokenHashStore } from '../../lambdas/store/lazy-token-hash-store';
import { caught } from '../support/caught';
// Loaded here, outside any test: otherwise the store's first use below is where its modules load, and mutation
// testing credits their module-level tables (aws-errors' error names) to that one test, runs only it against a
// mutated table, and reports a survivor that test/unit/aws-errors.test.ts would kill. Loaded here, they are static
// mutants, run against every related test.
import '../../lambdas/store/secrets-token-hash-store';

/** A token-hash store in memory that counts how often it was loaded. */
function loader(failures = 0) {
  const records = new Map<string, TokenHashRecord>();
  const inner: TokenHashStore = {
    get: async (id) => records.get(id),
    put: async (id, r) => void records.set(id, r),
    delete: async (id) => void records.delete(id),
  };
  const state = { loads: 0 };
  const load = async () => {
    state.loads += 1;
    if (state.loads <= failures) throw new Error(`load ${state.loads} failed`);
    return inner;
  };
  return { load, state, records };
}

describe('LazyTokenHashStore: the real store is loaded on first use, once, and again after a failed load', () => {
  it('loads nothing until called, then once for every later call; put/get/delete reach the loaded store', async () => {
    const { load, state, records } = loader();
    const store = new LazyTokenHashStore(load);
    expect(state.loads).toBe(0);

    await store.put('acme', { tenantKey: 'K', hash: 'h' });
    expect(records.get('acme')).toEqual({ tenantKey: 'K', hash: 'h' });
    expect(await store.get('acme')).toEqual({ tenantKey: 'K', hash: 'h' });
    await store.delete('acme');
    expect(await store.get('acme')).toBeUndefined();

    expect(state.loads).toBe(1);
  });

  it('a failed load fails that call and is retried by the next one', async () => {
    const { load, state } = loader(1);
    const store = new LazyTokenHashStore(load);

    expect(((await caught(store.get('acme'))) as Error).message).toBe('load 1 failed');
    await expect(store.get('acme')).resolves.toBeUndefined();
    await expect(store.get('acme')).resolves.toBeUndefined();

    expect(state.loads).toBe(2);
  });

  it('concurrent first calls share one load', async () => {
    const { load, state } = loader();
    const store = new LazyTokenHashStore(load);
    await Promise.all([store.get('a'), store.get('b'), store.delete('c')]);
    expect(state.loads).toBe(1);
  });
});

describe('lazySecretsManagerTokenHashStore: the deployed store, loaded on first use', () => {
  it('reads the token hash from the secret <prefix><accountId> in Secrets Manager', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ tenantKey: 'K', hash: 'h' }) });

    const store = lazySecretsManagerTokenHashStore('scimlink/token-hash/');

    expect(sm).not.toHaveReceivedCommand(GetSecretValueCommand);
    expect(await store.get('acme')).toEqual({ tenantKey: 'K', hash: 'h' });
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'scimlink/token-hash/acme' });
    sm.restore();
  });
});
