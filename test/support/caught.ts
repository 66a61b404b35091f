import { ScimError } from '../../lambdas/scim/errors';

/** The rejection of a promise that must reject (fails the test if it resolves). */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The ScimError `run` throws (fails the test if it throws nothing, rethrows anything else). */
export function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

/** The ScimError a promise must reject with (fails the test if it resolves or rejects with anything else). */
export async function scimRejection(promise: Promise<unknown>): Promise<ScimError> {
  const e = await caught(promise);
  if (e instanceof ScimError) return e;
  throw e;
}
