import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The secrets `npm start` printed, kept in the data dir so a restart prints (and accepts) the same ones: the demo
 * tenant's Secret Token, the admin token and the operator's console session. Deployed there is no such file:
 * tokens exist only in the answer that created them. Locally, re-pasting a new token into a test client at
 * every restart is friction with no security gain (whoever reads the data dir can read the store itself), so
 * the file is written owner-only and never in `--memory` mode.
 */
export interface LocalKeys {
  /** `demo.<tenant key>`: the tenant segment the token belongs to (reused only while the store still has it). */
  tenant: string;
  secretToken: string;
  adminToken: string;
  consoleSession: string;
}

const FILE = 'local-keys.json';

export async function readLocalKeys(dataDir: string): Promise<LocalKeys | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as Partial<LocalKeys>;
    const ok = (['tenant', 'secretToken', 'adminToken', 'consoleSession'] as const).every((k) => typeof parsed[k] === 'string' && parsed[k] !== '');
    return ok ? (parsed as LocalKeys) : undefined;
  } catch {
    return undefined; // missing or unreadable: new keys, as at a first start
  }
}

export async function writeLocalKeys(dataDir: string, keys: LocalKeys): Promise<void> {
  const path = join(dataDir, FILE);
  await writeFile(path, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  await chmod(path, 0o600); // writeFile's mode only applies when it creates the file
}
