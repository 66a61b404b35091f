/**
 * Shapes shared by the check engine, its steps and the report. Kept free of logic, and importing nothing of
 * cli/check that imports it back: steps see the client and the cleanup through the two small interfaces below
 * (ScimClient and Cleanup implement them), so every other file can depend on this one without cycles.
 */
import type { ThrowAwayUsers } from './users';
import type { Consequence } from './consequences';

/** What steps need of the SCIM client (http.ts `ScimClient`). */
export interface ScimSender {
  /** The tenant URL requests are relative to. */
  readonly base: string;
  send(method: string, path: string, body: unknown, signal: AbortSignal): Promise<Exchange>;
}

/** What steps need of the cleanup (cleanup.ts `Cleanup`): which throw-away users exist. */
export interface CleanupRegistry {
  /** Call before sending the POST. */
  expect(userName: string): void;
  created(userName: string, id: string): void;
  deleted(id: string): void;
}

/** One request as the report shows it: never headers (the token lives there), the body only as a summary. */
export interface RequestRecord {
  method: string;
  /** Relative to the tenant URL, with the query exactly as sent (`/Users?filter=userName+eq+%22…%22`). */
  path: string;
  body?: string;
}

/** One answer as the report shows it. `status` 0 means no HTTP answer at all (refused, timeout, TLS). */
export interface AnswerRecord {
  status: number;
  contentType?: string;
  /** Short, one-line body (or the network error). */
  body?: string;
  retryAfter?: string;
}

/** A request, its answer and the parsed body, as steps inspect them. */
export interface Exchange {
  request: RequestRecord;
  answer: AnswerRecord;
  /** Parsed JSON body, undefined when there is none or it is not JSON. */
  json: unknown;
  ms: number;
}

export type StepResult = 'pass' | 'fail' | 'warn' | 'skip';

/** What went wrong in a step, with what Entra would do about it. */
export interface Failure {
  /** What was expected and what came back, in one sentence. */
  problem: string;
  request?: RequestRecord;
  answer?: AnswerRecord;
  consequence: Consequence;
}

export interface StepOutcome {
  id: string;
  title: string;
  /** Entra relies on it: a failure makes the verdict fail and the exit code non-zero. */
  critical: boolean;
  result: StepResult;
  ms: number;
  /** A short fact worth showing even on success (latency percentiles, what was skipped and why). */
  note?: string;
  /** Measurements for `--json` (the burst's latencies). */
  data?: Record<string, unknown>;
  failure?: Failure;
}

/** What a step's run resolves with: nothing, a note, or a note with measurements. */
export type StepReturn = void | string | { note: string; data: Record<string, unknown> };

/** A user the check created, as later steps need it. */
export interface CreatedUser {
  id: string;
  userName: string;
  externalId: string;
  workEmail: string;
  /** The body it was created with (PUT sends a modified copy). */
  body: Record<string, unknown>;
}

/** Mutable state steps hand to later steps. */
export interface CheckState {
  /** The lifecycle user (create → … → delete). */
  subject?: CreatedUser;
  /** Lives until cleanup: holds the userName the uniqueness step collides with, and is the burst's target. */
  holder?: CreatedUser;
  /** Set when a failure makes every later request pointless (bad token, nothing listening). */
  fatal?: string;
}

export interface CheckContext {
  client: ScimSender;
  users: ThrowAwayUsers;
  cleanup: CleanupRegistry;
  state: CheckState;
  /** Aborted on Ctrl-C: requests in flight stop, remaining steps are skipped, cleanup still runs. */
  signal: AbortSignal;
}

export interface Step {
  id: string;
  title: string;
  critical: boolean;
  /** Runs with --read-only too (probe and discovery only: nothing is written). */
  readOnly?: boolean;
  /** A reason to skip, when an earlier step did not leave what this one needs. */
  needs?(ctx: CheckContext): string | undefined;
  /** Resolves with an optional note; throws StepFailure (or StepWarning) when the endpoint misbehaves. */
  run(ctx: CheckContext): Promise<StepReturn>;
}
