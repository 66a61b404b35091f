/**
 * Identifiers nobody can spoof (issue 14, item 1), through real HTTP on the embedded store: beside an existing
 * ann@acme.com, every look-alike of the issue is refused — 400 naming the attribute and the character class, or 409
 * because it folds to the same canonical form — and nothing is written; the holder is found by any spelling;
 * `scimlink verify` reports a key an older version wrote in the old form.
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { VerifyView } from '../../lambdas/admin/contract';
import { documentClient } from '../../lambdas/runtime/deps';
import { TestServer, startTestServer } from '../support/local-server';
import { userWith } from '../support/robustness';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  expect((await s.scim('POST', '/Users', userWith({ userName: 'ann@acme.com', email: 'ann@acme.com' }))).status).toBe(201);
  expect((await s.scim('POST', '/Users', userWith({ userName: 'fiona@acme.com', email: 'fiona@acme.com' }))).status).toBe(201);
});
afterAll(async () => {
  await s.close();
});

const verify = async (): Promise<VerifyView> =>
  (await fetch(`${s.app.adminUrl}/verify`, { headers: { Authorization: `Bearer ${s.app.adminToken}` } })).json() as Promise<VerifyView>;
const total = async () => (await s.scim('GET', '/Users?count=0')).body.totalResults as number;

describe('look-alikes of an existing ann@acme.com never get a 201', () => {
  it.each([
    ['a trailing space', 'ann@acme.com ', 'has leading or trailing whitespace'],
    ['a leading tab', '\tann@acme.com', 'a control character (U+0009)'],
    ['a newline', 'ann\n@acme.com', 'a control character (U+000A)'],
    ['a zero-width space', 'an\u200Bn@acme.com', '(U+200B)'],
    ['a zero-width joiner', 'an\u200Dn@acme.com', '(U+200D)'],
    ['a soft hyphen', 'an\u00ADn@acme.com', '(U+00AD)'],
    ['NUL', 'an\u0000n@acme.com', 'a control character (U+0000)'],
    ['a right-to-left override', '\u202Eann@acme.com', 'a bidirectional control character (U+202E)'],
    ['Cyrillic а', '\u0430nn@acme.com', 'mixes Cyrillic and Latin letters'],
  ])('%s in userName and email → 400 naming the attribute and the class', async (_what, value, rule) => {
    const before = await total();
    const res = await s.scim('POST', '/Users', userWith({ userName: value, email: value }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(res.body.detail).toMatch(/^userName '/);
    expect(res.body.detail).toContain('emails[type eq "work"].value');
    expect(res.body.detail).toContain(rule);
    expect(await total()).toBe(before);
  });

  it.each([
    ['fullwidth ａ', 'ａnn@acme.com', 'ann@acme.com'],
    ['upper case and fullwidth domain', 'ANN@ＡＣＭＥ.com', 'ann@acme.com'],
    ['the ligature ﬁ', 'ﬁona@acme.com', 'fiona@acme.com'],
  ])('%s folds to the holder → 409 uniqueness, and the holder is found by that spelling', async (_what, value, holder) => {
    const before = await total();
    const res = await s.scim('POST', '/Users', userWith({ userName: value, email: `x-${Date.now()}@other.test` }));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ scimType: 'uniqueness' });
    expect(await total()).toBe(before);
    // Entra looks the user up before creating it: the lookup must find the holder, or it retries the 409 forever.
    const found = await s.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${value}"`)}`);
    expect(found.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([holder]);
  });

  it('a PATCH that would make a user a look-alike is refused and changes nothing', async () => {
    const created = await s.scim('POST', '/Users', userWith({ userName: 'patchme@acme.com', email: 'patchme@acme.com' }));
    const res = await s.scim('PATCH', `/Users/${created.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'userName', value: 'patch\u200Bme@acme.com' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("userName 'patch\\u{200B}me@acme.com' contains");
    expect((await s.scim('GET', `/Users/${created.body.id}`)).body.userName).toBe('patchme@acme.com');
  });

  it('stores the value as Entra sent it', async () => {
    const res = await s.scim('POST', '/Users', userWith({ userName: 'Zoë.Müller@Acme.com', email: 'ZOË.MÜLLER@acme.com' }));
    expect(res.status).toBe(201);
    expect(res.body.userName).toBe('Zoë.Müller@Acme.com');
    expect(res.body.emails[0].value).toBe('ZOË.MÜLLER@acme.com');
  });
});

it('scimlink verify reports a sentinel an older version wrote in the old form (NFC + lower case)', async () => {
  // Prepare: a user whose userName folds differently today ("ß" → "ss"), with its sentinel in the old form
  const created = await s.scim('POST', '/Users', userWith({ userName: 'Straße@acme.de', email: 'strasse-mail@acme.de' }));
  expect(created.status).toBe(201);
  const doc = documentClient(s.app.dynamo.client);
  const table = s.app.tableName;
  await doc.send(new PutCommand({ TableName: table, Item: { pk: 'UNIQUE#userName#straße@acme.de', sk: 'UNIQUE', kind: 'sentinel', accountId: 'demo', userId: created.body.id } }));
  await doc.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: 'ACCOUNT#demo', sk: `USER#${created.body.id}` },
      UpdateExpression: 'SET uniques = :u',
      ExpressionAttributeValues: { ':u': ['userName#straße@acme.de', 'email#strasse-mail@acme.de'] },
    }),
  );
  await doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'UNIQUE#userName#strasse@acme.de', sk: 'UNIQUE' } }));

  // Act
  const report = await verify();

  // Assess
  expect(report.findings.map((f) => `${f.kind} ${f.key}`)).toContain('non-canonical-key UNIQUE#userName#straße@acme.de');

  // Entra's next change of that user rewrites its keys in the canonical form, and verify is clean again.
  const patched = await s.scim('PATCH', `/Users/${created.body.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'displayName', value: 'Renamed' }],
  });
  expect(patched.status).toBe(200);
  const after = await verify();
  expect(after.findings).toEqual([]);
});
