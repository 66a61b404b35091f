import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { TokenHashRecord, TokenHashStore } from '../auth/ports';
import { unavailable } from '../scim/errors';
import { errorName, transientScimError } from './aws-errors';

/**
 * Token-hash store on AWS Secrets Manager (SPEC §2): one secret per account, named `<prefix><accountId>`, whose
 * value is `{"tenantKey": "...", "hash": "<sha256 hex>"}`. The prefix is what IAM policies are scoped to, so a
 * function can read scimlink's token hashes and nothing else.
 */
export class SecretsManagerTokenHashStore implements TokenHashStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  secretName(accountId: string) {
    return `${this.prefix}${accountId}`;
  }

  async put(accountId: string, record: TokenHashRecord): Promise<void> {
    const SecretString = JSON.stringify(record);
    const SecretId = this.secretName(accountId);
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId, SecretString }));
    } catch (e) {
      if (errorName(e) === 'InvalidRequestException') throw stillDeleting();
      if (errorName(e) !== 'ResourceNotFoundException') throw transientScimError(e) ?? e;
      try {
        await this.client.send(
          new CreateSecretCommand({ Name: SecretId, SecretString, Description: 'scimlink: SHA-256 of the Entra ID Sync secret token' }),
        );
      } catch (e2) {
        if (errorName(e2) === 'InvalidRequestException') throw stillDeleting();
        throw transientScimError(e2) ?? e2;
      }
    }
  }

  async get(accountId: string): Promise<TokenHashRecord | undefined> {
    let secret: string | undefined;
    try {
      secret = (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretName(accountId) }))).SecretString;
    } catch (e) {
      // A secret scheduled for deletion answers InvalidRequestException: treat like "no secret".
      if (errorName(e) === 'ResourceNotFoundException' || errorName(e) === 'InvalidRequestException') return undefined;
      throw transientScimError(e) ?? e;
    }
    return parseRecord(secret);
  }

  async delete(accountId: string): Promise<void> {
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: this.secretName(accountId), ForceDeleteWithoutRecovery: true }));
    } catch (e) {
      if (errorName(e) === 'ResourceNotFoundException') return;
      throw transientScimError(e) ?? e;
    }
  }

}

/**
 * Removing the integration deletes the account's secret (without recovery), which Secrets Manager completes
 * asynchronously: for a few seconds after, the name can neither be written (InvalidRequestException: "marked for
 * deletion") nor created again ("scheduled for deletion"). Re-adding the integration and generating keys in that
 * window is retryable, not a fault (issue 13, item 8).
 */
const stillDeleting = () =>
  unavailable("The account's previous secret is still being deleted by AWS Secrets Manager; generate the keys again in a minute.", 30);

/** A secret that is not our JSON (edited by hand, truncated) authorises nothing: 401, never a 500 that logs it. */
function parseRecord(secret: string | undefined): TokenHashRecord | undefined {
  let r: Partial<TokenHashRecord> | null | undefined;
  try {
    // No SecretString (a binary secret) parses as the text "undefined": not JSON, like any text that is not ours.
    r = JSON.parse(String(secret)) as Partial<TokenHashRecord> | null;
  } catch {
    // Not JSON: r stays undefined.
  }
  return r && typeof r.tenantKey === 'string' && typeof r.hash === 'string' ? { tenantKey: r.tenantKey, hash: r.hash } : undefined;
}

/** The deployed store: a Secrets Manager client from the default configuration (region, credentials). */
export const secretsManagerTokenHashStore = (prefix: string): SecretsManagerTokenHashStore =>
  new SecretsManagerTokenHashStore(new SecretsManagerClient({}), prefix);
