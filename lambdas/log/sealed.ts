import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The provisioning log's private channel through CloudWatch Logs (issue 14, item 4). Deployed, the provisioning
 * log is built from the SCIM functions' request log lines (CloudWatch Logs → log-ingest), and those lines must not
 * show a user's values (./log-privacy.ts). So the values the account's admins may see — the userName and the
 * unmasked rule of a rejection — travel in the same line *sealed*: AES-256-GCM under a key only the SCIM functions
 * and log-ingest can read (a stack secret). Anyone reading CloudWatch sees base64url ciphertext (no `+`, no `@`, so
 * it never looks like a number or an address); log-ingest opens it and stores the plain values for the admins.
 * No I/O on the request path beyond one key read per container, begun with the request.
 */

/** The fields that are sealed: the account's own data that its admins see in the provisioning log. */
export interface PrivateLogFields {
  userName?: string;
  detail?: string;
}

const VERSION = 'v1';

/** A 32-byte key from the secret's text (any length, e.g. the stack's generated secret string). */
export const logKeyFrom = (secret: string): Buffer => createHash('sha256').update(`scimlink log key\n${secret}`).digest();

/** `v1.<iv>.<ciphertext+tag>` in base64url. */
export function seal(key: Buffer, fields: PrivateLogFields): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(fields), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The sealed fields, or undefined when the text is not ours or was not sealed with this key (never throws). */
export function unseal(key: Buffer, sealed: unknown): PrivateLogFields | undefined {
  if (typeof sealed !== 'string') return undefined;
  const [version, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText) return undefined;
  try {
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(plain) as Record<string, unknown>;
    return {
      ...(typeof parsed.userName === 'string' ? { userName: parsed.userName } : {}),
      ...(typeof parsed.detail === 'string' ? { detail: parsed.detail } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The key, read once per container and kept; a failed read is retried on the next request (the line then goes
 * out without its sealed part: the provisioning log shows the masked rule, and the request itself never fails).
 */
export function cachedLogKey(read: () => Promise<string>): () => Promise<Buffer> {
  let pending: Promise<Buffer> | undefined;
  return () => {
    if (!pending) {
      pending = read().then(logKeyFrom);
      pending.catch(() => (pending = undefined));
    }
    return pending;
  };
}
