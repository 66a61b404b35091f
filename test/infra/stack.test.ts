import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseType } from 'aws-cdk-lib/aws-apigateway';
import { Match } from 'aws-cdk-lib/assertions';
import { ADMIN_ROUTES, CONSOLE_API_ROUTES, CONSOLE_ROUTES, HANDLER_ACCESS, HEALTH_ROUTES, SCIM_ROUTES } from '../../lambdas/routes';
import { accessProblems, Statement } from './iam';
import { acknowledgments, nagFindings } from './nag';
import { assetDir, deployedMethods as methodsOf, Synthesized, synthesizedApp } from './synth';

/**
 * The deployed shape of scimlink, from one synthesis of the real app (default context, real esbuild bundling of
 * every handler): routes, least privilege per function, table, alarms, gateway responses, cdk-nag.
 */

const fixture = synthesizedApp('scimlink-infra-');
let s: Synthesized;
let outdir: string;
beforeAll(() => ({ s, outdir } = fixture));

type Resource = Synthesized['resources'][string];
const ofType = (type: string): Array<[string, Resource]> => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const props = (r: Resource) => r.Properties as Record<string, any>;
const fnId = (handler: string) => s.logicalId(s.stack.functions.get(handler)!.fn);
/** The API's handlers (SCIM and admin; the admin ones also serve /console/api). */
const handlers = [...new Set([...SCIM_ROUTES, ...ADMIN_ROUTES].map((r) => r.handler))];
/** Every function behind a route: the API's plus the console's static files (console.test.ts covers the console) and the uptime check. */
const allHandlers = [...new Set([...handlers, ...CONSOLE_ROUTES.map((r) => r.handler), ...HEALTH_ROUTES.map((r) => r.handler)])];
const deployedMethods = () => methodsOf(s);

describe('routes', () => {
  it('has exactly one method per SCIM, admin and console route, and nothing else', () => {
    const expected = [...SCIM_ROUTES, ...ADMIN_ROUTES, ...CONSOLE_API_ROUTES, ...CONSOLE_ROUTES, ...HEALTH_ROUTES].map((r) => `${r.method} ${r.path}`).sort();
    expect([...deployedMethods().keys()].sort()).toEqual(expected);
  });

  it.each(SCIM_ROUTES.map((r) => [`${r.method} ${r.path}`, r.handler]))('%s → %s, no gateway auth (Bearer token checked in the handler)', (route, handler) => {
    expect(deployedMethods().get(route)).toEqual({ auth: 'NONE', fn: fnId(handler), integration: 'AWS_PROXY' });
  });

  it.each(ADMIN_ROUTES.map((r) => [`${r.method} ${r.path}`, r.handler]))('%s → %s, AWS_IAM', (route, handler) => {
    expect(deployedMethods().get(route)).toEqual({ auth: 'AWS_IAM', fn: fnId(handler), integration: 'AWS_PROXY' });
  });

  it('is a regional REST API with stage throttling and JSON access logs that never log the tenant key', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    const [[, stage]] = ofType('AWS::ApiGateway::Stage') as [[string, Resource]];
    const p = props(stage);
    expect(p.StageName).toBe('prod');
    expect(p.MethodSettings).toEqual(
      expect.arrayContaining([expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 })]),
    );
    const format = p.AccessLogSetting.Format as string;
    // Valid JSON once API Gateway substitutes the variables.
    const line = JSON.parse(format.replace(/\$context\.[\w.]+/g, '0')) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(expect.arrayContaining(['requestId', 'status', 'resourcePath', 'integrationError', 'caller']));
    expect(format).toContain('$context.resourcePath');
    // The called path carries /scim/<account>.<tenantKey>: it must not be logged.
    expect(format).not.toMatch(/\$context\.path\b|\$context\.requestOverride|querystring/i);
  });

  it('grants operators execute-api:Invoke on the admin routes of this stage only', () => {
    s.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':execute-api:'), '/prod/*/admin/*'])] },
          },
        ],
      },
    });
  });
});

describe('gateway responses', () => {
  const types = Object.values(ResponseType).filter((v): v is ResponseType => v instanceof ResponseType);
  const responses = () => new Map(ofType('AWS::ApiGateway::GatewayResponse').map(([, r]) => [props(r).ResponseType as string, props(r)]));

  it('covers every response type API Gateway has', () => {
    expect(types.length).toBeGreaterThan(15);
    expect([...responses().keys()].sort()).toEqual(types.map((t) => t.responseType).sort());
  });

  it.each(types.map((t) => [t.responseType]))('%s answers a SCIM error whose status is the HTTP status', (type) => {
    const r = responses().get(type)!;
    expect(r.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/scim+json'");
    for (const template of Object.values(r.ResponseTemplates as Record<string, string>)) {
      const body = JSON.parse(template) as { schemas: string[]; status: string; detail: string };
      expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(body.status).toBe(r.StatusCode);
      expect(body.detail).toContain('$context.requestId');
    }
  });

  it.each([
    ['MISSING_AUTHENTICATION_TOKEN', '404'],
    ['RESOURCE_NOT_FOUND', '404'],
    ['UNAUTHORIZED', '401'],
    ['ACCESS_DENIED', '403'],
    ['REQUEST_TOO_LARGE', '413'],
    ['THROTTLED', '429'],
    ['INTEGRATION_TIMEOUT', '503'],
    ['DEFAULT_5XX', '500'],
  ])('%s → %s', (type, status) => {
    expect(responses().get(type)!.StatusCode).toBe(status);
  });

  it.each([['THROTTLED'], ['QUOTA_EXCEEDED'], ['INTEGRATION_TIMEOUT']])('%s tells Entra when to retry', (type) => {
    expect(responses().get(type)!.ResponseParameters['gatewayresponse.header.Retry-After']).toMatch(/^'\d+'$/);
  });
});

describe('functions', () => {
  it('one function per handler module', () => {
    // + the stream publisher and the log ingester (lib/events.ts), which serve no route
    expect(ofType('AWS::Lambda::Function')).toHaveLength(allHandlers.length + 2);
    expect([...s.stack.functions.keys()].sort()).toEqual([...allHandlers].sort());
  });

  it.each(handlers.map((h) => [h]))('%s: Node 24 on arm64, 1024 MB, 10 s, env, own log group', (handler) => {
    const p = props(s.resources[fnId(handler)]!);
    const admin = ADMIN_ROUTES.some((r) => r.handler === handler);
    expect(p).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 1024, Timeout: 10, Handler: 'index.handler' });
    expect(p.Environment.Variables).toMatchObject({
      TABLE_NAME: { Ref: s.logicalId(s.stack.node.findChild('Data').node.findChild('Table')) },
      TOKEN_SECRET_PREFIX: 'scimlink/prod/tokens/',
      POWERTOOLS_SERVICE_NAME: 'scimlink',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      API_BASE_URL: { 'Fn::Join': ['', expect.arrayContaining(['https://', '/prod'])] },
    });
    expect(p.Environment.Variables.ADMIN_AUTH).toBe(admin ? 'iam' : undefined);
    expect(p.LoggingConfig.LogGroup).toEqual({ Ref: s.logicalId(s.stack.functions.get(handler)!.logGroup) });
    expect(props(s.resources[s.logicalId(s.stack.functions.get(handler)!.logGroup)]!).RetentionInDays).toBe(365);
  });

  it.each(allHandlers.map((h) => [h]))('%s: bundled by esbuild, minified, with an external source map', (handler) => {
    const dir = assetDir(s, outdir, fnId(handler));
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(code.split('\n').length).toBeLessThan(100); // minified
    expect(code).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    expect(fs.existsSync(path.join(dir, 'index.js.map'))).toBe(true);
    expect(code.length).toBeLessThan(2_000_000);
  });
});

describe('least privilege per function', () => {
  const tableArn = () => ({ 'Fn::GetAtt': [s.logicalId(s.stack.node.findChild('Data').node.findChild('Table')), 'Arn'] });

  /** All statements attached to the function's role (inline default policy, managed policies, role policies). */
  function statementsOf(handler: string): Statement[] {
    const f = s.stack.functions.get(handler)!;
    const roleId = s.logicalId(f.role);
    const role = props(s.resources[roleId]!);
    expect(role.ManagedPolicyArns ?? []).toEqual([]);
    expect(role.Policies ?? []).toEqual([]);
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(props(p).Roles).includes(`"${roleId}"`))
      .flatMap(([, p]) => props(p).PolicyDocument.Statement as Statement[]);
  }

  const expected = (handler: string) => ({
    handler,
    access: HANDLER_ACCESS[handler]!,
    scim: SCIM_ROUTES.some((r) => r.handler === handler),
    tableArn: tableArn(),
    logGroupArn: { 'Fn::GetAtt': [s.logicalId(s.stack.functions.get(handler)!.logGroup), 'Arn'] },
    secretsArnTail: ':secret:scimlink/prod/tokens/*',
    ...(SCIM_ROUTES.some((r) => r.handler === handler) ? { logKeyArn: { Ref: s.logicalId(s.stack.node.findChild('LogKey') as never) } } : {}),
  });

  it.each(allHandlers.map((h) => [h, HANDLER_ACCESS[h]!.table, HANDLER_ACCESS[h]!.secrets]))(
    '%s holds exactly table %s / secrets %s',
    (handler) => {
      expect(accessProblems(statementsOf(handler), expected(handler))).toEqual([]);
    },
  );

  it('the check itself fails when a reader gains a write action, a wildcard or a broader secret', () => {
    const reader = handlers.find((h) => HANDLER_ACCESS[h]!.table === 'read' && SCIM_ROUTES.some((r) => r.handler === h))!;
    const base = statementsOf(reader);
    const table = tableArn();
    const cases: Statement[] = [
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table },
      { Effect: 'Allow', Action: ['dynamodb:UpdateItem'], Resource: table },
      { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: table },
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: table },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' },
      { Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: { 'Fn::Join': ['', ['arn:', ':secret:scimlink/prod/tokens/*']] } },
    ];
    for (const extra of cases) {
      expect(accessProblems([...base, extra], expected(reader))).not.toEqual([]);
    }
  });

  it('only the key generator can write token secrets, only integration removal and account deletion can delete them', () => {
    const holders = (action: string) => allHandlers.filter((h) => JSON.stringify(statementsOf(h)).includes(`"${action}"`)).sort();
    expect(holders('secretsmanager:PutSecretValue')).toEqual(['admin-keys-generate']);
    expect(holders('secretsmanager:CreateSecret')).toEqual(['admin-keys-generate']);
    expect(holders('secretsmanager:DeleteSecret')).toEqual(['admin-accounts-delete', 'admin-integration-remove']);
    // The one table scan (scimlink verify): admin-verify alone, no SCIM function.
    expect(holders('dynamodb:Scan')).toEqual(['admin-verify']);
  });
});

describe('table', () => {
  it('pk/sk, on-demand, PITR, deletion protection, encrypted, no GSI', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: Match.absent(),
    });
  });

  it('is retained when the stack is deleted or the table replaced', () => {
    s.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('alarms', () => {
  const alarms = () => new Map(ofType('AWS::CloudWatch::Alarm').map(([, r]) => [props(r).AlarmName as string, props(r)]));
  const metricNames = (a: Record<string, any>) => (a.Metrics ?? []).map((m: any) => m.MetricStat?.Metric.MetricName).filter(Boolean);

  it('API 5xx rate, throttles, p99 latency, events dead letters, and one per function', () => {
    expect([...alarms().keys()].sort()).toEqual(
      ['scimlink-prod-Api5xxRate', 'scimlink-prod-Throttles', 'scimlink-prod-ApiLatencyP99', 'scimlink-prod-EventsDeadLetters', ...allHandlers.map((h) => `scimlink-prod-Fn-${h}`)].sort(),
    );
  });

  it('all notify the SNS topic, on alarm and back to OK, and treat quiet periods as OK', () => {
    const [[topicId]] = ofType('AWS::SNS::Topic') as [[string, Resource]];
    for (const a of alarms().values()) {
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a.OKActions).toEqual([{ Ref: topicId }]);
      expect(a.TreatMissingData).toBe('notBreaching');
    }
    s.template.resourceCountIs('AWS::SNS::Subscription', 0); // no e-mail unless alarmEmail is set
  });

  it('watch the right metrics', () => {
    const a = alarms();
    expect(metricNames(a.get('scimlink-prod-Api5xxRate')!)).toEqual(['ApiFaults', 'Count']);
    expect(metricNames(a.get('scimlink-prod-Throttles')!)).toEqual(['Api429', 'Api503', 'ReadThrottleEvents', 'WriteThrottleEvents']);
    expect(a.get('scimlink-prod-ApiLatencyP99')).toMatchObject({ MetricName: 'Latency', Namespace: 'AWS/ApiGateway', ExtendedStatistic: 'p99' });
    const [[dlqId]] = ofType('AWS::SQS::Queue') as [[string, Resource]];
    expect(a.get('scimlink-prod-EventsDeadLetters')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
    });
    for (const h of allHandlers) {
      const fnAlarm = a.get(`scimlink-prod-Fn-${h}`)!;
      expect(metricNames(fnAlarm)).toEqual(['Errors', 'Throttles']);
      expect(JSON.stringify(fnAlarm.Metrics)).toContain(`{"Ref":"${fnId(h)}"}`);
    }
    s.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = 429 }',
      MetricTransformations: [{ MetricName: 'Api429', MetricNamespace: 'scimlink/scimlink-prod', MetricValue: '1' }],
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('has no unacknowledged finding', () => {
    expect(nagFindings(s.app)).toEqual([]);
  });

  it('every acknowledgment is one of the reviewed rules and carries a reason', () => {
    const acks = acknowledgments(s.app);
    for (const a of acks) expect(a.reason.length).toBeGreaterThan(60);
    const rules = [...new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))].sort();
    // A new acknowledgment is a decision: review it, give it a reason, then add it here.
    expect(rules).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG4',
      'AwsSolutions-APIG6',
      'AwsSolutions-COG4',
      'AwsSolutions-COG8',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-SMG4',
      'AwsSolutions-SNS2',
      'AwsSolutions-SQS3',
    ]);
    // Wildcards are acknowledged one ARN at a time, never the whole IAM5 rule.
    for (const a of acks.filter((x) => x.id.startsWith('AwsSolutions-IAM5'))) {
      // The one `Resource::*`: dynamodb:ListStreams of the stream publisher, which has no resource-level form.
      if (a.id === 'AwsSolutions-IAM5[Resource::*]') expect(a.path).toMatch(/\/Events\/stream-user-events$/);
      else expect(a.id).toMatch(/^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:(secretsmanager|execute-api):.+\]$/);
    }
    // APIG4 (no gateway authorizer) only on SCIM methods, the console's static files and the uptime check; admin
    // methods use IAM, console API methods Cognito (console.test.ts checks COG4 and COG8).
    for (const a of acks.filter((x) => x.id === 'AwsSolutions-APIG4')) {
      expect(a.path).toMatch(/\/Default\/(scim\/\{tenant\}\/|console\/(\{file\}\/)?GET$|health\/GET$)/);
    }
  });
});

describe('outputs', () => {
  it('API, SCIM, admin and console URLs, the admin policy, user pool, table, secret prefix and alarm topic', () => {
    expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual(
      [
        'AdminInvokePolicyArn',
        'AdminUrl',
        'AlarmTopicArn',
        'ApiUrl',
        'ConsoleUrl',
        'DashboardUrl',
        'EventBusName',
        'EventsDeadLetterQueueUrl',
        'HealthUrl',
        'OperatorRoleArn',
        'ScimUrl',
        'TableName',
        'TokenSecretPrefix',
        'UserPoolId',
      ].sort(),
    );
    s.template.hasOutput('AdminUrl', { Value: { 'Fn::Join': ['', Match.arrayWith(['/prod/admin'])] } });
    s.template.hasOutput('TokenSecretPrefix', { Value: 'scimlink/prod/tokens/' });
  });
});

describe('change events and the provisioning log', () => {
  const eventsFn = () => s.logicalId(s.stack.events.publisher.fn);
  const ingestFn = () => s.logicalId(s.stack.events.logIngest.fn);
  const policyOf = (fnLogicalId: string) => {
    const role = (props(s.resources[fnLogicalId]!).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(props(p).Roles).includes(role))
      .flatMap(([, p]) => props(p).PolicyDocument.Statement as Array<Record<string, any>>);
  };

  it('the table streams new and old images and expires log items by TTL', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('user items of the stream go to the publisher: ordered, retried, bisected, then parked in a DLQ', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: eventsFn() },
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { Keys: { sk: { S: [{ prefix: 'USER#' }] } } } }) }] },
    });
  });

  it('the publisher may put events on the stack bus only, and cannot touch the table', () => {
    const statements = policyOf(eventsFn());
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(actions).toContain('events:PutEvents');
    // Stream reads (GetRecords, GetShardIterator, DescribeStream on the stream ARN; ListStreams) but no table data
    expect(actions.filter((a: string) => /^dynamodb:(GetItem|PutItem|UpdateItem|DeleteItem|Query|Scan|BatchWriteItem|BatchGetItem)$/.test(a))).toEqual([]);
    const put = statements.find((st) => [st.Action].flat().includes('events:PutEvents'))!;
    expect(JSON.stringify(put.Resource)).toContain(s.logicalId(s.stack.events.bus as never));
  });

  it('the log ingester reads only the sealing key of the request lines, nothing else in Secrets Manager', () => {
    const secrets = policyOf(ingestFn()).filter((st) => [st.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(secrets).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: { Ref: s.logicalId(s.stack.node.findChild('LogKey') as never) } }),
    ]);
  });

  it('the log ingester writes only LOG# partitions', () => {
    const write = policyOf(ingestFn()).find((st) => [st.Action].flat().includes('dynamodb:BatchWriteItem'))!;
    expect(write.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LOG#*'] } });
    expect([write.Action].flat().sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:PutItem']);
  });

  it('every SCIM function log group (and no admin one) is subscribed to the log ingester on the request line', () => {
    const scimHandlers = [...new Set(SCIM_ROUTES.map((r) => r.handler))];
    const filters = ofType('AWS::Logs::SubscriptionFilter').map(([, r]) => props(r));
    expect(filters).toHaveLength(scimHandlers.length);
    for (const f of filters) expect(f.FilterPattern).toBe('{ $.message = "SCIM request" }');
  });

  it('exports the bus name for consumers', () => {
    expect(Object.keys(s.template.toJSON().Outputs)).toEqual(expect.arrayContaining(['EventBusName', 'EventsDeadLetterQueueUrl']));
  });
});
