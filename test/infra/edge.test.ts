/**
 * Issue 13, items 3, 4, 5, 7 in the synthesized template: a fair share per tenant at the edge (WAF rate rules,
 * per-group method throttles, reserved concurrency), named operators on /admin (resource policy + handler env),
 * the account's API Gateway CloudWatch role for a first deploy, 15-minute console tokens.
 */
import { ADMIN_ROUTES, CONSOLE_API_ROUTES, CONSOLE_ROUTES, HANDLER_ACCESS, SCIM_ROUTES } from '../../lambdas/routes';
import { DEFAULTS } from '../../lib/config';
import { Synthesized, synthesize } from './synth';

type Resource = Synthesized['resources'][string];
let s: Synthesized;
beforeAll(() => {
  s = synthesize({}, { bundle: false });
});

const ofType = (template: Synthesized, type: string) => Object.entries(template.resources).filter(([, r]) => r.Type === type);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation properties are free-form
const props = (r: Resource): any => r.Properties ?? {};

describe('fair share at the edge (item 3)', () => {
  it('a regional web ACL on the stage: per token, junk per IP, per path on /scim/, per IP on /admin/ and /console/, all answering a SCIM 429', () => {
    const [[, acl]] = ofType(s, 'AWS::WAFv2::WebACL') as [[string, Resource]];
    const p = props(acl);
    expect(p.Scope).toBe('REGIONAL');
    expect(p.DefaultAction).toEqual({ Allow: {} });
    const rules = p.Rules as Array<{ Name: string; Statement: { RateBasedStatement: Record<string, unknown> }; Action: unknown }>;
    expect(rules.map((r) => [r.Name, r.Statement.RateBasedStatement.Limit, r.Statement.RateBasedStatement.EvaluationWindowSec])).toEqual([
      ['scim-per-token', DEFAULTS.wafTokenRatePerMinute, 60],
      ['scim-junk-per-ip', DEFAULTS.wafJunkRatePerMinute, 60],
      ['scim-per-path', DEFAULTS.wafTokenRatePerMinute, 60],
      ['admin-console-per-ip', DEFAULTS.wafAdminRatePerMinute, 60],
    ]);
    expect(rules[0]?.Statement.RateBasedStatement.CustomKeys).toEqual([{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }]);
    for (const r of rules) {
      expect(r.Action).toEqual({
        Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'tooMany', ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }] } },
      });
    }
    expect(JSON.parse(p.CustomResponseBodies.tooMany.Content)).toMatchObject({ status: '429', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    const [[, association]] = ofType(s, 'AWS::WAFv2::WebACLAssociation') as [[string, Resource]];
    expect(JSON.stringify(props(association).WebACLArn)).toContain('Arn');
  });

  it('uses an existing web ACL instead when webAclArn is given, and none with waf=false', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/mine/0000';
    const existing = synthesize({ webAclArn: arn }, { bundle: false });
    expect(ofType(existing, 'AWS::WAFv2::WebACL')).toHaveLength(0);
    expect(props((ofType(existing, 'AWS::WAFv2::WebACLAssociation')[0] as [string, Resource])[1]).WebACLArn).toBe(arn);
    expect(ofType(synthesize({ waf: false }, { bundle: false }), 'AWS::WAFv2::WebACL')).toHaveLength(0);
  });

  it('each route group has its own per-method throttle, besides the stage default', () => {
    const [[, stage]] = ofType(s, 'AWS::ApiGateway::Stage') as [[string, Resource]];
    const settings = props(stage).MethodSettings as Array<{ ResourcePath: string; HttpMethod: string; ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const byRoute = new Map(settings.map((m) => [`${m.HttpMethod} ${m.ResourcePath.slice(1).replace(/~1/g, '/')}`, [m.ThrottlingRateLimit, m.ThrottlingBurstLimit]]));
    for (const r of SCIM_ROUTES) expect(byRoute.get(`${r.method} ${r.path}`)).toEqual([DEFAULTS.scimRateLimit, DEFAULTS.scimBurstLimit]);
    for (const r of ADMIN_ROUTES) expect(byRoute.get(`${r.method} ${r.path}`)).toEqual([DEFAULTS.adminRateLimit, DEFAULTS.adminBurstLimit]);
    for (const r of [...CONSOLE_API_ROUTES, ...CONSOLE_ROUTES]) expect(byRoute.get(`${r.method} ${r.path}`)).toEqual([DEFAULTS.consoleRateLimit, DEFAULTS.consoleBurstLimit]);
  });

  it('reserves concurrency for every admin and console function (SCIM traffic cannot starve them), none for SCIM ones', () => {
    const scimHandlers = new Set(SCIM_ROUTES.map((r) => r.handler));
    const reserved = new Map(
      ofType(s, 'AWS::Lambda::Function')
        .map(([, r]) => props(r))
        .filter((p) => typeof p.Description === 'string' && p.Description.startsWith('scimlink '))
        .map((p) => [String(p.Description).split(' ')[1]?.replace(/:$/, ''), p.ReservedConcurrentExecutions]),
    );
    for (const handler of Object.keys(HANDLER_ACCESS).filter((h) => reserved.has(h))) {
      expect({ handler, reserved: reserved.get(handler) }).toEqual({ handler, reserved: scimHandlers.has(handler) ? undefined : DEFAULTS.reservedConcurrency });
    }
    expect(reserved.size).toBeGreaterThanOrEqual(Object.keys(HANDLER_ACCESS).length - 2);
  });
});

describe('named operators (item 4)', () => {
  it('the API resource policy lets anyone reach SCIM and console routes and denies /admin to every principal but the operators', () => {
    const [[, api]] = ofType(s, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    const statements = props(api).Policy.Statement as Array<Record<string, unknown>>;
    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }),
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: expect.arrayContaining(['execute-api:/*/*/admin/*', 'execute-api:/*/*/admin']) }),
    ]);
    const operators = (statements[1] as { Condition: { StringNotEquals: Record<string, unknown[]> } }).Condition.StringNotEquals['aws:PrincipalArn'];
    expect(JSON.stringify(operators)).toMatch(/OperatorsRole/);
  });

  it('adds the principals named in context, to the policy and to every admin function', () => {
    const named = 'arn:aws:iam::123456789012:role/ops/SecOps';
    const t = synthesize({ operatorPrincipalArns: named }, { bundle: false });
    const [[, api]] = ofType(t, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    expect(JSON.stringify(props(api).Policy)).toContain(named);
    const admin = ofType(t, 'AWS::Lambda::Function').map(([, r]) => props(r)).filter((p) => p.Environment?.Variables?.ADMIN_AUTH === 'iam');
    expect(admin.length).toBe(new Set(ADMIN_ROUTES.map((r) => r.handler)).size);
    for (const p of admin) expect(JSON.stringify(p.Environment.Variables.OPERATOR_PRINCIPALS)).toContain(named);
    expect(() => synthesize({ operatorPrincipalArns: 'alice' }, { bundle: false })).toThrow(/operatorPrincipalArns/);
  });

  it('creates the operator role, with execute-api:Invoke on /admin only, and outputs its ARN', () => {
    s.template.hasOutput('OperatorRoleArn', {});
    const policies = ofType(s, 'AWS::IAM::ManagedPolicy').map(([, r]) => props(r));
    const admin = policies.find((p) => JSON.stringify(p.PolicyDocument).includes('/admin/*'));
    expect(JSON.stringify(admin?.Roles)).toMatch(/OperatorsRole/);
  });
});

describe('first deploy in a fresh account (item 5)', () => {
  it("creates the account's API Gateway CloudWatch role, retained on delete; not with apiGatewayCloudWatchRole=false", () => {
    const [[, account]] = ofType(s, 'AWS::ApiGateway::Account') as [[string, Resource]];
    expect(account.DeletionPolicy).toBe('Retain');
    const role = Object.values(s.resources).find((r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties).includes('AmazonAPIGatewayPushToCloudWatchLogs'));
    expect(role?.DeletionPolicy).toBe('Retain');
    expect(ofType(synthesize({ apiGatewayCloudWatchRole: false }, { bundle: false }), 'AWS::ApiGateway::Account')).toHaveLength(0);
  });
});

describe('console sessions (item 7)', () => {
  it('ID and access tokens live 15 minutes (a removed group or moved account takes effect within that)', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { IdTokenValidity: 15, AccessTokenValidity: 15, TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' } });
  });
});
