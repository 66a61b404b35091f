/**
 * Assertions steps make on an exchange. A failed one throws a StepFailure carrying the request, the answer and
 * what Entra would do — so every step reports failures the same way, and a step reads as a list of checks.
 */
import { Consequence, Operation, consequenceOf, wrongContent } from './consequences';
import type { Exchange, Failure } from './types';

export class StepFailure extends Error {
  constructor(
    readonly failure: Failure,
    /** Measurements worth keeping even though the step failed (the burst's latencies). */
    readonly data?: { note: string; data: Record<string, unknown> },
  ) {
    super(failure.problem);
    this.name = 'StepFailure';
  }
}

/** Something Entra copes with but an operator should know (e.g. throttling during the burst). */
export class StepWarning extends Error {
  constructor(
    readonly failure: Failure,
    readonly data?: { note: string; data: Record<string, unknown> },
  ) {
    super(failure.problem);
    this.name = 'StepWarning';
  }
}

export function failure(exchange: Exchange | undefined, problem: string, consequence: Consequence): Failure {
  return {
    problem,
    ...(exchange ? { request: exchange.request, answer: exchange.answer } : {}),
    consequence,
  };
}

/** The status must be one of `expected`; otherwise the consequence follows from the status (consequences.ts). */
export function expectStatus(ex: Exchange, operation: Operation, ...expected: number[]): void {
  if (expected.includes(ex.answer.status)) return;
  const got = ex.answer.status === 0 ? `no answer (${ex.answer.body ?? 'unknown reason'})` : String(ex.answer.status);
  const detail = scimDetail(ex);
  throw new StepFailure(
    failure(ex, `expected ${expected.join(' or ')}, got ${got}${detail ? ` (${detail})` : ''}`, consequenceOf(operation, ex.answer.status)),
  );
}

/** RFC 7644 §3.1 / §8.1: SCIM answers are `application/scim+json` (charset optional). */
export function expectScimJson(ex: Exchange, operation: Operation): void {
  const type = ex.answer.contentType;
  if (type && /^application\/scim\+json\s*(;|$)/i.test(type)) return;
  throw new StepFailure(
    failure(
      ex,
      `the answer's Content-Type is ${type ? `'${type}'` : 'missing'}, not application/scim+json (RFC 7644 §8.1; Entra's SCIM client may not read the answer)`,
      wrongContent(operation),
    ),
  );
}

/** A 2xx whose content is wrong. */
export function contentFailure(ex: Exchange, operation: Operation, problem: string): StepFailure {
  return new StepFailure(failure(ex, problem, wrongContent(operation)));
}

/** The `detail` (and scimType) of a SCIM error body, to quote in a problem line. */
export function scimDetail(ex: Exchange): string | undefined {
  const body = asRecord(ex.json);
  if (!body || typeof body.detail !== 'string') return undefined;
  return typeof body.scimType === 'string' ? `${body.scimType}: ${body.detail}` : body.detail;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A ListResponse's Resources (undefined when the body is not one). */
export function resources(ex: Exchange): Array<Record<string, unknown>> | undefined {
  const list = asRecord(ex.json)?.Resources;
  return Array.isArray(list) ? list.map((r) => asRecord(r) ?? {}) : undefined;
}
