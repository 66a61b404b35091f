import { cachedLogKey } from '../log/sealed';

/**
 * The provisioning log's sealing key, read from the stack's log-key secret (Secrets Manager) once per container.
 * The Secrets Manager client is required on first use, as the token-hash store does (not evaluated at cold start).
 */
export const secretsManagerLogKey = (secretId: string): (() => Promise<Buffer>) =>
  cachedLogKey(async () => {
    const { GetSecretValueCommand, SecretsManagerClient } = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!out.SecretString) throw new Error('the log-key secret has no string value');
    return out.SecretString;
  });
