/** Named operators (lambdas/admin/operators.ts): which SigV4 callers the /admin handlers accept. */
import { isNamedOperator, parseOperators } from '../../lambdas/admin/operators';

const USER = 'arn:aws:iam::123456789012:user/ops';
const ROLE = 'arn:aws:iam::123456789012:role/ops/scimlink-prod-OperatorsRole';
const ROLE_NO_PATH = 'arn:aws:iam::123456789012:role/Admin';
const SESSION = 'arn:aws:sts::123456789012:assumed-role/scimlink-prod-OperatorsRole/alice';

describe('isNamedOperator', () => {
  it('an IAM user matches its own ARN exactly', () => {
    expect(isNamedOperator(USER, [USER])).toBe(true);
    expect(isNamedOperator('arn:aws:iam::123456789012:user/ops2', [USER])).toBe(false);
    expect(isNamedOperator(USER, [])).toBe(false);
  });

  it('a session of a named role matches it by partition, account and name (STS leaves the path out)', () => {
    expect(isNamedOperator(SESSION, [ROLE])).toBe(true);
    expect(isNamedOperator(SESSION, [USER, ROLE])).toBe(true);
    expect(isNamedOperator('arn:aws:sts::123456789012:assumed-role/Admin/bob@example.com', [ROLE_NO_PATH])).toBe(true);
    expect(isNamedOperator('arn:aws:sts::123456789012:assumed-role/Admin/bob', ['arn:aws:iam::123456789012:role/a/b/c/Admin'])).toBe(true);
    expect(isNamedOperator('arn:aws-us-gov:sts::123456789012:assumed-role/Admin/bob', ['arn:aws-us-gov:iam::123456789012:role/Admin'])).toBe(true);
  });

  it.each([
    ['another role name', 'arn:aws:sts::123456789012:assumed-role/OtherRole/alice'],
    ['a role name that only ends like it', 'arn:aws:sts::123456789012:assumed-role/xscimlink-prod-OperatorsRole/alice'],
    ['another account', 'arn:aws:sts::210987654321:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['another partition', 'arn:aws-cn:sts::123456789012:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['no session name', 'arn:aws:sts::123456789012:assumed-role/scimlink-prod-OperatorsRole/'],
    ['a session name with a slash', 'arn:aws:sts::123456789012:assumed-role/scimlink-prod-OperatorsRole/a/b'],
    ['a prefix before the ARN', 'xarn:aws:sts::123456789012:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['a short account id', 'arn:aws:sts::12345678901:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['a long account id', 'arn:aws:sts::1234567890123:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['a non-numeric account', 'arn:aws:sts::12345678901x:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['an iam service in place of sts', 'arn:aws:iam::123456789012:assumed-role/scimlink-prod-OperatorsRole/alice'],
    ['a federated user', 'arn:aws:sts::123456789012:federated-user/scimlink-prod-OperatorsRole'],
    ['the role ARN itself when not named', 'arn:aws:iam::123456789012:role/ops/OtherRole'],
  ])('refuses %s', (_why, caller) => {
    expect(isNamedOperator(caller, [ROLE])).toBe(false);
  });

  it.each([
    ['a named user ARN', USER],
    ['a role under the named one\'s name as a path', 'arn:aws:iam::123456789012:role/scimlink-prod-OperatorsRole/x'],
    ['a role ARN with a prefix', `x${ROLE}`],
    ['a role ARN of another account', 'arn:aws:iam::210987654321:role/ops/scimlink-prod-OperatorsRole'],
    ['a role ARN with a short account', 'arn:aws:iam::12345678901:role/scimlink-prod-OperatorsRole'],
    ['a role ARN in another partition', 'arn:aws-cn:iam::123456789012:role/scimlink-prod-OperatorsRole'],
    ['a policy ARN of the same name', 'arn:aws:iam::123456789012:policy/scimlink-prod-OperatorsRole'],
    ['a role ARN ending in a slash', 'arn:aws:iam::123456789012:role/scimlink-prod-OperatorsRole/'],
  ])('a session does not match %s', (_why, op) => {
    expect(isNamedOperator(SESSION, [op])).toBe(false);
  });

  it('a caller that is no session matches no role, even one whose ARN fits', () => {
    expect(isNamedOperator('arn:aws:iam::123456789012:user/scimlink-prod-OperatorsRole', [ROLE])).toBe(false);
    expect(isNamedOperator('', [ROLE])).toBe(false);
  });
});

describe('parseOperators (OPERATOR_PRINCIPALS)', () => {
  it('comma-separated ARNs, trimmed, empty entries dropped', () => {
    expect(parseOperators(` ${USER} ,, ${ROLE},`)).toEqual([USER, ROLE]);
    expect(parseOperators(USER)).toEqual([USER]);
  });

  it('unset or blank: nobody', () => {
    expect(parseOperators(undefined)).toEqual([]);
    expect(parseOperators('')).toEqual([]);
    expect(parseOperators(' , ')).toEqual([]);
  });
});
