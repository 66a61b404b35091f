import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { TokenHashRecord, TokenHashStore } from '../lambdas/auth/ports';

/**
 * The local stand-in for Secrets Manager (`npm start`): token hashes in one JSON file (or only in memory).
 * Writes go to a temp file then rename, so a crash never leaves a torn file.
 */
export class FileTokenHashStore implements TokenHashStore {
  private records: Record<string, TokenHashRecord>;

  constructor(private readonly file?: string) {
    this.records = {};
    if (file) {
      try {
        this.records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, TokenHashRecord>;
      } catch {
        this.records = {};
      }
    }
  }

  async put(accountId: string, record: TokenHashRecord): Promise<void> {
    this.records = { ...this.records, [accountId]: record };
    this.flush();
  }

  async get(accountId: string): Promise<TokenHashRecord | undefined> {
    return Object.hasOwn(this.records, accountId) ? this.records[accountId] : undefined;
  }

  async delete(accountId: string): Promise<void> {
    const { [accountId]: _gone, ...rest } = this.records;
    this.records = rest;
    this.flush();
  }

  private flush() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.records), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
