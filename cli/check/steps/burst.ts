/**
 * A short burst at Entra's pace. Microsoft asks SCIM endpoints to sustain at least 25 requests per second (an
 * initial cycle of a large directory runs at that rate for hours), so the check sends 50 GETs spread evenly over
 * one second — open loop, not waiting for answers, as Entra's parallel workers do — and reports latency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { consequence, consequenceOf } from '../consequences';
import { StepFailure, StepWarning, failure } from '../expect';
import { percentiles } from '../percentiles';
import type { CheckContext, Exchange, Step } from '../types';
import { userPath } from './user-ops';

export const BURST_REQUESTS = 50;
/** Offered rate; twice Entra's expected 25/s so a pass leaves headroom. */
const OFFERED_PER_SECOND = 50;
export const ENTRA_RATE = 25;
/** Throttling is honest (Entra backs off and retries) but slows cycles: a warning, not a failure. */
const TRANSIENT = new Set([429, 503]);

/** Entra's typical reads: match by userName, read by id. Without a user (create failed), probe-style lookups. */
function targets(ctx: CheckContext): string[] {
  const holder = ctx.state.holder ?? ctx.state.subject;
  if (!holder) return [`/Users?filter=userName+eq+%22${randomUUID()}%22`];
  return [`/Users?filter=userName+eq+%22${encodeURIComponent(holder.userName)}%22`, userPath(holder.id)];
}

export const burst: Step = {
  id: 'burst',
  title: `burst: ${BURST_REQUESTS} GETs at ${OFFERED_PER_SECOND}/s (Entra needs >= ${ENTRA_RATE}/s)`,
  critical: true,
  async run(ctx) {
    const paths = targets(ctx);
    const started = performance.now();
    const inFlight: Array<Promise<Exchange>> = [];
    for (let i = 0; i < BURST_REQUESTS; i += 1) {
      const due = started + (i * 1000) / OFFERED_PER_SECOND;
      const wait = due - performance.now();
      // On Ctrl-C stop sending but never throw from here: requests already in flight have no handler yet, and
      // their rejections would be unhandled — which kills the process before the cleanup runs.
      if (wait > 0) await sleep(wait, undefined, { signal: ctx.signal }).catch(() => undefined);
      if (ctx.signal.aborted) break;
      inFlight.push(ctx.client.send('GET', paths[i % paths.length]!, undefined, ctx.signal));
    }
    // Wait for every request, aborted or not, so none is still running when the cleanup starts.
    const settled = await Promise.allSettled(inFlight);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const exchanges = settled.map((s) => {
      if (s.status === 'rejected') throw s.reason;
      return s.value;
    });
    const seconds = (performance.now() - started) / 1000;
    const rate = BURST_REQUESTS / seconds;
    const p = percentiles(exchanges.map((e) => e.ms));
    const statuses: Record<string, number> = {};
    for (const e of exchanges) statuses[e.answer.status] = (statuses[e.answer.status] ?? 0) + 1;
    const measured = {
      note: `${BURST_REQUESTS} GETs in ${seconds.toFixed(2)} s (${rate.toFixed(0)}/s): p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}`,
      data: { requests: BURST_REQUESTS, seconds: round(seconds), perSecond: round(rate), p50Ms: round(p.p50), p95Ms: round(p.p95), p99Ms: round(p.p99), maxMs: round(p.max), statuses },
    };

    const bad = exchanges.filter((e) => e.answer.status !== 200);
    const hard = bad.filter((e) => !TRANSIENT.has(e.answer.status));
    const counts = Object.entries(statuses).filter(([s]) => s !== '200').map(([s, n]) => `${n}× ${s === '0' ? 'no answer' : s}`).join(', ');
    if (hard[0]) {
      throw new StepFailure(failure(hard[0], `${bad.length} of ${BURST_REQUESTS} requests failed (${counts})`, consequenceOf('lookup', hard[0].answer.status)), measured);
    }
    if (bad[0]) {
      const retryAfter = bad.every((e) => e.answer.retryAfter !== undefined) ? '' : '; some without Retry-After';
      throw new StepWarning(failure(bad[0], `${bad.length} of ${BURST_REQUESTS} requests were throttled (${counts}${retryAfter})`, consequence('retry')), measured);
    }
    if (rate < ENTRA_RATE) {
      throw new StepWarning(failure(undefined, `answered at only ${rate.toFixed(1)} requests/s; Entra's requests would queue and time out`, consequence('retry')), measured);
    }
    return measured;
  },
};

const round = (n: number) => Math.round(n * 10) / 10;
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
