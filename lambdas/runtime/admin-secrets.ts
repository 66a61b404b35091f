import { lazySecretsManagerTokenHashStore } from '../store/lazy-token-hash-store';
import { useTokenHashStore } from './admin-deps';

/**
 * Side-effect import for the admin handlers that read or write token hashes (keys generate, integration
 * remove): gives them the Secrets Manager store. The others leave it out of their bundle.
 */
useTokenHashStore(lazySecretsManagerTokenHashStore);
