import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { handler, setLogStore } from '../../lambdas/log-ingest';
import { ProvisioningLogEntry, pathUnderTenant, toLogEntry } from '../../lambdas/log/provisioning-log';
import { DynamoLogStore } from '../../lambdas/store/dynamo-log-store';

describe('toLogEntry', () => {
  it('keeps method, path, status, userName, ignored and the rule with the values Entra sent; drops everything else', () => {
    // Act
    const entry = toLogEntry(
      {
        method: 'POST',
        path: '/Users',
        status: 400,
        accountId: 'acc1',
        userName: 'ann@contoso.com',
        ignored: ['title', 42],
        detail: "emails[type eq \"work\"].value 'ann@' is not a valid email address",
        durationMs: 7,
        ...{ authorization: 'Bearer scimlink_x', body: '{"displayName":"Ann"}' },
      } as never,
      '2026-11-27T00:00:00.000Z',
      'r1',
    );

    // Assess
    expect(entry).toEqual({
      accountId: 'acc1',
      time: '2026-11-27T00:00:00.000Z',
      requestId: 'r1',
      method: 'POST',
      path: '/Users',
      status: 400,
      userName: 'ann@contoso.com',
      ignored: ['title'],
      rule: "emails[type eq \"work\"].value 'ann@' is not a valid email address",
      durationMs: 7,
    });
  });

  it("marks `scimlink check`'s requests synthetic, and only those (the flag must be exactly true)", () => {
    const base = { method: 'GET', path: '/Users', status: 200, accountId: 'acc1' };
    expect(toLogEntry({ ...base, synthetic: true }, 't', 'r')?.synthetic).toBe(true);
    expect(toLogEntry({ ...base, synthetic: 'true' }, 't', 'r')).not.toHaveProperty('synthetic');
    expect(toLogEntry(base, 't', 'r')).not.toHaveProperty('synthetic');
  });

  it('gives nothing for a request that never authenticated (no account)', () => {
    expect(toLogEntry({ method: 'GET', status: 401 }, 't', 'r')).toBeUndefined();
  });

  it.each([
    ['/scim/acc1.KEY/Users/42', '/Users/42'],
    ['/prod/scim/acc1.KEY/Users', '/Users'],
    ['/scim/acc1.KEY', '/'],
    ['/admin/accounts', '/admin/accounts'],
  ])('pathUnderTenant(%s) = %s', (path, expected) => {
    expect(pathUnderTenant(path)).toBe(expected);
  });

});

describe('log-ingest handler (CloudWatch Logs subscription)', () => {
  afterEach(() => setLogStore(undefined));

  it('turns the SCIM request lines of a subscription batch into provisioning log entries', async () => {
    // Prepare
    const appended: ProvisioningLogEntry[] = [];
    setLogStore({ append: async (e: ProvisioningLogEntry[]) => void appended.push(...e) } as unknown as DynamoLogStore);
    const line = (o: object) => JSON.stringify({ level: 'INFO', timestamp: '2026-11-27T00:00:00.000Z', service: 'scimlink', ...o });
    const data = {
      messageType: 'DATA_MESSAGE',
      logGroup: '/aws/lambda/users-create',
      logEvents: [
        { id: 'e1', timestamp: Date.parse('2026-11-27T01:00:00Z'), message: line({ message: 'SCIM request', method: 'POST', path: '/Users', status: 201, accountId: 'acc1', userName: 'a@b.c' }) },
        { id: 'e2', timestamp: 0, message: 'START RequestId: 123 Version: $LATEST' },
        { id: 'e3', timestamp: 0, message: line({ message: 'Unhandled error', accountId: 'acc1' }) },
        { id: 'e4', timestamp: 0, message: line({ message: 'SCIM request', method: 'GET', status: 401 }) },
      ],
    };
    const event: CloudWatchLogsEvent = { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };

    // Act
    const out = await handler(event);

    // Assess
    expect(out.written).toBe(1);
    expect(appended).toEqual([
      { accountId: 'acc1', time: '2026-11-27T01:00:00.000Z', requestId: 'e1', method: 'POST', path: '/Users', status: 201, userName: 'a@b.c' },
    ]);
  });
});
