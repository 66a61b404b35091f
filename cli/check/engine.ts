/**
 * Runs the steps in Entra's order, times each, turns thrown StepFailures into outcomes, skips what can no longer
 * run, and — whatever happened, Ctrl-C included — removes the throw-away users at the end.
 */
import { Cleanup, CleanupReport } from './cleanup';
import { consequence } from './consequences';
import { StepFailure, StepWarning } from './expect';
import { ScimClient } from './http';
import type { CheckContext, CheckState, Step, StepOutcome } from './types';
import { ThrowAwayUsers } from './users';

/** Cleanup gets its own deadline: after Ctrl-C the run's signal is aborted, but the users must still go. */
const CLEANUP_TIMEOUT_MS = 60_000;

export interface EngineOptions {
  client: ScimClient;
  steps: Step[];
  readOnly: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  users?: ThrowAwayUsers;
  /** Called when a step starts and when it ends (the progress lines). */
  onStart?(step: Step, index: number, total: number): void;
  onOutcome?(outcome: StepOutcome, index: number, total: number): void;
}

export interface RunResult {
  runId: string;
  prefix: string;
  outcomes: StepOutcome[];
  cleanup: CleanupReport;
  interrupted: boolean;
  /** Why the run stopped early (a refused token, nothing listening), with what to do about it. */
  stopped?: string;
  requests: number;
  ms: number;
}

export async function runCheck(options: EngineOptions): Promise<RunResult> {
  const started = performance.now();
  const users = options.users ?? new ThrowAwayUsers();
  const cleanup = new Cleanup(users.prefix);
  const state: CheckState = {};
  const ctx: CheckContext = { client: options.client, users, cleanup, state, signal: options.signal };
  const steps = options.steps.filter((s) => !options.readOnly || s.readOnly);
  const outcomes: StepOutcome[] = [];

  let cleanupReport: CleanupReport = { removed: [], leftBehind: [] };
  try {
    for (const [index, step] of steps.entries()) {
      // After a fatal answer (a refused token) every later step would only be a "skip" row burying the reason.
      if (ctx.state.fatal) break;
      options.onStart?.(step, index, steps.length);
      const outcome = await runStep(step, ctx);
      outcomes.push(outcome);
      options.onOutcome?.(outcome, index, steps.length);
    }
  } finally {
    // `finally`: even a bug in the engine or a progress callback must not leave users behind.
    if (cleanup.pending > 0) cleanupReport = await cleanup.run(options.client, AbortSignal.timeout(CLEANUP_TIMEOUT_MS));
  }
  return {
    runId: users.runId,
    prefix: users.prefix,
    outcomes,
    cleanup: cleanupReport,
    interrupted: options.signal.aborted,
    ...(state.fatal ? { stopped: state.fatal } : {}),
    requests: options.client.sent,
    ms: performance.now() - started,
  };
}

async function runStep(step: Step, ctx: CheckContext): Promise<StepOutcome> {
  const base = { id: step.id, title: step.title, critical: step.critical };
  if (ctx.signal.aborted) return { ...base, result: 'skip', ms: 0, note: 'interrupted' };
  const reason = step.needs?.(ctx);
  if (reason) return { ...base, result: 'skip', ms: 0, note: reason };

  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const returned = await step.run(ctx);
    if (typeof returned === 'object') return { ...base, result: 'pass', ms: ms(), note: returned.note, data: returned.data };
    return { ...base, result: 'pass', ms: ms(), ...(returned ? { note: returned } : {}) };
  } catch (e) {
    if (e instanceof StepFailure || e instanceof StepWarning) {
      // Failures of steps Entra does not rely on (discovery) are warnings.
      const result = e instanceof StepFailure && step.critical ? 'fail' : 'warn';
      return { ...base, result, ms: ms(), failure: e.failure, ...(e.data ?? {}) };
    }
    if (ctx.signal.aborted) return { ...base, result: 'skip', ms: ms(), note: 'interrupted' };
    // A bug in the check itself: report it as such rather than blame the endpoint.
    const message = e instanceof Error ? e.message : String(e);
    return {
      ...base,
      result: 'fail',
      ms: ms(),
      failure: { problem: `the check itself failed: ${message}`, consequence: consequence('user-fails') },
    };
  }
}
