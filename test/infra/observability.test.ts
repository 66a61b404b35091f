import { HEALTH_ROUTES, SCIM_ROUTES } from '../../lambdas/routes';
import { deployedMethods, synthesize, Synthesized } from './synth';

/**
 * Issue #17 in the template: Contributor Insights rules on the request lines, the access-log metric filters the
 * alarms use, the dashboard, the health route and the metrics namespace. Synthesised without bundling (this is
 * about configuration; stack.test.ts bundles every handler).
 */
let s: Synthesized;
beforeAll(() => {
  s = synthesize({}, { bundle: false });
});

type Resource = Synthesized['resources'][string];
const ofType = (type: string): Resource[] => Object.values(s.resources).filter((r) => r.Type === type);
const props = (r: Resource) => (r.Properties ?? {}) as Record<string, any>;
/** A JSON string property with tokens (`Fn::Join`) rendered with `<ref:logicalId>` placeholders, then parsed. */
function parseJoined(value: unknown): any {
  if (typeof value === 'string') return JSON.parse(value);
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<ref:${JSON.stringify(p).replace(/"/g, "'")}>`)).join(''));
}
const scimLogGroupRefs = () =>
  [...new Set(SCIM_ROUTES.map((r) => r.handler))].map((h) => `<ref:{'Ref':'${s.logicalId(s.stack.functions.get(h)!.logGroup)}'}>`).sort();

describe('Contributor Insights (per-tenant views without per-tenant metrics)', () => {
  const rules = () => new Map(ofType('AWS::CloudWatch::InsightRule').map((r) => [props(r).RuleName as string, parseJoined(props(r).RuleBody)]));

  it('ranks tenants by requests, by errors, and (tenant, rule) pairs over every SCIM function log, authenticated lines only', () => {
    const r = rules();
    expect([...r.keys()].sort()).toEqual(
      ['scimlink-prod-TopRefusedCallers', 'scimlink-prod-TopTenantRejectionRules', 'scimlink-prod-TopTenantsByErrors', 'scimlink-prod-TopTenantsByRequests'].sort(),
    );
    const requestLine = [
      { Match: '$.message', In: ['SCIM request'] },
      { Match: '$.accountId', IsPresent: true },
    ];
    const errors = [...requestLine, { Match: '$.status', GreaterThan: 399 }];
    for (const [name, keys, filters] of [
      ['scimlink-prod-TopTenantsByRequests', ['$.accountId'], requestLine],
      ['scimlink-prod-TopTenantsByErrors', ['$.accountId'], errors],
      ['scimlink-prod-TopTenantRejectionRules', ['$.accountId', '$.rule'], errors],
    ] as const) {
      const body = r.get(name);
      expect(body).toMatchObject({ Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogFormat: 'JSON', AggregateOn: 'Count', Contribution: { Keys: keys, Filters: filters } });
      expect([...body.LogGroupNames].sort()).toEqual(scimLogGroupRefs());
    }
  });

  it('ranks callers refused at the door from the access log, never by a value a user sent', () => {
    const body = rules().get('scimlink-prod-TopRefusedCallers');
    expect(body.Contribution).toEqual({ Keys: ['$.ip', '$.resourcePath'], Filters: [{ Match: '$.status', In: [401, 403] }] });
    expect(body.LogGroupNames).toEqual([`<ref:{'Ref':'${s.logicalId(s.stack.node.findChild('AccessLogs'))}'}>`]);
  });
});

describe('access-log metric filters (what the alarms count)', () => {
  it.each([
    ['ApiFaults', '{ ($.status >= 500) && ($.status != 501) && ($.status != 503) }'],
    ['Api429', '{ $.status = 429 }'],
    ['Api503', '{ $.status = 503 }'],
  ])('%s: %s', (name, pattern) => {
    const filters = ofType('AWS::Logs::MetricFilter').filter((f) => props(f).MetricTransformations[0].MetricName === name);
    expect(filters).toHaveLength(1);
    expect(props(filters[0]!)).toMatchObject({
      FilterPattern: pattern,
      LogGroupName: { Ref: s.logicalId(s.stack.node.findChild('AccessLogs')) },
      MetricTransformations: [{ MetricNamespace: 'scimlink/scimlink-prod', MetricValue: '1' }],
    });
  });

  it('the 5xx alarm counts faults, not API Gateway 5XXError (which includes the 501 of group writes)', () => {
    const alarm = ofType('AWS::CloudWatch::Alarm').find((a) => props(a).AlarmName === 'scimlink-prod-Api5xxRate')!;
    const names = props(alarm).Metrics.map((m: any) => m.MetricStat?.Metric.MetricName).filter(Boolean);
    expect(names).toEqual(['ApiFaults', 'Count']);
    expect(JSON.stringify(alarm)).not.toContain('5XXError');
  });
});

describe('dashboard', () => {
  const body = () => parseJoined(props(ofType('AWS::CloudWatch::Dashboard')[0]!).DashboardBody);

  it('one dashboard named after the stack', () => {
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(props(ofType('AWS::CloudWatch::Dashboard')[0]!).DashboardName).toBe('scimlink-prod');
  });

  it('shows traffic, rejections by rule, latency per operation, DynamoDB, cold starts, duration, events DLQ, top tenants, alarms', () => {
    const titles = body().widgets.map((w: any) => w.properties.title).filter(Boolean);
    expect(titles).toEqual([
      'SCIM + admin requests by outcome (handler metrics)',
      'API Gateway: requests, faults (5xx but 501/503), 429, 503',
      'Rejections by rule (4xx but 429)',
      'Rejections by SCIM error type',
      'Latency p50 per operation (answered ok, ms)',
      'Latency p99 per operation (answered ok, ms)',
      'DynamoDB consumed capacity (units per 5 min)',
      'DynamoDB throttles and transaction conflicts',
      'Lambda cold starts by function',
      'SCIM functions: duration p99 (ms)',
      'Lambda errors + throttles (every function)',
      'Change events: dead letters, publisher stream age (ms)',
      'Alarms',
      'Top failing tenants (4xx/5xx, authenticated)',
      'Top tenants by requests',
      'Top (tenant, rule) rejections',
      'Top refused callers (401/403: IP, route)',
    ]);
  });

  it('reads the handlers metrics from the stack namespace with their dimensions, and the Contributor Insights rules', () => {
    const text = JSON.stringify(body());
    for (const search of [
      `{\\"scimlink/scimlink-prod\\",service,operation,outcome} MetricName=\\"Requests\\" outcome=\\"fault\\"`,
      `{\\"scimlink/scimlink-prod\\",service,rule} MetricName=\\"Rejections\\"`,
      `{\\"scimlink/scimlink-prod\\",service,operation,outcome} MetricName=\\"Latency\\" outcome=\\"ok\\"', 'p99'`,
      `{\\"scimlink/scimlink-prod\\",function_name,service} MetricName=\\"ColdStart\\"`,
    ]) {
      expect(text).toContain(search);
    }
    const insight = body().widgets.filter((w: any) => w.properties.insightRule).map((w: any) => w.properties.insightRule.ruleName);
    expect(insight).toEqual(['scimlink-prod-TopTenantsByErrors', 'scimlink-prod-TopTenantsByRequests', 'scimlink-prod-TopTenantRejectionRules', 'scimlink-prod-TopRefusedCallers']);
    const alarmsWidget = body().widgets.find((w: any) => w.properties.title === 'Alarms');
    expect(alarmsWidget.properties.alarms).toHaveLength(ofType('AWS::CloudWatch::Alarm').length);
  });
});

describe('the handlers metrics namespace', () => {
  it('every function writes EMF into scimlink/<stack>', () => {
    for (const fn of ofType('AWS::Lambda::Function')) {
      expect(props(fn).Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('scimlink/scimlink-prod');
    }
  });
});

describe('GET /health', () => {
  it('is public, served by its own function, which has no table, no secret and no environment of its own', () => {
    const route = `${HEALTH_ROUTES[0]!.method} ${HEALTH_ROUTES[0]!.path}`;
    const fn = s.stack.functions.get('health')!;
    expect(deployedMethods(s).get(route)).toEqual({ auth: 'NONE', fn: s.logicalId(fn.fn), integration: 'AWS_PROXY' });
    const env = props(s.resources[s.logicalId(fn.fn)]!).Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(['NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME']);
    const roleId = s.logicalId(fn.role);
    const statements = ofType('AWS::IAM::Policy')
      .filter((p) => JSON.stringify(props(p).Roles).includes(`"${roleId}"`))
      .flatMap((p) => props(p).PolicyDocument.Statement);
    expect(statements.flatMap((st: any) => [st.Action].flat()).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });
});
