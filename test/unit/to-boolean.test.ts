import { toBoolean } from '../../lambdas/scim/rules';

/** Entra sends `active` as a boolean or, in some attribute mappings, as the string "True"/"False". */
describe('toBoolean', () => {
  it.each<[unknown, boolean | undefined]>([
    [true, true],
    [false, false],
    ['True', true],
    [' FALSE ', false],
    ['true', true],
    ['yes', undefined],
    ['', undefined],
    [1, undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%j → %j', (value, expected) => {
    expect(toBoolean(value)).toBe(expected);
  });
});
