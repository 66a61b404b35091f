import { Duration, Validations } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { FilterPattern, ILogGroup, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REQUEST_LOG_MESSAGE } from '../lambdas/log/provisioning-log';
import { LOG_PK_PREFIX } from '../lambdas/store/keys';
import { ScimlinkConfig } from './config';
import { ScimlinkFunction } from './handler-function';

export interface ScimlinkEventsProps {
  config: ScimlinkConfig;
  table: Table;
  tokenSecretPrefix: string;
  /** The provisioning log's sealing key: log-ingest opens the sealed values of the request lines with it. */
  logKey: ISecret;
  /** Log groups of the SCIM functions: their request log lines feed the provisioning log. */
  scimLogGroups: Map<string, ILogGroup>;
}

/**
 * What the platform's apps and admins see of provisioning (issue: change events and provisioning log):
 * - DynamoDB Streams → `stream-user-events` → the stack's EventBridge bus (`User Changed` events). The stream has
 *   a record only for a committed write, and the event source mapping retries (then parks in a DLQ) what could
 *   not be published: at-least-once, per-item order kept (parallelization factor 1, bisect on error).
 * - CloudWatch Logs subscriptions on every SCIM function → `log-ingest` → `LOG#<accountId>` items with a TTL.
 */
export class ScimlinkEvents extends Construct {
  readonly bus: EventBus;
  readonly deadLetters: Queue;
  readonly publisher: ScimlinkFunction;
  readonly logIngest: ScimlinkFunction;

  constructor(scope: Construct, id: string, props: ScimlinkEventsProps) {
    super(scope, id);
    const { config, table } = props;
    this.bus = new EventBus(this, 'Bus', { eventBusName: `scimlink-${config.stage}` });

    const common = {
      table,
      tokenSecretPrefix: props.tokenSecretPrefix,
      recordsLastRequest: false,
      memorySize: config.memorySize,
      logLevel: config.logLevel,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
    };

    // ---- change events ----
    this.deadLetters = new Queue(this, 'EventsDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the stream event source mapping.',
    });
    this.publisher = new ScimlinkFunction(this, 'stream-user-events', {
      ...common,
      handler: 'stream-user-events',
      access: { table: 'none', secrets: 'none' },
      routes: ['DynamoDB stream of the table'],
      environment: { EVENT_BUS_NAME: this.bus.eventBusName },
    });
    this.publisher.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }));
    this.publisher.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.deadLetters),
        // Only user items (ACCOUNT#…/USER#…) carry events; sentinels, counters and log items never wake the function.
        filters: [FilterCriteria.filter({ dynamodb: { Keys: { sk: { S: FilterRule.beginsWith('USER#') } } } })],
      }),
    );
    Validations.of(this.publisher).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams, granted by the DynamoDB event source, has no resource-level permissions (the IAM ' +
        'reference lists only "*"); the stream read actions themselves are scoped to this table\'s stream ARN.',
    });

    // ---- provisioning log ----
    this.logIngest = new ScimlinkFunction(this, 'log-ingest', {
      ...common,
      handler: 'log-ingest',
      access: { table: 'none', secrets: 'none' },
      routes: ['CloudWatch Logs subscription of the SCIM functions'],
      environment: { TABLE_NAME: table.tableName, LOG_KEY_SECRET: props.logKey.secretArn },
    });
    this.logIngest.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.logKey.secretArn] }));
    // Fine-grained: it can only write items whose partition key starts with LOG#.
    this.logIngest.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${LOG_PK_PREFIX}*`] } },
      }),
    );
    for (const [name, logGroup] of props.scimLogGroups) {
      new SubscriptionFilter(this, `Log-${name}`, {
        logGroup,
        destination: new LambdaDestination(this.logIngest.fn),
        filterPattern: FilterPattern.stringValue('$.message', '=', REQUEST_LOG_MESSAGE),
      });
    }
  }
}

