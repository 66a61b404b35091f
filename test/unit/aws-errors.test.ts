import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ScimError } from '../../lambdas/scim/errors';
import { cancellationCodes, errorName, transientScimError, translated } from '../../lambdas/store/aws-errors';
import { caught } from '../support/caught';

/**
 * Which AWS faults Entra sees as "retry later" (429/503 + Retry-After) and which as a bug (the error passes
 * unchanged and ends as a 500): Entra retries the first and quarantines the job after too many of the second.
 */
const named = (name: string) => Object.assign(new Error(`${name} happened`), { name });
/** Node's socket errors carry the reason in `code`, with a generic name. */
const coded = (code: string, name = 'Error') => Object.assign(new Error(`socket ${code}`), { name, code });

const THROTTLING = ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException'];
const TRANSIENT = [
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
];

function expectRetryable(e: ScimError | undefined, status: 429 | 503): void {
  expect(e).toBeInstanceOf(ScimError);
  expect(e?.status).toBe(status);
  expect(e?.headers).toEqual({ 'Retry-After': '2' });
  expect(e?.detail).toBe(
    status === 429 ? 'The user store is busy; retry shortly.' : 'The user store is temporarily unavailable; retry shortly.',
  );
}

describe('transientScimError: throttling → 429, transient faults → 503, everything else → undefined', () => {
  it.each(THROTTLING)('%s (by name) → 429 with Retry-After: 2', (name) => {
    expectRetryable(transientScimError(named(name)), 429);
  });

  it.each(THROTTLING)('%s given only as code (no name) → 429', (code) => {
    expectRetryable(transientScimError({ code }), 429);
  });

  it('the SDK exception class itself → 429', () => {
    expectRetryable(transientScimError(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })), 429);
  });

  it.each(TRANSIENT)('%s (by name) → 503 with Retry-After: 2', (name) => {
    expectRetryable(transientScimError(named(name)), 503);
  });

  it.each(TRANSIENT)('%s as code beside a generic name → 503', (code) => {
    expectRetryable(transientScimError(coded(code)), 503);
  });

  it.each<[string, unknown]>([
    ['a ValidationException', named('ValidationException')],
    ['a ConditionalCheckFailedException', named('ConditionalCheckFailedException')],
    ['a TransactionCanceledException', named('TransactionCanceledException')],
    ['a plain Error', new Error('ECONNRESET in the message only')],
    ['a name that only contains a transient one', named('NotInternalServerError')],
    ['a code with different case', coded('econnreset')],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ThrottlingException'],
    ['a number', 503],
    ['an empty object', {}],
  ])('%s → undefined (not transient: rethrown, a 500)', (_what, e) => {
    expect(transientScimError(e)).toBeUndefined();
  });
});

describe('transientScimError on a cancelled transaction: by the reasons of its items', () => {
  const cancelledWith = (...codes: string[]) =>
    new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

  it.each(['ThrottlingError', 'ProvisionedThroughputExceeded'])('an item %s → 429 with Retry-After', (code) => {
    expectRetryable(transientScimError(cancelledWith('None', code)), 429);
  });

  it('another transaction on an item at that moment (TransactionConflict) → 503 with Retry-After', () => {
    expectRetryable(transientScimError(cancelledWith('TransactionConflict', 'None')), 503);
  });

  it.each<[string, string[]]>([
    ['a failed condition', ['None', 'ConditionalCheckFailed']],
    ['a validation error', ['ValidationError']],
    ['no reason at all', ['None', 'None']],
  ])('%s → undefined (the caller decides, else a 500)', (_what, codes) => {
    expect(transientScimError(cancelledWith(...codes))).toBeUndefined();
  });

  it('the reasons of an error that is not a cancellation are not read', () => {
    expect(transientScimError(Object.assign(named('ValidationException'), { CancellationReasons: [{ Code: 'TransactionConflict' }] }))).toBeUndefined();
  });
});

describe('errorName', () => {
  it.each<[string, unknown, string]>([
    ['the name when there is one', coded('ECONNRESET', 'FetchError'), 'FetchError'],
    ['the code when the name is absent', { code: 'EPIPE' }, 'EPIPE'],
    ['a non-string name as a string', { name: 42 }, '42'],
    ['empty for an object with neither', { message: 'x' }, ''],
    ['empty for null', null, ''],
    ['empty for a string', 'TimeoutError', ''],
  ])('%s', (_what, e, expected) => {
    expect(errorName(e)).toBe(expected);
  });
});

describe('cancellationCodes: one code per transaction action, "None" where DynamoDB gave none', () => {
  it('lists the codes in action order, a reason without Code as "None"', () => {
    const e = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, {}, { Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }],
    });
    expect(cancellationCodes(e)).toEqual(['None', 'None', 'ConditionalCheckFailed', 'TransactionConflict']);
  });

  it('a cancellation without reasons → []', () => {
    expect(cancellationCodes(named('TransactionCanceledException'))).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['another error with reasons', Object.assign(named('ValidationException'), { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] })],
    ['null', null],
    ['a string', 'TransactionCanceledException'],
  ])('%s → [] (not a cancellation)', (_what, e) => {
    expect(cancellationCodes(e)).toEqual([]);
  });
});

describe('translated', () => {
  it('resolves to the call result', async () => {
    await expect(translated(Promise.resolve({ Item: { pk: 'a' } }))).resolves.toEqual({ Item: { pk: 'a' } });
  });

  it('turns a transient rejection into the retryable ScimError', async () => {
    expectRetryable((await caught(translated(Promise.reject(named('ServiceUnavailable'))))) as ScimError, 503);
  });

  it('rethrows anything else unchanged (the same object)', async () => {
    const boom = named('ValidationException');
    expect(await caught(translated(Promise.reject(boom)))).toBe(boom);
  });
});
