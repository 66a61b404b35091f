/** The one decision of the run: pass only when every step Entra relies on passed; the exit code follows. */
import type { RunResult } from './engine';

export type Verdict = 'pass' | 'fail' | 'interrupted';

export interface Tally {
  pass: number;
  fail: number;
  warn: number;
  skip: number;
}

export function tally(run: RunResult): Tally {
  const t: Tally = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const o of run.outcomes) t[o.result] += 1;
  return t;
}

export function verdictOf(run: RunResult): Verdict {
  if (run.interrupted) return 'interrupted';
  // A skipped critical step is a fail too: something before it failed (usually already counted), and the
  // check could not show that Entra would be happy.
  return run.outcomes.some((o) => o.critical && (o.result === 'fail' || o.result === 'skip')) ? 'fail' : 'pass';
}

/** 0 pass, 1 fail, 130 interrupted (the shell's convention for Ctrl-C). Usage errors exit 2 before any run. */
export function exitCodeOf(verdict: Verdict): number {
  return verdict === 'pass' ? 0 : verdict === 'interrupted' ? 130 : 1;
}
