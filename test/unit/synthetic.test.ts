import { isSyntheticRequest, isSyntheticUserName } from '../../lambdas/scim/synthetic';

/** What marks `scimlink check`'s traffic (lambdas/scim/synthetic.ts): its users' names and its request header. */
describe('synthetic traffic', () => {
  it.each<[unknown, boolean]>([
    ['scimlink-check-k3x9-created@example.com', true],
    ['SCIMLINK-CHECK-K3X9-Created@Example.COM', true],
    ['scimlink-check-k3x9-@example.com', true],
    // Not ours: another domain, a prefix or suffix around the pattern, no run id.
    ['scimlink-check-k3x9-created@example.org', false],
    ['scimlink-check-k3x9-created@example.com.evil.test', false],
    ['xscimlink-check-k3x9-created@example.com', false],
    ['scimlink-check--created@example.com', false],
    ['ann@example.com', false],
    // A JSON array whose text would match: a userName is a string or nothing synthetic.
    [['scimlink-check-k3x9-created@example.com'], false],
    [undefined, false],
  ])('userName %j → synthetic %s', (userName, expected) => {
    expect(isSyntheticUserName(userName)).toBe(expected);
  });

  it.each<[Record<string, string | undefined>, boolean]>([
    [{ 'x-scimlink-synthetic': 'check' }, true],
    [{ 'x-scimlink-synthetic': ' Check ' }, true],
    [{ 'x-scimlink-synthetic': 'checks' }, false],
    [{ 'x-scimlink-synthetic': '' }, false],
    [{ 'x-scimlink-synthetic': undefined }, false],
    [{ 'x-other': 'check' }, false],
    [{}, false],
  ])('headers %p → synthetic %s', (headers, expected) => {
    expect(isSyntheticRequest(headers)).toBe(expected);
  });
});
