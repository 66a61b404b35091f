/**
 * Issue 14, item 4: CloudWatch log lines mask every value (emails, numbers, quoted values, filter and PATCH-path
 * text, the userName); the account's own values travel sealed to the provisioning log, where its admins see them.
 */
import { gzipSync } from 'node:zlib';
import { buildMetrics } from '../../lambdas/runtime/telemetry';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { handler, setLogStore } from '../../lambdas/log-ingest';
import { requestLog } from '../../lambdas/http/middleware';
import { maskPath, maskText, publicError, publicLogFields } from '../../lambdas/log/log-privacy';
import { ProvisioningLogEntry } from '../../lambdas/log/provisioning-log';
import { cachedLogKey, logKeyFrom, seal, unseal } from '../../lambdas/log/sealed';
import { DynamoLogStore } from '../../lambdas/store/dynamo-log-store';

describe('maskText: no value survives', () => {
  it.each([
    ["phoneNumbers[type eq \"mobile\"].value '(415) 555-0100' is not in E.164 format", "phoneNumbers[type eq \"mobile\"].value '…' is not in E.164 format"],
    ["userName 'ann@acme.com' is already in use by another user", "userName '…' is already in use by another user"],
    ['Unknown attribute in filter userName eq "bob@acme.com"', 'Unknown attribute in filter userName eq "…"'],
    ['unquoted: userName eq bob@acme.com and phone +14155550100', 'unquoted: userName eq …@… and phone …'],
    ['a path: emails[value eq "x@y.z"].display', 'a path: emails[value eq "…"].display'],
    ['national 0171 5550100 and 4155550100', 'national … and …'],
    ['escaped quote "a\\"b@c.d" done', 'escaped quote "…" done'],
  ])('%s', (input, masked) => {
    expect(maskText(input)).toBe(masked);
  });

  it('keeps schema words, ids and counts that are not anyone\'s data', () => {
    const text = 'emails[type eq "work"].value; User 2819c223-7f76-453a-919d-413861904646 not found; count 500; roles[primary eq "True"]';
    expect(maskText(text)).toBe(text);
  });
});

describe('publicLogFields', () => {
  it('drops the userName, masks the rule, the path and the ignored list, keeps our own fields', () => {
    const line = publicLogFields({
      method: 'PATCH',
      resource: '/scim/{tenant}/Users/{id}',
      path: '/Users/ann@acme.com',
      status: 409,
      accountId: 'acme',
      durationMs: 12,
      userName: 'ann@acme.com',
      ignored: ['title', 'bob@acme.com', 'phoneNumbers[type eq "+14155550100"]'],
      detail: "emails[type eq \"work\"].value 'ann@acme.com' is already in use by another user",
    });
    expect(line).toEqual({
      method: 'PATCH',
      resource: '/scim/{tenant}/Users/{id}',
      path: '/Users/…',
      status: 409,
      accountId: 'acme',
      durationMs: 12,
      ignored: ['title', '…@…', 'phoneNumbers[type eq "…"]'],
      detail: "emails[type eq \"work\"].value '…' is already in use by another user",
    });
  });

  it.each([
    ['/Users/2819c223-7f76-453a-919d-413861904646', '/Users/2819c223-7f76-453a-919d-413861904646'],
    ['/Users/+14155550100', '/Users/…'],
    ['/admin/accounts/contoso-eu/users/2819c223-7f76-453a-919d-413861904646', '/admin/accounts/contoso-eu/users/2819c223-7f76-453a-919d-413861904646'],
    ['/admin/accounts/contoso/users/ann', '/admin/accounts/contoso/users/…'],
  ])('maskPath(%s)', (path, masked) => {
    expect(maskPath(path)).toBe(masked);
  });

  it('an error keeps its name and frames, and loses the values of its message', () => {
    const e = new Error("ValidationException: key UNIQUE#email#ann@acme.com 'x' is invalid");
    const out = publicError(e);
    expect(out.message).toBe("ValidationException: key …@… '…' is invalid");
    expect(out.stack).not.toContain('ann@acme.com');
    expect(out.stack).toMatch(/\n\s+at /);
  });
});

describe('sealed values', () => {
  const key = logKeyFrom('the stack secret');

  it('open with the key, and only with it; the sealed text shows no value', () => {
    const sealed = seal(key, { userName: 'ann@acme.com', detail: "'+14155550100' is taken" });
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(unseal(key, sealed)).toEqual({ userName: 'ann@acme.com', detail: "'+14155550100' is taken" });
    expect(unseal(logKeyFrom('another secret'), sealed)).toBeUndefined();
    expect(unseal(key, sealed.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).toBeUndefined(); // tampered
    expect(unseal(key, 'v1.x')).toBeUndefined();
    expect(unseal(key, 42)).toBeUndefined();
  });

  it('the key is read once, and read again after a failure', async () => {
    let reads = 0;
    const read = cachedLogKey(async () => {
      reads++;
      if (reads === 1) throw new Error('throttled');
      return 'secret';
    });
    await expect(read()).rejects.toThrow('throttled');
    await expect(read()).resolves.toEqual(logKeyFrom('secret'));
    await read();
    expect(reads).toBe(2);
  });

  it('log-ingest opens the sealed values: the provisioning log shows what Entra sent, CloudWatch did not', async () => {
    // Prepare: a line as the SCIM middleware writes it
    const appended: ProvisioningLogEntry[] = [];
    setLogStore({ append: async (e: ProvisioningLogEntry[]) => void appended.push(...e) } as unknown as DynamoLogStore, async () => key);
    const fields = {
      method: 'POST',
      path: '/Users',
      status: 409,
      accountId: 'acme',
      userName: 'ann@acme.com',
      detail: "userName 'ann@acme.com' is already in use by another user",
    };
    const line = { level: 'WARN', message: 'SCIM request', ...publicLogFields(fields), sealed: seal(key, { userName: fields.userName, detail: fields.detail }) };
    const other = { level: 'WARN', message: 'SCIM request', ...publicLogFields(fields), accountId: 'acme' }; // no sealed part
    const data = { logEvents: [{ id: 'e1', timestamp: 0, message: JSON.stringify(line) }, { id: 'e2', timestamp: 0, message: JSON.stringify(other) }] };
    const event: CloudWatchLogsEvent = { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
    expect(JSON.stringify(line)).not.toContain('ann@acme.com');

    // Act
    await handler(event);

    // Assess
    expect(appended[0]).toMatchObject({ userName: 'ann@acme.com', rule: "userName 'ann@acme.com' is already in use by another user" });
    expect(appended[1]).toMatchObject({ rule: "userName '…' is already in use by another user" });
    expect(appended[1]!.userName).toBeUndefined();
    setLogStore(undefined);
  });
});

describe('the request log middleware', () => {
  it('writes the public line with the values sealed, and hands the sink the plain fields', async () => {
    // Prepare
    const printed: Array<Record<string, unknown>> = [];
    const logger = { info: (_m: string, f: Record<string, unknown>) => printed.push(f), warn: (_m: string, f: Record<string, unknown>) => printed.push(f), error: () => undefined };
    const sunk: Array<Record<string, unknown>> = [];
    const key = logKeyFrom('k');
    const mw = requestLog(() => ({ logger: logger as never, metrics: buildMetrics() }), 'SCIM request', () => async (f: Record<string, unknown>) => void sunk.push(f), () => async () => key);
    const request = {
      event: { httpMethod: 'POST', resource: '/scim/{tenant}/Users', path: '/scim/acme.KEY/Users', logFields: { accountId: 'acme', userName: 'ann@acme.com' } },
      response: { statusCode: 409, body: JSON.stringify({ detail: "userName 'ann@acme.com' is already in use" }) },
    };

    // Act
    await mw.before!(request as never);
    await mw.after!(request as never);

    // Assess
    expect(JSON.stringify(printed)).not.toContain('ann@acme.com');
    expect(printed[0]).toMatchObject({ status: 409, detail: "userName '…' is already in use", accountId: 'acme' });
    expect(unseal(key, printed[0]!.sealed)).toEqual({ userName: 'ann@acme.com', detail: "userName 'ann@acme.com' is already in use" });
    expect(sunk[0]).toMatchObject({ userName: 'ann@acme.com', detail: "userName 'ann@acme.com' is already in use" });
  });
});
