/**
 * What a person reads: one line per step as it finishes (a failure or warning followed by its request, answer
 * and Entra's reaction), then the cleanup and a one-line verdict. Each step is printed once. `toJson` is the
 * same run for programs.
 */
import type { RunResult } from './engine';
import type { Failure, StepOutcome, StepResult } from './types';
import { Tally, Verdict, tally } from './verdict';

const LABEL: Record<StepResult, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

export function header(tenantUrl: string, prefix: string, mode: 'write' | 'read-only' | 'read-only-by-default'): string {
  const users = {
    write: `throw-away users ${prefix}* (always removed at the end; marked synthetic: no change events, not "last request from Entra")`,
    'read-only': 'read-only: probe and discovery only, nothing is written',
    'read-only-by-default': 'read-only (not a local URL): probe and discovery only; --write also runs the user lifecycle with throw-away users',
  }[mode];
  return `scimlink check ${tenantUrl}\n${users}\n\n`;
}

/**
 * `[ 3/19] PASS  GET /ServiceProviderConfig  4 ms`: one line per step, as it finishes; a failure or a warning
 * is followed by its request, answer, problem and what Entra does.
 */
export function progressLine(outcome: StepOutcome, index: number, total: number): string {
  const n = String(index + 1).padStart(String(total).length);
  const line = `[${n}/${total}] ${LABEL[outcome.result]}  ${outcome.title}  ${duration(outcome)}${outcome.note ? `  (${outcome.note})` : ''}\n`;
  return outcome.failure ? line + failureBlock(outcome.failure) : line;
}

/** After the progress lines: the cleanup, why the run stopped early (if it did), and the verdict. */
export function summary(run: RunResult, verdict: Verdict): string {
  const parts = ['\n', cleanupLines(run)];
  if (run.stopped) parts.push(`Stopped: ${run.stopped}.\n`);
  parts.push(verdictLine(run, verdict), '\n');
  return parts.join('');
}

function failureBlock(f: Failure): string {
  const lines: string[] = [];
  if (f.request) lines.push(`  request:  ${f.request.method} ${f.request.path}${f.request.body ? `  ${f.request.body}` : ''}`);
  if (f.answer) {
    const a = f.answer;
    if (a.status === 0) {
      lines.push(`  answer:   no answer (${a.body ?? 'unknown reason'})`);
    } else {
      const meta = [a.contentType ? `Content-Type ${a.contentType}` : 'no Content-Type', a.retryAfter ? `Retry-After ${a.retryAfter}` : undefined]
        .filter(Boolean)
        .join(', ');
      lines.push(`  answer:   ${a.status} (${meta})${a.body ? `  ${a.body}` : ''}`);
    }
  }
  lines.push(`  problem:  ${f.problem}`);
  lines.push(`  Entra:    ${f.consequence.summary} [${f.consequence.kind}]`);
  return lines.join('\n') + '\n';
}

function cleanupLines(run: RunResult): string {
  const { removed, leftBehind } = run.cleanup;
  const lines: string[] = [];
  if (removed.length > 0) lines.push(`Cleanup: removed ${removed.length} throw-away user${removed.length === 1 ? '' : 's'} (${removed.map((u) => u.id).join(', ')}).`);
  for (const u of leftBehind) {
    lines.push(`LEFT BEHIND: ${u.userName}${u.id ? ` (id ${u.id})` : ''}: ${u.reason}. Delete it by hand.`);
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

export function verdictLine(run: RunResult, verdict: Verdict): string {
  const t = tally(run);
  const stats = `${run.requests} request${run.requests === 1 ? '' : 's'} in ${(run.ms / 1000).toFixed(1)} s`;
  const warnings = t.warn > 0 ? `, ${t.warn} warning${t.warn === 1 ? '' : 's'}` : '';
  if (verdict === 'interrupted') {
    const ran = t.pass + t.fail + t.warn;
    const where = ran < run.outcomes.length ? `stopped after ${ran} of ${run.outcomes.length} steps` : 'during the cleanup';
    return `INTERRUPTED: ${where}; ${run.cleanup.leftBehind.length === 0 ? 'no throw-away user is left' : 'see LEFT BEHIND above'} (${stats}).`;
  }
  if (verdict === 'fail' && run.stopped) {
    const failed = run.outcomes.filter((o) => o.result === 'fail').map((o) => o.id);
    return `FAIL: ${failed.join(', ')} failed, so nothing else was checked; ${stats}.`;
  }
  if (verdict === 'fail') {
    const failed = run.outcomes.filter((o) => o.critical && o.result === 'fail').map((o) => o.id);
    return `FAIL: ${failed.length} of ${countCritical(run)} checks Entra relies on failed (${failed.join(', ')})${skipped(t)}${warnings}; ${stats}.`;
  }
  const readOnly = run.outcomes.every((o) => o.id === 'tenant-url' || o.id === 'probe' || o.id.startsWith('discovery.'));
  const what = readOnly ? 'Test Connection will pass (read-only: the user lifecycle was not checked)' : 'Entra ID can provision users to this tenant URL';
  return `PASS: ${what}; ${t.pass} passed${warnings}; ${stats}.`;
}

function countCritical(run: RunResult): number {
  return run.outcomes.filter((o) => o.critical).length;
}

function skipped(t: Tally): string {
  return t.skip > 0 ? `, ${t.skip} skipped` : '';
}

function duration(o: StepOutcome): string {
  return o.result === 'skip' ? '-' : `${o.ms} ms`;
}

/** `--json`: the whole run, stable field names for scripts. */
export function toJson(run: RunResult, verdict: Verdict, exitCode: number, tenantUrl: string, readOnly: boolean) {
  return {
    tenantUrl,
    verdict,
    exitCode,
    readOnly,
    runId: run.runId,
    userPrefix: run.prefix,
    requests: run.requests,
    durationMs: Math.round(run.ms),
    tally: tally(run),
    steps: run.outcomes,
    cleanup: run.cleanup,
  };
}
