import 'aws-sdk-client-mock-jest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ScimError } from '../../lambdas/scim/errors';
import { SecretsManagerTokenHashStore, secretsManagerTokenHashStore } from '../../lambdas/store/secrets-token-hash-store';
import { caught } from '../support/caught';

const PREFIX = 'scimlink/token-hash/';
const NAME = `${PREFIX}acc1`;
const RECORD = { tenantKey: 'K1', hash: 'a'.repeat(64) };

const sm = mockClient(SecretsManagerClient);
const store = () => new SecretsManagerTokenHashStore(new SecretsManagerClient({ region: 'us-east-1' }), PREFIX);

const notFound = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
const invalidRequest = () =>
  new InvalidRequestException({ message: 'You can\'t perform this operation on the secret because it was marked for deletion.', $metadata: {} });
const throttling = () =>
  new SecretsManagerServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {}, message: 'Rate exceeded' });


beforeEach(() => {
  sm.reset();
});

describe('put', () => {
  it('overwrites the secret value with PutSecretValue (JSON of tenantKey and hash)', async () => {
    // Prepare
    sm.on(PutSecretValueCommand).resolves({});

    // Act
    await store().put('acc1', RECORD);

    // Assess
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
    expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, { SecretId: NAME });
    const sent = sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.SecretString;
    expect(JSON.parse(String(sent))).toEqual(RECORD);
    expect(sm).not.toHaveReceivedCommand(CreateSecretCommand);
  });

  it('falls back to CreateSecret named <prefix><accountId> when the secret does not exist yet', async () => {
    // Prepare
    sm.on(PutSecretValueCommand).rejects(notFound());
    sm.on(CreateSecretCommand).resolves({});

    // Act
    await store().put('acc1', RECORD);

    // Assess
    expect(sm).toHaveReceivedCommandTimes(CreateSecretCommand, 1);
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { Name: NAME, Description: 'scimlink: SHA-256 of the Entra ID Sync secret token' });
    const sent = sm.commandCalls(CreateSecretCommand)[0]?.args[0].input.SecretString;
    expect(JSON.parse(String(sent))).toEqual(RECORD);
  });

  it.each<[string, 'PutSecretValue' | 'CreateSecret']>([
    ['PutSecretValue', 'PutSecretValue'],
    ['CreateSecret', 'CreateSecret'],
  ])('throttling on %s → 429 ScimError with Retry-After', async (_name, where) => {
    // Prepare
    if (where === 'PutSecretValue') sm.on(PutSecretValueCommand).rejects(throttling());
    else {
      sm.on(PutSecretValueCommand).rejects(notFound());
      sm.on(CreateSecretCommand).rejects(throttling());
    }

    // Act
    const e = await caught(store().put('acc1', RECORD));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
    expect((e as ScimError).headers['Retry-After']).toBeDefined();
  });

  it.each([
    ['the old secret is marked for deletion (PutSecretValue refused)', () => sm.on(PutSecretValueCommand).rejects(invalidRequest())],
    [
      'the old secret is still scheduled for deletion (gone for PutSecretValue, CreateSecret refused)',
      () => {
        sm.on(PutSecretValueCommand).rejects(notFound());
        sm.on(CreateSecretCommand).rejects(
          new InvalidRequestException({ message: "You can't create this secret because a secret with this name is already scheduled for deletion.", $metadata: {} }),
        );
      },
    ],
  ])('re-adding the integration while %s → 503 with Retry-After, never a 500 (issue 13, item 8)', async (_name, prepare) => {
    // Prepare
    prepare();

    // Act
    const e = await caught(store().put('acc1', RECORD));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(503);
    expect((e as ScimError).headers['Retry-After']).toBe('30');
    expect((e as ScimError).detail).toMatch(/still being deleted.*generate the keys again/);
  });
});

describe('get', () => {
  it('reads <prefix><accountId> and parses the JSON record', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ...RECORD, extra: 'ignored' }) });

    // Act
    const record = await store().get('acc1');

    // Assess
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: NAME });
    expect(record).toEqual(RECORD);
  });

  it.each<[string, () => Error]>([
    ['ResourceNotFoundException', notFound],
    ['InvalidRequestException (scheduled for deletion)', invalidRequest],
  ])('returns undefined on %s', async (_name, error) => {
    // Prepare
    sm.on(GetSecretValueCommand).rejects(error());

    // Act
    const record = await store().get('acc1');

    // Assess
    expect(record).toBeUndefined();
  });

  it.each<[string, string | undefined]>([
    ['no SecretString', undefined],
    ['wrong shape', '{"tenantKey":"K1"}'],
    ['non-string hash', '{"tenantKey":"K1","hash":42}'],
    ['non-string tenantKey', '{"tenantKey":7,"hash":"h"}'],
    ['a JSON string', '"K1"'],
    ['malformed JSON (a hand-edited secret)', 'not json {'],
    ['JSON null', 'null'],
  ])('returns undefined for a value that is not a record: %s', async (_name, SecretString) => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves(SecretString === undefined ? {} : { SecretString });

    // Act
    const record = await store().get('acc1');

    // Assess
    expect(record).toBeUndefined();
  });

  it('throttling → 429 ScimError', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).rejects(throttling());

    // Act
    const e = await caught(store().get('acc1'));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
  });
});

describe('delete', () => {
  it('deletes <prefix><accountId> with ForceDeleteWithoutRecovery (no recovery window that blocks a new secret)', async () => {
    // Prepare
    sm.on(DeleteSecretCommand).resolves({});

    // Act
    await store().delete('acc1');

    // Assess
    expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: NAME, ForceDeleteWithoutRecovery: true });
  });

  it('ignores ResourceNotFoundException', async () => {
    // Prepare
    sm.on(DeleteSecretCommand).rejects(notFound());

    // Act
    const result = store().delete('acc1');

    // Assess
    await expect(result).resolves.toBeUndefined();
    expect(sm).toHaveReceivedCommandTimes(DeleteSecretCommand, 1);
  });

  it('throttling → 429 ScimError', async () => {
    // Prepare
    sm.on(DeleteSecretCommand).rejects(throttling());

    // Act
    const e = await caught(store().delete('acc1'));

    // Assess
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(429);
  });
});

describe('the deployed store', () => {
  it('reads the secrets named <prefix><accountId> and answers only tenantKey and hash', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ ...RECORD, note: 'edited by hand' }) });

    const deployed = secretsManagerTokenHashStore(PREFIX);

    expect(deployed).toBeInstanceOf(SecretsManagerTokenHashStore);
    expect(await deployed.get('acc1')).toEqual(RECORD);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: NAME });
  });
});
