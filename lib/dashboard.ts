import { Duration, Stack } from 'aws-cdk-lib';
import { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  IAlarm,
  IMetric,
  IWidget,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Outcome } from '../lambdas/scim/error-rules';

export interface ScimlinkDashboardProps {
  /** Namespace of the handlers' EMF metrics (lib/handler-function.ts `metricsNamespace`). */
  namespace: string;
  stage: Stage;
  table: ITable;
  /** SCIM functions by handler name: their duration and errors. */
  scimFunctions: Map<string, IFunction>;
  /** Every other function (admin, console, events, log ingest): errors only. */
  otherFunctions: Map<string, IFunction>;
  apiFaults: IMetric;
  apiTransient: { throttled: IMetric; unavailable: IMetric };
  eventsDeadLetters: IQueue;
  eventsPublisher: IFunction;
  /** Contributor Insights rule names (lib/insights.ts). */
  insightRules: { tenantsByRequests: string; tenantsByErrors: string; tenantRules: string; refusedCallers: string };
  alarms: IAlarm[];
}

const PERIOD = Duration.minutes(5);
const OUTCOMES: Outcome[] = ['ok', 'rejected', 'unauthorized', 'throttled', 'unavailable', 'notImplemented', 'fault'];

/**
 * One CloudWatch dashboard (`<stack>`) that answers an operator's questions at a glance (issue #17): is every
 * tenant's Entra getting through (traffic by outcome), what is being refused and why (rejections by rule), how
 * fast (p50/p99 per operation), is DynamoDB keeping up (capacity, throttles, transaction conflicts), are the
 * functions healthy (cold starts, duration, errors), are change events flowing (DLQ, stream age), which tenants
 * fail most (Contributor Insights), and the alarms. The SEARCH expressions pick up every operation, outcome and
 * rule as they appear, so the dashboard never needs an edit when one is added.
 */
export class ScimlinkDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ScimlinkDashboardProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const ns = props.namespace;
    const search = (schema: string, filter: string, stat: string, label: string) =>
      new MathExpression({
        expression: `SEARCH('{"${ns}",${schema}} ${filter}', '${stat}', ${PERIOD.toSeconds()})`,
        usingMetrics: {},
        label,
        period: PERIOD,
      });
    const graph = (title: string, left: IMetric[], opts: { right?: IMetric[]; width?: number; stacked?: boolean } = {}) =>
      new GraphWidget({ title, left, right: opts.right, width: opts.width ?? 12, height: 6, stacked: opts.stacked ?? false, period: PERIOD });

    const byOutcome = OUTCOMES.map(
      (outcome) =>
        new MathExpression({
          expression: `SUM(SEARCH('{"${ns}",service,operation,outcome} MetricName="Requests" outcome="${outcome}"', 'Sum', ${PERIOD.toSeconds()}))`,
          usingMetrics: {},
          label: outcome,
          period: PERIOD,
        }),
    );
    const sum = { statistic: 'Sum', period: PERIOD };
    const widgets: IWidget[][] = [
      [
        new TextWidget({
          markdown:
            '## scimlink\nRequests by outcome (`fault` is the only bad one: 501 group writes, 429/503 retries and 4xx are answers), ' +
            'rejections by rule, latency, DynamoDB, functions, change events, top tenants. What each figure means: docs/observability.md.',
          width: 24,
          height: 2,
        }),
      ],
      [
        graph('SCIM + admin requests by outcome (handler metrics)', byOutcome, { stacked: true }),
        graph('API Gateway: requests, faults (5xx but 501/503), 429, 503', [props.stage.metricCount(sum)], {
          right: [props.apiFaults, props.apiTransient.throttled, props.apiTransient.unavailable],
        }),
      ],
      [
        graph('Rejections by rule (4xx but 429)', [search('service,rule', 'MetricName="Rejections"', 'Sum', '')], { stacked: true }),
        graph('Rejections by SCIM error type', [search('service,errorType', 'MetricName="Rejections"', 'Sum', '')], { stacked: true }),
      ],
      [
        graph('Latency p50 per operation (answered ok, ms)', [search('service,operation,outcome', 'MetricName="Latency" outcome="ok"', 'p50', '')]),
        graph('Latency p99 per operation (answered ok, ms)', [search('service,operation,outcome', 'MetricName="Latency" outcome="ok"', 'p99', '')]),
      ],
      [
        graph('DynamoDB consumed capacity (units per 5 min)', [props.table.metricConsumedReadCapacityUnits(sum), props.table.metricConsumedWriteCapacityUnits(sum)]),
        graph('DynamoDB throttles and transaction conflicts', [
          props.table.metric('ReadThrottleEvents', sum),
          props.table.metric('WriteThrottleEvents', sum),
          props.table.metric('TransactionConflict', sum),
        ]),
      ],
      [
        graph('Lambda cold starts by function', [search('function_name,service', 'MetricName="ColdStart"', 'Sum', '')], { width: 8, stacked: true }),
        graph('SCIM functions: duration p99 (ms)', [...props.scimFunctions].map(([name, fn]) => fn.metricDuration({ statistic: 'p99', period: PERIOD, label: name })), { width: 8 }),
        graph(
          'Lambda errors + throttles (every function)',
          [...props.scimFunctions, ...props.otherFunctions].map(
            ([name, fn], i) =>
              new MathExpression({
                // Ids are per graph: each function's pair needs its own.
                expression: `FILL(e${i}, 0) + FILL(t${i}, 0)`,
                usingMetrics: { [`e${i}`]: fn.metricErrors(sum), [`t${i}`]: fn.metricThrottles(sum) },
                label: name,
                period: PERIOD,
              }),
          ),
          { width: 8 },
        ),
      ],
      [
        graph('Change events: dead letters, publisher stream age (ms)', [props.eventsDeadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: PERIOD })], {
          right: [new Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensionsMap: { FunctionName: props.eventsPublisher.functionName }, statistic: 'Maximum', period: PERIOD })],
        }),
        new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 12, height: 6 }),
      ],
      [
        new InsightRuleWidget('Top failing tenants (4xx/5xx, authenticated)', props.insightRules.tenantsByErrors, region),
        new InsightRuleWidget('Top tenants by requests', props.insightRules.tenantsByRequests, region),
      ],
      [
        new InsightRuleWidget('Top (tenant, rule) rejections', props.insightRules.tenantRules, region),
        new InsightRuleWidget('Top refused callers (401/403: IP, route)', props.insightRules.refusedCallers, region),
      ],
    ];
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: Stack.of(this).stackName, widgets, defaultInterval: Duration.hours(24) });
  }
}

/**
 * A Contributor Insights graph (the top contributors of a rule). aws-cdk-lib has no widget for it, so this writes
 * the dashboard body's `insightRule` metric widget (CloudWatch dashboard body structure) itself.
 */
class InsightRuleWidget implements IWidget {
  readonly width = 12;
  readonly height = 6;
  private x = 0;
  private y = 0;

  constructor(
    private readonly title: string,
    private readonly ruleName: string,
    private readonly region: string,
  ) {}

  position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  toJson(): unknown[] {
    return [
      {
        type: 'metric',
        x: this.x,
        y: this.y,
        width: this.width,
        height: this.height,
        properties: {
          title: this.title,
          region: this.region,
          view: 'timeSeries',
          stacked: false,
          period: PERIOD.toSeconds(),
          insightRule: { ruleName: this.ruleName, maxContributorCount: 10, orderBy: 'Sum' },
          legend: { position: 'bottom' },
        },
      },
    ];
  }
}
