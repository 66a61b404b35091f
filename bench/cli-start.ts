/**
 * Start-up of one CLI command (`scimlink accounts --help`: parsing and output, no network), wall time of a fresh
 * `node` process: the installable bundle (cli/build.ts, what `npm i -g` installs) next to the checkout's
 * tsx-compiled bin.cjs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../cli/build';
import { median, msSince, round } from './lib/stats';

export interface CliStartResult {
  runs: number;
  bundleBytes: number;
  bundledMsMedian: number;
  checkoutMsMedian: number;
}

export function measureCliStart(runs: number): CliStartResult {
  const dir = mkdtempSync(join(tmpdir(), 'scimlink-cli-bench-'));
  try {
    const { bundle, bytes } = buildCli(dir);
    const time = (args: string[]) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        execFileSync(process.execPath, [...args, 'accounts', '--help'], { stdio: 'ignore' });
        samples.push(msSince(t));
      }
      return round(median(samples));
    };
    return { runs, bundleBytes: bytes, bundledMsMedian: time([bundle]), checkoutMsMedian: time([join(__dirname, '..', 'cli', 'bin.cjs')]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
