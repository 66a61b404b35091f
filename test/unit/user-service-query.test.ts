import { EXTENSION_SCHEMA } from '../../lambdas/scim/schema';
import { UserData } from '../../lambdas/scim/user';
import { UserService } from '../../lambdas/scim/user-service';
import { MemoryUserStore } from '../support/memory-user-store';

/**
 * GET /Users?filter=… answers with exactly the users the filter matches. An equality on a unique value lets the
 * service fetch candidates by key (lambdas/scim/filter/index-hint.ts); a hint taken where the filter does not
 * *require* that equality silently drops users — no error, a wrong answer. Every case below states the full
 * result set, so a hint that narrows too far fails here.
 */
const ACC = 'acc1';

function user(n: string, extra: Partial<UserData> = {}): UserData {
  return {
    userName: `${n}@contoso.com`,
    active: true,
    displayName: `User ${n}`,
    emails: [
      { value: `${n}@contoso.com`, type: 'work', primary: true },
      { value: `${n}@home.example`, type: 'other' },
    ],
    phoneNumbers: [{ value: `+1415555${n === 'ann' ? '0100' : n === 'bob' ? '0101' : '0102'}`, type: 'mobile' }],
    ...extra,
  };
}

async function seeded() {
  const store = new MemoryUserStore();
  await store.create(ACC, user('ann', { externalId: 'shared', [EXTENSION_SCHEMA]: { extension: '100' } }));
  await store.create(ACC, user('bob', { externalId: 'shared', [EXTENSION_SCHEMA]: { extension: '200' } }));
  await store.create(ACC, user('cat', { externalId: 'Own', phoneNumbers: [{ value: '+14155550102', type: 'work' }] }));
  // Another account: never part of acc1's answers, even where a value (externalId) is the same.
  await store.create('acc2', { userName: 'dan@fabrikam.com', active: true, displayName: 'Dan', externalId: 'shared', emails: [{ value: 'dan@fabrikam.com', type: 'work' }] });
  const service = new UserService(store, ACC, Promise.resolve(), 'https://example.com/scim/acc1.k');
  return { store, service };
}

async function names(filter: string) {
  const { service } = await seeded();
  const { total, users } = await service.query(filter, { startIndex: 1, count: 100 });
  const found = users.map((u) => u.data.userName.split('@')[0]).sort();
  expect(total).toBe(found.length);
  return found;
}

describe('GET /Users?filter: exactly the matching users, whichever way they are fetched', () => {
  it.each<[string, string[]]>([
    // Entra's lookups: answered by key
    ['userName eq "ann@contoso.com"', ['ann']],
    ['userName eq "ANN@Contoso.com"', ['ann']],
    ['emails[type eq "work"].value eq "bob@contoso.com"', ['bob']],
    ['emails.value eq "bob@home.example"', ['bob']],
    ['emails[type eq "other"].value eq "bob@contoso.com"', []],
    ['phoneNumbers[type eq "mobile"].value eq "+14155550100"', ['ann']],
    ['phoneNumbers[type eq "work"].value eq "+14155550100"', []],
    ['externalId eq "shared"', ['ann', 'bob']],
    ['externalId eq "SHARED"', []],
    ['extension eq "200"', ['bob']],
    ['userName eq "dan@fabrikam.com"', []],
    ['userName eq "ann@contoso.com" and active eq false', []],
    // the same attributes in shapes that do not require one value: every user that matches
    ['userName ne "ann@contoso.com"', ['bob', 'cat']],
    ['userName co "@contoso.com"', ['ann', 'bob', 'cat']],
    ['userName sw "ann"', ['ann']],
    ['userName pr', ['ann', 'bob', 'cat']],
    ['userName eq "ann@contoso.com" or userName eq "bob@contoso.com"', ['ann', 'bob']],
    ['not (userName eq "ann@contoso.com")', ['bob', 'cat']],
    ['not (userName ne "ann@contoso.com")', ['ann']],
    ['emails[value ne "ann@contoso.com"]', ['ann', 'bob', 'cat']],
    ['emails[type eq "work" and value ne "ann@contoso.com"]', ['bob', 'cat']],
    ['emails[type eq "work"]', ['ann', 'bob', 'cat']],
    ['emails.type eq "work"', ['ann', 'bob', 'cat']],
    ['emails[type eq "other"].value co "home"', ['ann', 'bob', 'cat']],
    ['emails[type eq "work"].value sw "bob"', ['bob']],
    ['emails[type eq "work"].value pr', ['ann', 'bob', 'cat']],
    ['emails[primary eq true].value eq "ann@contoso.com"', ['ann']],
    ['emails[value eq "ann@contoso.com" or value eq "cat@contoso.com"]', ['ann', 'cat']],
    ['emails[not (value eq "ann@contoso.com")]', ['ann', 'bob', 'cat']],
    ['emails[display eq "bob@contoso.com"]', []],
    ['emails[type eq "bob@contoso.com"]', []],
    ['phoneNumbers[type eq "mobile"]', ['ann', 'bob']],
    ['phoneNumbers.type eq "work"', ['cat']],
    ['phoneNumbers[value ne "+14155550100"]', ['bob', 'cat']],
    ['externalId ne "shared"', ['cat']],
    ['externalId eq "shared" or externalId eq "Own"', ['ann', 'bob', 'cat']],
    ['extension ne "100"', ['bob', 'cat']], // absent is not equal (RFC 7644 §3.4.2.2)
    ['extension pr', ['ann', 'bob']],
    ['id ne "u-001"', ['bob', 'cat']],
    ['id eq "u-002"', ['bob']],
    ['id eq "u-004"', []],
    ['displayName eq "User cat"', ['cat']],
    ['active eq true', ['ann', 'bob', 'cat']],
    // a required equality inside an and still narrows correctly
    ['active eq true and externalId eq "shared"', ['ann', 'bob']],
    ['externalId eq "shared" and userName eq "bob@contoso.com"', ['bob']],
    ['(userName eq "ann@contoso.com" or userName eq "cat@contoso.com") and externalId eq "shared"', ['ann']],
    // sub-attribute names inside brackets are case-insensitive; only `value` is the indexed one
    ['emails[VALUE eq "bob@contoso.com"]', ['bob']],
    ['phoneNumbers[type eq "mobile" and Value eq "+14155550101"]', ['bob']],
    ['phoneNumbers[type eq "+14155550101"]', []],
    ['emails[type eq "work" and primary eq true]', ['ann', 'bob', 'cat']],
    ['emails.value[value eq "ann@contoso.com"]', []],
    ['userName[value eq "ann@contoso.com"]', []],
    ['emails.primary eq true', ['ann', 'bob', 'cat']],
    ['emails.display eq "ann@contoso.com"', []],
    ['phoneNumbers.primary eq false', []],
    ['emails.value ne "ann@contoso.com"', ['bob', 'cat']], // no address equals it
    ['emails ne "ann@contoso.com"', ['bob', 'cat']],
    ['phoneNumbers sw "+1415555010"', ['ann', 'bob', 'cat']],
    // unquoted and URN-prefixed spellings of indexed attributes
    ['extension eq 200', ['bob']],
    ['extension eq 2e2', []],
    ['urn:ietf:params:scim:schemas:extension:scimlink:2.0:User:extension eq "100"', ['ann']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:emails.value eq "cat@home.example"', ['cat']],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "ann@contoso.com"', []],
    ['urn:example:Other:userName eq "ann@contoso.com"', []],
    ['extension.value eq "100"', []],
    ['userName.value eq "ann@contoso.com"', []],
    ['name.givenName eq "ann"', []],
    ['active eq true and userName eq "cat@contoso.com" and phoneNumbers eq "+14155550102"', ['cat']],
    ['emails[type eq "work"] and externalId eq "shared"', ['ann', 'bob']],
    ['not (emails[value eq "ann@contoso.com"]) and externalId eq "shared"', ['bob']],
  ])('%s → %j', async (filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it('fetches Entra\'s lookups by key, never the whole account', async () => {
    // Prepare
    const { store, service } = await seeded();

    // Act
    await service.query('userName eq "ann@contoso.com"', { startIndex: 1, count: 100 });
    await service.query('emails[type eq "work"].value eq "bob@contoso.com"', { startIndex: 1, count: 100 });
    await service.query('externalId eq "shared"', { startIndex: 1, count: 100 });
    await service.query('id eq "u-003"', { startIndex: 1, count: 100 });
    await service.query('phoneNumbers[type eq "mobile"].value eq "+14155550100"', { startIndex: 1, count: 100 });
    await service.query('extension eq "200"', { startIndex: 1, count: 100 });
    await service.query('emails[Value eq "cat@home.example"]', { startIndex: 1, count: 100 });
    await service.query('phoneNumbers eq "+14155550101" and active eq true', { startIndex: 1, count: 100 });
    await service.query('emails eq "ann@home.example"', { startIndex: 1, count: 100 });
    await service.query('emails.value eq "bob@home.example"', { startIndex: 1, count: 100 });
    await service.query('phoneNumbers.value eq "+14155550102"', { startIndex: 1, count: 100 });
    await service.query('userName eq "cat@contoso.com" and userName ne "x" and active eq true', { startIndex: 1, count: 100 });

    // Assess
    expect(store.reads).toEqual(expect.arrayContaining(['userName ann@contoso.com', 'email bob@contoso.com', 'externalId shared', 'get u-003', 'phone +14155550100', 'extension 200', 'email cat@home.example', 'phone +14155550101', 'email ann@home.example', 'email bob@home.example', 'phone +14155550102', 'userName cat@contoso.com']));
    expect(store.reads.filter((r) => r === 'page' || r === 'all')).toEqual([]);
  });

  it.each<[number, number, string[]]>([
    [1, 2, ['ann', 'bob']],
    [2, 2, ['bob', 'cat']],
    [3, 5, ['cat']],
    [4, 5, []],
    [1, 0, []],
  ])('pages a filtered result: startIndex %i, count %i → %j of 3', async (startIndex, count, expected) => {
    // Prepare
    const { service } = await seeded();

    // Act
    const { total, users } = await service.query('userName co "@contoso.com"', { startIndex, count });

    // Assess
    expect(total).toBe(3);
    expect(users.map((u) => u.data.userName.split('@')[0])).toEqual(expected);
  });
});
