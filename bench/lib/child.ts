import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** Messages a bench server child sends to the bench (over the IPC channel). */
export type ChildMessage =
  | { type: 'ready'; name: string; tenantUrl: string; token: string }
  | { type: 'seeded'; total: number; ms: number; sample: Array<{ id: string; userName: string }> }
  | { type: 'error'; message: string };

/** Messages the bench sends: seed users [from, to) directly into the server's store; stop. */
export type ParentMessage = { type: 'seed'; from: number; to: number; sampleSize: number } | { type: 'stop' };

export interface BenchServer {
  name: string;
  /** The server's process id (bench/cycle.ts reads its CPU time). */
  pid: number;
  /** CPU ms the server has used so far, when it is more than process `pid` (default: that process's, from /proc). */
  cpuMs?: () => number | undefined;
  tenantUrl: string;
  token: string;
  /** Seeds users `from`…`to - 1` (bench/lib/users `userBody('seed', 0, i)`) straight into the store. */
  seed(from: number, to: number, sampleSize: number): Promise<Extract<ChildMessage, { type: 'seeded' }>>;
  stop(): Promise<void>;
}

/**
 * Runs a SCIM server in its own Node process, so the load generator (this process) and the server each get a
 * core of this 2-core machine instead of sharing one event loop. `script` is relative to bench/servers.
 */
export async function startServerProcess(script: string, args: string[] = []): Promise<BenchServer> {
  const file = join(__dirname, '..', 'servers', script);
  const execArgv = [...(file.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const child = fork(file, args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const ready = await next(child, 'ready');
  let exited = false;
  child.once('exit', () => (exited = true));
  return {
    name: ready.name,
    pid: child.pid ?? 0,
    tenantUrl: ready.tenantUrl,
    token: ready.token,
    async seed(from, to, sampleSize) {
      child.send({ type: 'seed', from, to, sampleSize } satisfies ParentMessage);
      return next(child, 'seeded');
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

function next<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type === type) {
        cleanup();
        resolve(m as Extract<ChildMessage, { type: T }>);
      } else if (m.type === 'error') {
        cleanup();
        reject(new Error(m.message));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`bench server exited (code ${code}) before '${type}'`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
