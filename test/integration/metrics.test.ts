/**
 * The request metrics (issue #17 item 2): a full Entra cycle through the real local server (HTTP → handlers →
 * dynalite) writes the CloudWatch embedded metric format lines a deployed function would write to stdout — one
 * per request, plus one per rejection — with the expected dimensions, and not one value of a user's data.
 */
import { randomUUID } from 'node:crypto';
import { TestServer, entraUser, startTestServer } from '../support/local-server';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface EmfLine {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

let s: TestServer;
let stdout: string[] = [];
let spy: jest.SpyInstance;
const saved = { disabled: process.env.POWERTOOLS_METRICS_DISABLED, init: process.env.AWS_LAMBDA_INITIALIZATION_TYPE };

beforeAll(async () => {
  // Metrics are built with the server: switch them on (the test setup turns them off) and make the first
  // request a Lambda cold start, as in an on-demand container.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  s = await startTestServer();
  spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterAll(async () => {
  spy.mockRestore();
  await s.close();
  process.env.POWERTOOLS_METRICS_DISABLED = saved.disabled;
  if (saved.init === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
  else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = saved.init;
});

const emfLines = (): EmfLine[] =>
  stdout
    .flatMap((chunk) => chunk.split('\n'))
    .filter((l) => l.startsWith('{"_aws"'))
    .map((l) => JSON.parse(l) as EmfLine);

describe('a full Entra cycle', () => {
  const sentValues: string[] = [];
  const requests: Array<[string, string]> = []; // [operation, outcome] expected, in order
  let lines: EmfLine[];
  let text: string;

  beforeAll(async () => {
    stdout = [];
    const expectStatus = async (op: string, outcome: string, status: number, call: Promise<{ status: number; body: any }>) => {
      const res = await call;
      expect(res.status).toBe(status);
      requests.push([op, outcome]);
      return res.body;
    };
    const user = entraUser();
    const other = entraUser();
    for (const u of [user, other]) {
      sentValues.push(u.userName, u.emails[0]!.value, u.phoneNumbers[0]!.value, u.displayName, u.externalId, u.name.familyName);
    }
    const guid = randomUUID();
    sentValues.push(guid);
    // Test Connection, then the user's life.
    await expectStatus('GET /Users', 'ok', 200, s.scim('GET', `/Users?filter=userName+eq+%22${guid}%22`));
    await expectStatus('GET /Users', 'ok', 200, s.scim('GET', `/Users?filter=userName+eq+%22${encodeURIComponent(user.userName)}%22`));
    const created = await expectStatus('POST /Users', 'ok', 201, s.scim('POST', '/Users', user));
    sentValues.push(created.id);
    await expectStatus('GET /Users/{id}', 'ok', 200, s.scim('GET', `/Users/${created.id}`));
    await expectStatus('GET /Users', 'ok', 200, s.scim('GET', `/Users?filter=externalId+eq+%22${user.externalId}%22`));
    const newMobile = '+14155550142';
    sentValues.push(newMobile);
    await expectStatus(
      'PATCH /Users/{id}',
      'ok',
      200,
      s.scim('PATCH', `/Users/${created.id}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: newMobile }] }),
    );
    await expectStatus(
      'PATCH /Users/{id}',
      'ok',
      200,
      s.scim('PATCH', `/Users/${created.id}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }),
    );
    await expectStatus('PUT /Users/{id}', 'ok', 200, s.scim('PUT', `/Users/${created.id}`, { ...user, phoneNumbers: [{ type: 'mobile', value: newMobile }] }));
    // Rejections Entra meets in practice.
    const badPhone = '(415) 555-0100';
    sentValues.push(badPhone);
    await expectStatus('POST /Users', 'rejected', 400, s.scim('POST', '/Users', { ...other, phoneNumbers: [{ type: 'mobile', value: badPhone }] }));
    await expectStatus('POST /Users', 'rejected', 409, s.scim('POST', '/Users', { ...other, userName: user.userName.toUpperCase() }));
    await expectStatus('POST /Users', 'rejected', 400, s.scim('POST', '/Users', { ...other, emails: [] }));
    await expectStatus('GET /Users', 'rejected', 400, s.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${other.userName}`)}`));
    await expectStatus('POST /Groups', 'notImplemented', 501, s.scim('POST', '/Groups', { displayName: 'Sales' }));
    await expectStatus('GET /Users', 'unauthorized', 401, s.scim('GET', '/Users', undefined, { token: 'scimlink_wrong' }));
    await expectStatus('DELETE /Users/{id}', 'ok', 204, s.scim('DELETE', `/Users/${created.id}`));
    await expectStatus('GET /Users/{id}', 'rejected', 404, s.scim('GET', `/Users/${created.id}`));
    lines = emfLines();
    text = lines.map((l) => JSON.stringify(l)).join('\n');
  });

  it('writes one Requests + Latency line per request, by operation and outcome, in the stack namespace', () => {
    const requestLines = lines.filter((l) => 'Requests' in l);
    expect(requestLines.map((l) => [l.operation, l.outcome])).toEqual(requests);
    for (const l of requestLines) {
      expect(l._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: 'scimlink',
          Dimensions: [['service', 'operation', 'outcome']],
          Metrics: [
            { Name: 'Requests', Unit: 'Count' },
            { Name: 'Latency', Unit: 'Milliseconds' },
          ],
        },
      ]);
      expect(l.Requests).toBe(1);
      expect(l.Latency).toEqual(expect.any(Number));
    }
  });

  it('counts rejections by SCIM error type and by rule: E.164, uniqueness by kind, a missing mandatory attribute', () => {
    const rejections = lines.filter((l) => 'Rejections' in l).map((l) => [l.errorType, l.rule]);
    expect(rejections).toEqual([
      ['invalidValue', 'phoneNumbers:e164'],
      ['uniqueness', 'uniqueness:userName'],
      ['invalidValue', 'emails:required'],
      ['invalidFilter', 'filter'],
      ['401', 'unauthorized'],
      ['404', 'notFound'],
    ]);
    for (const l of lines.filter((x) => 'Rejections' in x)) {
      expect(l._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([
        ['service', 'errorType'],
        ['service', 'rule'],
      ]);
    }
  });

  it('does not count the 501 of a group write as a fault, nor as a rejection', () => {
    expect(lines.filter((l) => l.outcome === 'fault')).toEqual([]);
    expect(lines.filter((l) => l.operation === 'POST /Groups').map((l) => l.outcome)).toStrictEqual(['notImplemented']);
  });

  it('carries the account id as a property of authenticated requests only, never as a dimension', () => {
    const requestLines = lines.filter((l) => 'Requests' in l);
    expect(requestLines.filter((l) => l.outcome !== 'unauthorized').every((l) => l.accountId === 'demo')).toBe(true);
    expect(requestLines.filter((l) => l.outcome === 'unauthorized').map((l) => l.accountId)).toEqual([undefined]);
    const dimensions = new Set(lines.flatMap((l) => l._aws.CloudWatchMetrics.flatMap((m) => m.Dimensions.flat())));
    expect([...dimensions].sort()).toEqual(['errorType', 'function_name', 'operation', 'outcome', 'rule', 'service']);
  });

  it('writes the ColdStart metric once, named by the function', () => {
    const cold = lines.filter((l) => 'ColdStart' in l);
    expect(cold.map((l) => l.function_name)).toStrictEqual(['users-list']);
  });

  it('contains no value of a user: userName, emails, phone numbers, names, externalId, ids, filter text', () => {
    expect(sentValues.length).toBeGreaterThan(10);
    for (const value of sentValues) expect(text.toLowerCase()).not.toContain(value.toLowerCase());
    expect(text).not.toContain(s.app.secretToken);
    expect(text).not.toContain(s.app.tenantUrl.split('/').pop()!); // the tenant key
  });
});
