import type { IncomingMessage } from 'node:http';

/** The whole request body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** AWS-style wildcard match: `*` any run of characters, `?` one (ARNs, IAM actions, source ARNs). */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split(/([*?])/)
    .map((p) => (p === '*' ? '.*' : p === '?' ? '.' : p.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
