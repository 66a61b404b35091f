/**
 * A small Secrets Manager: the calls the token-hash store makes (Create/Put/Get/Delete, plus Describe), with
 * Secrets Manager's ARN shape (name plus a random 6-character suffix) and its errors. IAM authorises each call
 * on the secret's ARN; a secret that does not exist yet is authorised on the ARN it would have.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsCall, AwsError, JsonService } from './aws-endpoint';
import { ACCOUNT, PARTITION, REGION } from './template';

interface Secret {
  name: string;
  arn: string;
  value: string;
  versionId: string;
}

export class SecretsManagerService implements JsonService {
  readonly targetPrefix = 'secretsmanager';
  readonly errorTypePrefix = '';
  readonly secrets = new Map<string, Secret>();

  async calls(op: string, input: Record<string, unknown>, role: string): Promise<AwsCall[]> {
    const id = String(input.SecretId ?? input.Name ?? '');
    const arn = this.find(id)?.arn ?? (id.startsWith('arn:') ? id : `${arnPrefix()}${id}-??????`);
    return [{ role, action: `secretsmanager:${op}`, resource: arn, context: {} }];
  }

  async serve(op: string, input: Record<string, unknown>): Promise<unknown> {
    const id = String(input.SecretId ?? input.Name ?? '');
    const existing = this.find(id);
    const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    switch (op) {
      case 'CreateSecret': {
        if (existing) throw new AwsError('ResourceExistsException', `The operation failed because the secret ${id} already exists.`);
        const s = { name: id, arn: `${arnPrefix()}${id}-${randomBytes(3).toString('hex')}`, value: String(input.SecretString ?? ''), versionId: randomUUID() };
        this.secrets.set(s.arn, s);
        return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
      }
      case 'PutSecretValue': {
        if (!existing) throw notFound();
        existing.value = String(input.SecretString ?? '');
        existing.versionId = randomUUID();
        return { ARN: existing.arn, Name: existing.name, VersionId: existing.versionId, VersionStages: ['AWSCURRENT'] };
      }
      case 'GetSecretValue':
        if (!existing) throw notFound();
        return { ARN: existing.arn, Name: existing.name, VersionId: existing.versionId, SecretString: existing.value, VersionStages: ['AWSCURRENT'] };
      case 'DescribeSecret':
        if (!existing) throw notFound();
        return { ARN: existing.arn, Name: existing.name };
      case 'DeleteSecret':
        if (!existing) throw notFound();
        this.secrets.delete(existing.arn);
        return { ARN: existing.arn, Name: existing.name, DeletionDate: Date.now() / 1000 };
      default:
        throw new AwsError('InvalidRequestException', `test harness: Secrets Manager ${op} is not emulated`);
    }
  }

  /**
   * The secrets the template declares, as CloudFormation creates them: the ARN `Ref` resolves to and, for
   * GenerateSecretString, a random value of that length (the stack's log-sealing key).
   */
  seed(secrets: Array<{ arn: string; length: number }>): void {
    for (const { arn, length } of secrets) {
      const name = arn.slice(arnPrefix().length).replace(/-[^-]{6}$/, '');
      const value = randomBytes(length).toString('base64url').slice(0, length);
      this.secrets.set(arn, { name, arn, value, versionId: randomUUID() });
    }
  }

  private find(id: string): Secret | undefined {
    for (const s of this.secrets.values()) if (s.arn === id || s.name === id) return s;
    return undefined;
  }
}

function arnPrefix(): string {
  return `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:`;
}
