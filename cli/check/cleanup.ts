/**
 * Removes every throw-away user, whatever happened before: a failed step, an answer lost in a timeout, Ctrl-C.
 * A userName is registered *before* its POST is sent, so a user the server wrote but whose answer never arrived
 * (a 500 after the write, a dropped connection) is still found — by that exact userName — and deleted. Only
 * users whose userName carries this run's prefix are ever deleted.
 */
import type { ScimClient } from './http';
import { resources } from './expect';
import type { CleanupRegistry } from './types';

export interface LeftBehind {
  userName: string;
  id?: string;
  reason: string;
}

export interface CleanupReport {
  removed: Array<{ id: string; userName: string }>;
  leftBehind: LeftBehind[];
}

export class Cleanup implements CleanupRegistry {
  /** Every user this run tried to create, by exact userName (two may differ only in case: the uniqueness step). */
  private readonly users: Array<{ userName: string; id?: string }> = [];

  constructor(private readonly prefix: string) {}

  /** Call before sending the POST. */
  expect(userName: string): void {
    if (!this.users.some((u) => u.userName === userName)) this.users.push({ userName });
  }

  created(userName: string, id: string): void {
    const entry = this.users.find((u) => u.userName === userName && u.id === undefined);
    if (entry) entry.id = id;
    else this.users.push({ userName, id });
  }

  /** The step that deleted it already (a later 404 is then expected, not a leftover). */
  deleted(id: string): void {
    const i = this.users.findIndex((u) => u.id === id);
    if (i >= 0) this.users.splice(i, 1);
  }

  get pending(): number {
    return this.users.length;
  }

  async run(client: ScimClient, signal: AbortSignal): Promise<CleanupReport> {
    const report: CleanupReport = { removed: [], leftBehind: [] };
    const done = new Set<string>();
    for (const { userName, id: knownId } of this.users) {
      try {
        await this.remove(client, userName, knownId, done, report, signal);
      } catch (e) {
        // Only an abort (the cleanup deadline) gets here: say which users may remain.
        report.leftBehind.push({ userName, ...(knownId ? { id: knownId } : {}), reason: `cleanup stopped: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    this.users.length = 0;
    return report;
  }

  private async remove(client: ScimClient, userName: string, knownId: string | undefined, done: Set<string>, report: CleanupReport, signal: AbortSignal) {
    const found = await this.find(client, userName, signal);
    // Lookups can fail (the endpoint is what is being checked); the id from the create answer still works.
    const ids = new Set([...(knownId ? [knownId] : []), ...(found ?? [])]);
    for (const id of ids) {
      if (done.has(id)) continue;
      done.add(id);
      const del = await client.send('DELETE', `/Users/${encodeURIComponent(id)}`, undefined, signal);
      // 404: already gone (never written, or removed under another userName entry).
      if (del.answer.status === 200 || del.answer.status === 204) report.removed.push({ id, userName });
      else if (del.answer.status !== 404) {
        report.leftBehind.push({ userName, id, reason: del.answer.status === 0 ? `DELETE got no answer (${del.answer.body})` : `DELETE answered ${del.answer.status}` });
      }
    }
    if (found === undefined && !knownId) {
      report.leftBehind.push({ userName, reason: 'it could not be looked up by userName; check whether it exists' });
    }
  }

  /** Ids of users with this userName (any case); the run's prefix guards against touching anyone else's. */
  private async find(client: ScimClient, userName: string, signal: AbortSignal): Promise<string[] | undefined> {
    const wanted = userName.toLowerCase();
    if (!wanted.startsWith(this.prefix.toLowerCase())) return [];
    const ex = await client.send('GET', `/Users?filter=userName+eq+%22${encodeURIComponent(userName)}%22`, undefined, signal);
    const list = ex.answer.status === 200 ? resources(ex) : undefined;
    if (!list) return undefined;
    return list
      .filter((r) => typeof r.userName === 'string' && r.userName.toLowerCase() === wanted && typeof r.id === 'string')
      .map((r) => r.id as string);
  }
}
