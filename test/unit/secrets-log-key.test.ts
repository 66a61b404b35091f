/**
 * The provisioning log's sealing key from the stack's log-key secret (lambdas/store/secrets-log-key.ts), on a mocked
 * Secrets Manager client: the secret named by the stack is read, the key is derived from its text, and a secret
 * without a string value is an error (the log line then goes out without its sealed part), never an empty key.
 */
import 'aws-sdk-client-mock-jest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { logKeyFrom, seal, unseal } from '../../lambdas/log/sealed';
import { secretsManagerLogKey } from '../../lambdas/store/secrets-log-key';
import { caught } from '../support/caught';

const sm = mockClient(SecretsManagerClient);

beforeEach(() => sm.reset());

describe('secretsManagerLogKey', () => {
  it('reads the named secret and derives the key from its text: what one function seals, another with the same secret opens', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'generated-secret' });

    const key = await secretsManagerLogKey('arn:aws:secretsmanager:eu-west-1:1:secret:log-key')();

    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:log-key' });
    expect(key.equals(logKeyFrom('generated-secret'))).toBe(true);
    expect(unseal(logKeyFrom('generated-secret'), seal(key, { userName: 'ann@acme.com' }))).toEqual({ userName: 'ann@acme.com' });
  });

  it('a secret without a string value (binary, or empty) → an error naming it, and the next call reads again', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretBinary: new Uint8Array([1, 2]) }).resolves({ SecretString: 's' });
    const key = secretsManagerLogKey('log-key');

    const e = await caught(key());
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toBe('the log-key secret has no string value');

    expect((await key()).equals(logKeyFrom('s'))).toBe(true);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
  });

  it('an empty string value is refused too: an empty secret would make a key anyone can compute', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '' });
    expect(((await caught(secretsManagerLogKey('log-key')())) as Error).message).toBe('the log-key secret has no string value');
  });
});
