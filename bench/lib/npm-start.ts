import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchServer } from './child';
import { treeCpuMs } from './cpu';

/**
 * `npm start` exactly as a user runs it — the npm script (tsx, every local stand-in: the emulated stream, the
 * provisioning log, the SSE hub), the default on-disk store (LevelDB) — in a fresh data dir, on a free port.
 * Stopped like Ctrl-C in a terminal: SIGINT to its whole process group (npm, tsx and node).
 */
export async function startNpmStart(
  /** Instead of `npm start --silent --`, e.g. `node --cpu-prof --import tsx local/start.ts` to profile it. */
  command: string[] = ['npm', 'start', '--silent', '--'],
): Promise<BenchServer> {
  const root = join(__dirname, '..', '..');
  const dataDir = mkdtempSync(join(tmpdir(), 'scimlink-bench-'));
  // `--memory` keeps nothing on disk (and refuses --data-dir).
  const child = spawn(command[0] as string, [...command.slice(1), ...(command.includes('--memory') ? [] : ['--data-dir', dataDir])], {
    cwd: root,
    detached: true, // its own process group, as a terminal's foreground job
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '0' },
  });
  const pid = child.pid as number;
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const printed = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      out += s;
      const tenantUrl = /^Tenant URL: (\S+)$/m.exec(out)?.[1];
      const token = /^Secret Token: (\S+)$/m.exec(out)?.[1];
      if (tenantUrl && token && out.includes('Ctrl-C to stop.')) resolve({ tenantUrl, token });
    });
    void gone.then(() => reject(new Error(`npm start exited before printing its keys:\n${out}`)));
  });
  child.stdout.resume(); // keep draining (--events is off, but a warning must never block the server on a full pipe)
  return {
    name: 'scimlink (npm start)',
    pid,
    cpuMs: () => treeCpuMs(pid),
    tenantUrl: printed.tenantUrl as string,
    token: printed.token as string,
    seed() {
      return Promise.reject(new Error('npm start is measured over HTTP only (seed the in-process server instead)'));
    },
    async stop() {
      if (!exited) {
        process.kill(-pid, 'SIGINT');
        const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 20_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
