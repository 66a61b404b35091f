/**
 * A small asynchronous readers–writer lock.
 *
 * Why it exists: the local DynamoDB (dynalite) has no transactions, so
 * `local/dynamo/transactions.ts` emulates `TransactWriteItems` as a sequence of
 * single-item writes plus a compensating rollback. That sequence is only atomic
 * to observers if nothing else can read or write the store while it runs. Reads
 * take this lock shared, writes and transactions take it exclusive.
 *
 * Semantics:
 * - many readers may hold the lock together, or exactly one writer;
 * - grants are strictly FIFO: once a writer is queued, readers that arrive
 *   after it wait behind it (so a steady stream of readers cannot starve a
 *   writer), and consecutive queued readers are admitted together;
 * - the lock is not re-entrant: a holder that asks for it again waits on itself.
 *   Callers must therefore never acquire it while already holding it (the
 *   transaction emulator does its inner I/O on a client without the lock);
 * - every grant returns a `release` function; calling it more than once is a
 *   no-op, so a double release in an error path cannot corrupt the counts.
 */
export type Release = () => void;

type Waiter = { kind: 'read' | 'write'; grant: (release: Release) => void };

export class RwLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  /** Resolves with a release function once the lock is held shared. */
  acquireRead(): Promise<Release> {
    return this.enqueue('read');
  }

  /** Resolves with a release function once the lock is held exclusively. */
  acquireWrite(): Promise<Release> {
    return this.enqueue('write');
  }

  /** Runs `fn` holding the lock shared; releases it however `fn` ends. */
  async withRead<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquireRead();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Runs `fn` holding the lock exclusively; releases it however `fn` ends. */
  async withWrite<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquireWrite();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** A snapshot of the lock's state, for diagnostics and tests. */
  get state(): { readers: number; writer: boolean; waiting: number } {
    return { readers: this.readers, writer: this.writer, waiting: this.queue.length };
  }

  private enqueue(kind: Waiter['kind']): Promise<Release> {
    return new Promise<Release>((resolve) => {
      this.queue.push({ kind, grant: resolve });
      this.dispatch();
    });
  }

  /** Grants the lock to the head of the queue for as long as FIFO order allows. */
  private dispatch(): void {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined || this.writer) return;
      if (head.kind === 'write') {
        if (this.readers > 0) return;
        this.queue.shift();
        this.writer = true;
        head.grant(this.once(() => {
          this.writer = false;
        }));
        return;
      }
      this.queue.shift();
      this.readers += 1;
      head.grant(this.once(() => {
        this.readers -= 1;
      }));
    }
  }

  private once(onRelease: () => void): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      onRelease();
      this.dispatch();
    };
  }
}
