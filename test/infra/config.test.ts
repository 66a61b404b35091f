import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { ADMIN_ROUTES, CONSOLE_API_ROUTES, CONSOLE_ROUTES, HANDLER_ACCESS, HEALTH_ROUTES, SCIM_ROUTES } from '../../lambdas/routes';
import { configFromContext } from '../../lib/config';
import { planHandlers, ScimlinkStack } from '../../lib/scimlink-stack';
import { nagFindings } from './nag';
import { Synthesized, synthesize } from './synth';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Deployment options from CDK context (docs/operator-guide.md "Configuration"). These synthesise without bundling: they are
 * about the template, and stack.test.ts already bundles every handler for real.
 */

// The first synthesis in a worker loads aws-cdk-lib and cdk-nag (~10 s); later ones take about a second.
jest.setTimeout(60_000);

const synth = (context: Record<string, unknown>) => synthesize(context, { bundle: false });
const ofType = (s: Synthesized, type: string) => Object.values(s.resources).filter((r) => r.Type === type);
/**
 * The API's functions (the stream publisher and log ingester serve no route and need no API settings, and the
 * console's static files need only the Cognito settings: console.test.ts).
 */
const apiHandlers = new Set([...SCIM_ROUTES, ...ADMIN_ROUTES].map((r) => r.handler));
const ADMIN_HANDLER_COUNT = new Set(ADMIN_ROUTES.map((r) => r.handler)).size;
const fnEnv = (s: Synthesized) =>
  [...s.stack.functions.entries()]
    .filter(([handler]) => apiHandlers.has(handler))
    .map(([, f]) => (s.resources[s.logicalId(f.fn)]!.Properties as any).Environment.Variables);

describe('defaults', () => {
  it('are the safe production choice', () => {
    const c = configFromContext(new App().node);
    expect(c).toMatchObject({
      stage: 'prod',
      throttling: { rateLimit: 100, burstLimit: 200 },
      logRetention: 365,
      tableDeletionProtection: true,
      memorySize: 1024,
      logLevel: 'INFO',
    });
    expect(c.removalPolicy).toBe('retain');
    expect(c.domain).toBeUndefined();
    expect(c.alarmEmail).toBeUndefined();
    expect(c.webAclArn).toBeUndefined();
    expect(c.cognitoDomainPrefix).toBeUndefined(); // scimlink-<stage>-<account id>, in lib/console.ts
    expect(c.quotas).toEqual({ maxUsersPerAccount: 100000, maxAccountsPerPartner: 100 });
  });
});

describe('custom domain', () => {
  const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f2c3d4e-1111-2222-3333-444455556666';

  it('maps scim.example.com to the stage with TLS 1.2 and puts it into tenant URLs', () => {
    const s = synth({ domainName: 'scim.example.com', certificateArn });
    s.template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'scim.example.com',
      RegionalCertificateArn: certificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    s.template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    s.template.resourceCountIs('AWS::Route53::RecordSet', 0);
    s.template.hasOutput('DomainTarget', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'RegionalDomainName'] } });
    for (const env of fnEnv(s)) expect(env.API_BASE_URL).toBe('https://scim.example.com');
    s.template.hasOutput('AdminUrl', { Value: 'https://scim.example.com/admin' });
    expect(nagFindings(s.app)).toEqual([]);
  });

  it('adds an alias record when the hosted zone is given', () => {
    const s = synth({ domainName: 'scim.example.com', certificateArn, hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' });
    s.template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'scim.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABC' });
    expect(s.template.toJSON().Outputs.DomainTarget).toBeUndefined();
  });
});

describe('other options', () => {
  it('stage, retention, removal, protection, throttling, memory and log level', () => {
    const s = synth({
      stage: 'dev',
      logRetentionDays: '30',
      removalPolicy: 'destroy',
      tableDeletionProtection: 'false',
      throttlingRateLimit: '20',
      throttlingBurstLimit: '40',
      memorySize: '512',
      logLevel: 'debug',
      maxUsersPerAccount: '2500',
      maxAccountsPerPartner: '7',
    });
    expect(s.stack.stackName).toBe('scimlink-dev');
    s.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
    for (const g of ofType(s, 'AWS::Logs::LogGroup')) {
      expect(g.DeletionPolicy).toBe('Delete');
      expect((g.Properties as { RetentionInDays: number }).RetentionInDays).toBe(30);
    }
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })]),
    });
    s.template.allResourcesProperties('AWS::Lambda::Function', { MemorySize: 512 });
    for (const env of fnEnv(s)) expect(env).toMatchObject({ POWERTOOLS_LOG_LEVEL: 'DEBUG', TOKEN_SECRET_PREFIX: 'scimlink/dev/tokens/', MAX_USERS_PER_ACCOUNT: '2500' });
    // The partner limit is the admin functions' only (account creation, quotas).
    expect(fnEnv(s).filter((env) => env.MAX_ACCOUNTS_PER_PARTNER === '7')).toHaveLength(ADMIN_HANDLER_COUNT);
    expect(JSON.stringify(ofType(s, 'AWS::IAM::Policy'))).not.toContain('scimlink/prod/');
    expect(nagFindings(s.app)).toEqual([]);
  });

  it("publishes documentationUrl as ServiceProviderConfig's documentationUri (SCIM functions only)", () => {
    const s = synth({ documentationUrl: 'https://docs.example.com/scim' });
    const envs = [...s.stack.functions.entries()].map(([handler, f]) => [handler, (s.resources[s.logicalId(f.fn)]!.Properties as any).Environment?.Variables ?? {}] as const);
    expect(envs.find(([h]) => h === 'service-provider-config')?.[1].DOCUMENTATION_URI).toBe('https://docs.example.com/scim');
    expect(envs.filter(([, env]) => env.DOCUMENTATION_URI !== undefined).every(([h]) => !h.startsWith('admin-') && !h.startsWith('console-'))).toBe(true);
  });

  it('subscribes the alarm e-mail to the topic', () => {
    const s = synth({ alarmEmail: 'oncall@example.com' });
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  it('associates an existing web ACL (and then needs no WAF acknowledgment)', () => {
    const webAclArn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/scim/a1b2c3';
    const s = synth({ webAclArn });
    s.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    expect(nagFindings(s.app)).toEqual([]);
  });

  it('synthesises for an explicit account and region too (cdk deploy with credentials)', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    try {
      const s = synth({});
      expect(s.stack.region).toBe('eu-west-1');
      // The acknowledged wildcard ARNs are built from pseudo parameters, so they still match.
      expect(nagFindings(s.app)).toEqual([]);
    } finally {
      for (const [k, v] of [['CDK_DEFAULT_ACCOUNT', saved.account], ['CDK_DEFAULT_REGION', saved.region]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('invalid context fails the synth with a message naming the key', () => {
  it.each([
    [{ stage: 'Prod!' }, /'stage'/],
    [{ domainName: 'scim.example.com' }, /'domainName' and 'certificateArn'/],
    [{ hostedZoneId: 'Z1', hostedZoneName: 'example.com' }, /'hostedZoneId' needs/],
    [{ logRetentionDays: '42' }, /'logRetentionDays'/],
    [{ removalPolicy: 'snapshot' }, /'removalPolicy'/],
    [{ tableDeletionProtection: 'maybe' }, /'tableDeletionProtection'/],
    [{ throttlingRateLimit: '0' }, /'throttlingRateLimit'/],
    [{ memorySize: '64' }, /'memorySize'/],
    [{ logLevel: 'trace' }, /'logLevel'/],
    [{ maxUsersPerAccount: '0' }, /Context 'maxUsersPerAccount' must be an integer from 1 to 10000000, got '0'/],
    [{ maxUsersPerAccount: 'lots' }, /'maxUsersPerAccount'/],
    [{ maxAccountsPerPartner: '2.5' }, /'maxAccountsPerPartner'/],
    [{ maxUserPerAccount: '10' }, /Unknown context key 'maxUserPerAccount' \(did you mean 'maxUsersPerAccount'\?\)/],
    [{ alarmEmail: 'oncall' }, /'alarmEmail'/],
    [{ documentationUrl: 'http://docs.example.com' }, /'documentationUrl' must be an https:\/\/ URL/],
    [{ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/y' }, /'webAclArn'/],
    [{ cognitoDomainPrefix: 'Scimlink_Login' }, /'cognitoDomainPrefix'/],
    [{ cognitoDomainPrefix: 'scimlink-' }, /'cognitoDomainPrefix'/],
    [{ cognitoDomainPrefix: 'my-aws-login' }, /'cognitoDomainPrefix'.*without 'aws'/],
    [{ cognitoDomainPrefix: 'x'.repeat(64) }, /'cognitoDomainPrefix'/],
    [{ alarmEmial: 'ops@example.com' }, /^Unknown context key 'alarmEmial' \(did you mean 'alarmEmail'\?\); the keys are listed in docs\/operator-guide\.md/],
    [{ Stage: 'test' }, /Unknown context key 'Stage' \(did you mean 'stage'\?\)/],
    [{ frobnicate: '1' }, /^Unknown context key 'frobnicate'; the keys/],
  ])('%j', (context, message) => {
    expect(() => configFromContext(new App({ context }).node)).toThrow(message);
  });

  it("ignores CDK's own keys (feature flags and aws:cdk settings)", () => {
    const context = { '@aws-cdk/core:checkSecretUsage': true, 'aws:cdk:enable-path-metadata': true, 'cdk-nag': 'x' };
    expect(configFromContext(new App({ context }).node).stage).toBe('prod');
  });

  it('the CDK app refuses a wrong key in one line, without a stack trace', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'bin/scimlink.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ alarmEmial: 'ops@example.com' }), CDK_OUTDIR: fs.mkdtempSync(path.join(tmpdir(), 'cdk-')) },
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr: "scimlink: Unknown context key 'alarmEmial' (did you mean 'alarmEmail'?); the keys are listed in docs/operator-guide.md \"Configuration\".\n",
    });
  });
});

describe('route table (lambdas/routes.ts) and stack agree', () => {
  const all = [...SCIM_ROUTES, ...ADMIN_ROUTES, ...CONSOLE_API_ROUTES, ...CONSOLE_ROUTES, ...HEALTH_ROUTES];

  it('every route has a handler file and an access entry, and every access entry serves a route', () => {
    const handlers = [...new Set(all.map((r) => r.handler))].sort();
    for (const h of handlers) expect(fs.existsSync(path.join(__dirname, '..', '..', 'lambdas', `${h}.ts`))).toBe(true);
    expect(Object.keys(HANDLER_ACCESS).sort()).toEqual(handlers);
    expect(SCIM_ROUTES.every((r) => r.path.startsWith('/scim/{tenant}/'))).toBe(true);
    expect(ADMIN_ROUTES.every((r) => r.path.startsWith('/admin/'))).toBe(true);
    expect(CONSOLE_API_ROUTES.every((r) => r.path.startsWith('/console/api/'))).toBe(true);
    expect(CONSOLE_ROUTES.every((r) => r.path === '/console' || r.path.startsWith('/console/'))).toBe(true);
  });

  it('refuses a handler without an access entry', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const routes = { scim: [{ method: 'GET' as const, path: '/scim/{tenant}/Foo', handler: 'no-such-handler' }], admin: [] };
    expect(() => new ScimlinkStack(app, 'x', { config: configFromContext(app.node), routes })).toThrow(
      /HANDLER_ACCESS has no entry for handler 'no-such-handler'/,
    );
  });

  it('refuses a handler that would serve both SCIM and admin routes (admin handlers trust the IAM check)', () => {
    const route = { method: 'GET' as const, path: '/x', handler: 'users-get' };
    expect(() => planHandlers([route], [route])).toThrow(/both SCIM and admin/);
  });

  it('refuses an admin handler on a public console route (it trusts the IAM or Cognito check)', () => {
    const route = { method: 'GET' as const, path: '/x', handler: 'admin-accounts-get' };
    expect(() => planHandlers([], [route], [route])).toThrow(/both admin and console/);
  });
});
