import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADMIN_ROUTES, CONSOLE_API_ROUTES, CONSOLE_ROUTES } from '../../lambdas/routes';
import { accessProblems, Statement } from './iam';
import { acknowledgments, nagFindings } from './nag';
import { assetDir, deployedMethods, Synthesized, synthesize, synthesizedApp } from './synth';

/**
 * The console when deployed (lib/console.ts): served by the API at /console, people signing in with the Cognito
 * user pool's hosted UI, and /console/api behind the user-pool authorizer. One bundled synthesis of the real app,
 * as in stack.test.ts, so the console function's bundle can be opened.
 */

const fixture = synthesizedApp('scimlink-console-');
let s: Synthesized;
let outdir: string;
beforeAll(() => ({ s, outdir } = fixture));

type Resource = Synthesized['resources'][string];
const ofType = (type: string): Array<[string, Resource]> => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, Record<string, any>] => {
  const found = ofType(type);
  expect(found).toHaveLength(1);
  const [id, r] = found[0]!;
  return [id, r.Properties as Record<string, any>];
};
const fnId = (handler: string) => s.logicalId(s.stack.functions.get(handler)!.fn);
const restApiId = () => only('AWS::ApiGateway::RestApi')[0];

/** `<ApiUrl>/console/`, from the API id (not the stage: that would be a dependency cycle through the function's env). */
const consoleUrl = () => ({
  'Fn::Join': ['', ['https://', { Ref: restApiId() }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod/console/']],
});

describe('user pool', () => {
  it('has no self sign-up: operators create every user; people sign in with their e-mail address', () => {
    const [, p] = only('AWS::Cognito::UserPool');
    expect(p.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(p.UsernameAttributes).toEqual(['email']);
    expect(p.UsernameConfiguration).toEqual({ CaseSensitive: false });
    // The invitation tells the new user where to sign in.
    expect(JSON.stringify(p.AdminCreateUserConfig.InviteMessageTemplate.EmailMessage)).toContain('/prod/console/');
  });

  it('requires a strong password and a TOTP authenticator (no SMS); recovery by e-mail only', () => {
    const [, p] = only('AWS::Cognito::UserPool');
    expect(p.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(p.MfaConfiguration).toBe('ON');
    expect(p.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(p.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
  });

  it('is retained and deletion-protected (the users and their roles are operators\' work)', () => {
    s.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { DeletionProtection: 'ACTIVE' },
    });
  });

  it('has the mutable custom attribute accountId', () => {
    const [, p] = only('AWS::Cognito::UserPool');
    expect(p.Schema).toEqual(expect.arrayContaining([expect.objectContaining({ Name: 'accountId', AttributeDataType: 'String', Mutable: true })]));
  });

  it('has exactly the groups operator, partner and account-admin, strongest first', () => {
    const [poolId] = only('AWS::Cognito::UserPool');
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties as Record<string, any>);
    expect(groups.map((g) => [g.GroupName, g.Precedence]).sort()).toEqual([
      ['account-admin', 2],
      ['operator', 0],
      ['partner', 1],
    ]);
    for (const g of groups) expect(g.UserPoolId).toEqual({ Ref: poolId });
  });

  it('has a hosted-UI prefix domain named after the stage and the account', () => {
    const [, p] = only('AWS::Cognito::UserPoolDomain');
    expect(p.Domain).toEqual({ 'Fn::Join': ['', ['scimlink-prod-', { Ref: 'AWS::AccountId' }]] });
    expect(p.CustomDomainConfig).toBeUndefined();
  });
});

describe('app client', () => {
  const client = () => only('AWS::Cognito::UserPoolClient')[1];

  it('is public (no secret, so the console uses PKCE): authorization code flow only, no implicit flow', () => {
    const c = client();
    expect(c.GenerateSecret).toBe(false);
    expect(c.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(c.AllowedOAuthFlows).toEqual(['code']);
    expect([...c.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(c.SupportedIdentityProviders).toEqual(['COGNITO']);
    // No flow that sends the password itself, no admin flow.
    expect(c.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(c.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('sends people back to the console URL after sign-in and sign-out', () => {
    const c = client();
    expect(c.CallbackURLs).toEqual([consoleUrl()]);
    expect(c.LogoutURLs).toEqual([consoleUrl()]);
  });

  it('reads custom:accountId (it is in the ID token) but can never write it', () => {
    const c = client();
    expect(c.ReadAttributes).toContain('custom:accountId');
    expect(c.WriteAttributes).not.toContain('custom:accountId');
    // An empty list would mean "every attribute" to Cognito.
    expect(c.WriteAttributes).toEqual(['name']);
  });
});

describe('routes', () => {
  const methods = () => deployedMethods(s);
  const authorizerId = () => only('AWS::ApiGateway::Authorizer')[0];

  it('the authorizer checks the user pool\'s tokens in the Authorization header', () => {
    const [poolId] = only('AWS::Cognito::UserPool');
    const [, p] = only('AWS::ApiGateway::Authorizer');
    expect(p).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [poolId, 'Arn'] }],
      RestApiId: { Ref: restApiId() },
    });
  });

  it.each(CONSOLE_API_ROUTES.map((r) => [`${r.method} ${r.path}`, r.handler]))(
    '%s → %s (the /admin function), COGNITO_USER_POOLS',
    (route, handler) => {
      expect(methods().get(route)).toEqual({ auth: 'COGNITO_USER_POOLS', authorizer: authorizerId(), fn: fnId(handler), integration: 'AWS_PROXY' });
    },
  );

  it('the console API reuses the admin functions: one function per admin handler, whichever tree calls it', () => {
    const m = methods();
    for (const r of ADMIN_ROUTES) {
      expect(m.get(`${r.method} ${r.path.replace(/^\/admin/, '/console/api')}`)!.fn).toBe(m.get(`${r.method} ${r.path}`)!.fn);
    }
  });

  it('every /admin method stays AWS_IAM', () => {
    const admin = [...methods()].filter(([key]) => / \/admin(\/|$)/.test(key));
    expect(admin).toHaveLength(ADMIN_ROUTES.length);
    for (const [, m] of admin) expect(m).toMatchObject({ auth: 'AWS_IAM' });
  });

  it.each(CONSOLE_ROUTES.map((r) => [`${r.method} ${r.path}`]))('%s → console-assets, no auth (the page loads before sign-in)', (route) => {
    expect(methods().get(route)).toEqual({ auth: 'NONE', fn: fnId('console-assets'), integration: 'AWS_PROXY' });
  });
});

describe('console-assets function', () => {
  const fnProps = () => s.resources[fnId('console-assets')]!.Properties as Record<string, any>;

  it('knows the hosted UI and the client id, and nothing about the table or the secrets', () => {
    const [domainId] = only('AWS::Cognito::UserPoolDomain');
    const [clientId] = only('AWS::Cognito::UserPoolClient');
    const env = fnProps().Environment.Variables;
    expect(env.COGNITO_DOMAIN).toEqual({ 'Fn::Join': ['', ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] });
    expect(env.COGNITO_CLIENT_ID).toEqual({ Ref: clientId });
    expect(Object.keys(env).sort()).toEqual(['COGNITO_CLIENT_ID', 'COGNITO_DOMAIN', 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME']);
  });

  it('may only write its own log group: no DynamoDB, no Secrets Manager', () => {
    const f = s.stack.functions.get('console-assets')!;
    const roleId = s.logicalId(f.role);
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify((p.Properties as Record<string, any>).Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => (p.Properties as Record<string, any>).PolicyDocument.Statement as Statement[]);
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(actions.filter((a) => /^(dynamodb|secretsmanager|kms):/.test(a))).toEqual([]);
    expect(
      accessProblems(statements, {
        handler: 'console-assets',
        access: { table: 'none', secrets: 'none' },
        scim: false,
        tableArn: undefined,
        logGroupArn: { 'Fn::GetAtt': [s.logicalId(f.logGroup), 'Arn'] },
        secretsArnTail: '',
      }),
    ).toEqual([]);
  });

  it('ships the built console as console-assets.json next to its index.js', () => {
    const dir = assetDir(s, outdir, fnId('console-assets'));
    expect(fs.readdirSync(dir).sort()).toEqual(['console-assets.json', 'index.js', 'index.js.map']);
    const assets = JSON.parse(fs.readFileSync(path.join(dir, 'console-assets.json'), 'utf8')) as Record<string, { body: string; contentType: string }>;
    expect(Object.keys(assets).sort()).toEqual(['app.css', 'app.js', 'index.html']);
    expect(assets['index.html']!.contentType).toMatch(/^text\/html/);
    expect(assets['app.js']!.contentType).toMatch(/javascript/);
    expect(assets['app.css']!.contentType).toMatch(/^text\/css/);
    for (const a of Object.values(assets)) expect(a.body.length).toBeGreaterThan(0);
  });

  it('no other function ships it', () => {
    for (const handler of s.stack.functions.keys()) {
      if (handler !== 'console-assets') expect(fs.existsSync(path.join(assetDir(s, outdir, fnId(handler)), 'console-assets.json'))).toBe(false);
    }
  });
});

describe('outputs', () => {
  it('ConsoleUrl (the callback URL) and UserPoolId; no client id or secret', () => {
    const [poolId] = only('AWS::Cognito::UserPool');
    s.template.hasOutput('ConsoleUrl', { Value: consoleUrl() });
    s.template.hasOutput('UserPoolId', { Value: { Ref: poolId } });
    const outputs = JSON.stringify(s.template.toJSON().Outputs);
    expect(outputs).not.toMatch(/ClientSecret/);
    expect(outputs).not.toContain(`"${only('AWS::Cognito::UserPoolClient')[0]}"`);
  });
});

describe('cdk-nag', () => {
  it('has no unacknowledged finding', () => {
    expect(nagFindings(s.app)).toEqual([]);
  });

  it('COG4 (no Cognito authorizer) is acknowledged on SCIM, /admin, static console methods and /health, never on /console/api', () => {
    const cog4 = acknowledgments(s.app).filter((a) => a.id === 'AwsSolutions-COG4');
    expect(cog4.length).toBeGreaterThan(0);
    for (const a of cog4) {
      expect(a.path).toMatch(/\/Default\/(scim\/\{tenant\}|admin|console\/GET$|console\/\{file\}\/GET$|health\/GET$)/);
      expect(a.path).not.toMatch(/\/console\/api\//);
    }
    // The expected number: one per method that has no Cognito authorizer.
    expect(cog4).toHaveLength([...deployedMethods(s).values()].filter((m) => m.auth !== 'COGNITO_USER_POOLS').length);
  });

  it('COG8 (Plus plan threat protection) is acknowledged on the user pool only', () => {
    const cog8 = acknowledgments(s.app).filter((a) => a.id === 'AwsSolutions-COG8');
    expect(cog8.map((a) => a.path)).toEqual([s.stack.console!.userPool.node.path]);
  });
});

describe('options', () => {
  // Configuration only: no bundling (the default synthesis above bundles the console).
  const synth = (context: Record<string, unknown>) => synthesize(context, { bundle: false });
  const props = (x: Synthesized, type: string) =>
    Object.values(x.resources)
      .filter((r) => r.Type === type)
      .map((r) => r.Properties as Record<string, any>);

  it('a custom domain is the console URL', () => {
    const x = synth({ domainName: 'scim.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2c3d4e-1111-2222-3333-444455556666' });
    expect(props(x, 'AWS::Cognito::UserPoolClient')[0]!.CallbackURLs).toEqual(['https://scim.example.com/console/']);
    x.template.hasOutput('ConsoleUrl', { Value: 'https://scim.example.com/console/' });
  });

  it('cognitoDomainPrefix names the hosted-UI domain', () => {
    const x = synth({ cognitoDomainPrefix: 'acme-scim-login' });
    expect(props(x, 'AWS::Cognito::UserPoolDomain')[0]!.Domain).toBe('acme-scim-login');
  });

  it('a throwaway stage (removalPolicy=destroy) can delete its user pool', () => {
    const x = synth({ stage: 'test', removalPolicy: 'destroy' });
    x.template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: 'INACTIVE' } });
    expect(props(x, 'AWS::Cognito::UserPoolClient')[0]!.CallbackURLs[0]['Fn::Join'][1]).toContain('/test/console/');
  });
});
