import type { Context } from 'aws-lambda';
import { unavailable } from '../scim/errors';
import { runForRequest } from '../runtime/request-scope';

/** Every function's timeout (lib/handler-function.ts), and the local adapter's deadline per request. */
export const FUNCTION_TIMEOUT_SECONDS = 10;

/** Kept back from the function's timeout: time to log and return the 503 before Lambda would stop us (a 5xx). */
export const DEADLINE_MARGIN_MS = 500;

/** What Entra is told to wait before retrying a request that ran out of time. */
export const TIMEOUT_RETRY_AFTER_SECONDS = 5;

/**
 * Runs one request's work under its deadline (issue 13, item 9): when the function is about to run out of time the
 * answer is 503 with Retry-After — transient, Entra retries it — never the 500 a Lambda timeout (or middy's own
 * early timeout) gives. And once the request is answered, in time or not, its signal aborts whatever it still had
 * running: AWS calls in flight or queued (see `abortWithRequest`), retry loops, reads it no longer needs. No work
 * outlives the traffic that caused it.
 */
export async function withDeadline<T>(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, work: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const running = runForRequest(controller.signal, work);
    if (typeof context?.getRemainingTimeInMillis !== 'function') return await running;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unavailable('The request ran out of time and was stopped; retry it shortly.', TIMEOUT_RETRY_AFTER_SECONDS)),
        Math.max(0, context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS),
      );
    });
    return await Promise.race([running, timedOut]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
