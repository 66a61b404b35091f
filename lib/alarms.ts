import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  IAlarmAction,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { metricsNamespace } from './handler-function';

export interface ScimlinkAlarmsProps {
  stage: Stage;
  accessLogs: ILogGroup;
  table: ITable;
  functions: Map<string, IFunction>;
  alarmEmail?: string;
  /** The change-events dead-letter queue: a batch lands there only after every retry failed. */
  eventsDeadLetters?: IQueue;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarms an operator needs to know Entra is being served, all publishing to one SNS topic (e-mail optional;
 * subscribe a pager or chat integration to the topic's ARN from the outputs). Thresholds are written for Entra's
 * traffic: a burst every ~40 minutes, quiet in between, so missing data is "fine", never "alarm".
 */
export class ScimlinkAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  /** 5xx answers that are real faults (access log; for the dashboard). */
  readonly apiFaults: Metric;
  /** 429 and 503 answers (access log; for the dashboard). */
  readonly apiTransient: { throttled: Metric; unavailable: Metric };
  private readonly action: IAlarmAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: ScimlinkAlarmsProps) {
    super(scope, id);
    this.prefix = Stack.of(this).stackName;

    this.topic = new Topic(this, 'Topic', { displayName: `${this.prefix} alarms`, enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and metric values, no customer data. CloudWatch cannot publish to a ' +
        'topic encrypted with the AWS-managed aws/sns key, and a customer-managed key would cost a key for nothing to protect.',
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);

    // 5xx rate of real faults: bugs or outages (SPEC: 5xx only for real bugs). Counted from the access log, which
    // also sees the gateway's own 5xx (a crashed or timed-out function), minus the designed ones: 501 answers
    // group writes (Entra's admin left group provisioning on; the 501 says how to fix it) and 503 is transient
    // trouble with Retry-After (counted by the Throttles alarm). At least 3, so one unlucky request in a quiet
    // period does not page anyone.
    const faults = props.accessLogs.addMetricFilter('ApiFaults', {
      filterPattern: FilterPattern.all(
        FilterPattern.numberValue('$.status', '>=', 500),
        FilterPattern.numberValue('$.status', '!=', 501),
        FilterPattern.numberValue('$.status', '!=', 503),
      ),
      metricNamespace: metricsNamespace(Stack.of(this)),
      metricName: 'ApiFaults',
      metricValue: '1',
    });
    this.apiFaults = faults.metric({ statistic: 'Sum', period: FIVE_MINUTES });
    this.add('Api5xxRate', {
      description: '5% or more of API requests answered with a real 5xx fault (not the 501 of group writes, not a 503 with Retry-After), and at least 3 of them, in 5 minutes.',
      metric: new MathExpression({
        expression: 'IF(errors >= 3, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: this.apiFaults,
          requests: props.stage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES }),
        },
        label: '5xx faults %',
        period: FIVE_MINUTES,
      }),
      threshold: 5,
    });

    // Transient trouble anywhere on the path: 429s and 503s the API answered (stage throttling, a handler's
    // "store busy", a request out of time), and DynamoDB throttle events. API Gateway has no 429 metric, so
    // these come from the access log.
    const api429 = props.accessLogs.addMetricFilter('Api429', {
      filterPattern: FilterPattern.numberValue('$.status', '=', 429),
      metricNamespace: metricsNamespace(Stack.of(this)),
      metricName: 'Api429',
      metricValue: '1',
    });
    const api503 = props.accessLogs.addMetricFilter('Api503', {
      filterPattern: FilterPattern.numberValue('$.status', '=', 503),
      metricNamespace: metricsNamespace(Stack.of(this)),
      metricName: 'Api503',
      metricValue: '1',
    });
    this.apiTransient = { throttled: api429.metric({ statistic: 'Sum', period: FIVE_MINUTES }), unavailable: api503.metric({ statistic: 'Sum', period: FIVE_MINUTES }) };
    this.add('Throttles', {
      description: 'At least 10 throttled or unavailable answers in 5 minutes (API 429s and 503s + DynamoDB read/write throttle events).',
      metric: new MathExpression({
        expression: 'FILL(api, 0) + FILL(unavailable, 0) + FILL(reads, 0) + FILL(writes, 0)',
        usingMetrics: {
          api: this.apiTransient.throttled,
          unavailable: this.apiTransient.unavailable,
          reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
          writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
        },
        label: 'throttled or unavailable',
        period: FIVE_MINUTES,
      }),
      threshold: 10,
    });

    // p99 latency, sustained: a single cold start is ~1 s; 3 s for two of three 5-minute periods is a real slowdown.
    this.add('ApiLatencyP99', {
      description: 'API p99 latency above 3 s in 2 of 3 five-minute periods.',
      metric: props.stage.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
      threshold: 3000,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    // One alarm per function: the handlers turn every error into a SCIM response, so a Lambda error is a crash,
    // a timeout or an init failure — worth an alarm at the first one, and the alarm names the handler.
    for (const [handler, fn] of props.functions) {
      this.add(`Fn-${handler}`, {
        description: `Lambda ${handler}: errors (crash, timeout, init failure) or throttles in 5 minutes.`,
        metric: new MathExpression({
          expression: 'FILL(errors, 0) + FILL(throttles, 0)',
          usingMetrics: {
            errors: fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
            throttles: fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES }),
          },
          label: `${handler} errors + throttles`,
          period: FIVE_MINUTES,
        }),
        threshold: 1,
      });
    }

    // Change events that could not be published after all retries: downstream apps missed a change (the batch in
    // the queue says which). The publisher's partial failures do not count as Lambda errors (ReportBatchItemFailures),
    // so this is the one place a lost event shows.
    if (props.eventsDeadLetters) {
      this.add('EventsDeadLetters', {
        description: 'Change events could not be published after all retries: a message is waiting in the events dead-letter queue.',
        metric: props.eventsDeadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES }),
        threshold: 1,
      });
    }
  }

  private add(
    id: string,
    opts: { description: string; metric: MathExpression | Metric; threshold: number; evaluationPeriods?: number; datapointsToAlarm?: number },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.prefix}-${id}`,
      alarmDescription: opts.description,
      metric: opts.metric,
      threshold: opts.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: opts.evaluationPeriods ?? 1,
      datapointsToAlarm: opts.datapointsToAlarm,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}
