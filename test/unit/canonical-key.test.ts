import { isCanonicalKey } from '../../lambdas/scim/uniqueness';

/**
 * Which sentinel keys are in today's canonical form (`scimlink verify` reports the others: a lookup by the value
 * misses them, so the value could be taken twice).
 */
describe('isCanonicalKey', () => {
  it.each<[string, boolean]>([
    ['userName#ann@acme.com', true],
    ['userName#Ann@acme.com', false],
    ['userName#', false],
    ['email#ann@acme.com', true],
    ['email#ANN@acme.com', false],
    ['email#', false],
    ['phone#14155550100', true],
    ['phone#12', true],
    ['phone#1', false],
    ['phone#+14155550100', false],
    ['phone#x14155550100', false],
    ['phone#14155550100x', false],
    ['phone#1234567890123456', false],
    ['extension#acme#1234', true],
    ['extension#1234', false],
    ['extension#acme#12a4', false],
    ['extension#acme#', false],
    ['group#anything', false],
    ['no-kind-at-all', false],
  ])('%s → %s', (key, expected) => {
    expect(isCanonicalKey(key)).toBe(expected);
  });
});
