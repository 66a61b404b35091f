/** The rejection of a promise that must reject (fails the test if it resolves). */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
