/**
 * What AWS services deliver to functions outside API Gateway, from the template:
 * - DynamoDB Streams event source mappings: records in DynamoDB's stream format, the mapping's `FilterCriteria`
 *   applied before invoking (filtered records are dropped, as Lambda does), `BatchSize`, ReportBatchItemFailures
 *   (retry from the first failed record), `MaximumRetryAttempts`, then the on-failure destination. The poller's own
 *   stream reads and the destination's SendMessage are authorised against the function's role, as Lambda does.
 * - CloudWatch Logs subscription filters: each function's log lines go to its log group; lines matching a
 *   subscription's pattern are delivered gzipped and base64-encoded in the `awslogs.data` envelope, provided a
 *   `lambda:InvokeFunction` permission lets the Logs service invoke the destination.
 * Both are drained explicitly (`drain()`), so tests are deterministic rather than timing-dependent.
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { LocalStreamRecord } from '../../../local/dynamo/stream';
import type { AwsCall } from './aws-endpoint';
import { wildcard } from './http';
import { list } from './iam';
import type { FunctionSpec, InvokeResult } from './lambda-runtime';
import { matchesEventPattern, matchesLogFilter } from './patterns';
import { ACCOUNT, REGION, SynthesizedStack } from './template';

/* eslint-disable @typescript-eslint/no-explicit-any -- template and event JSON */
interface Platform {
  authorize(call: AwsCall): boolean;
  invoke(functionArn: string, event: unknown): Promise<InvokeResult>;
  functions: FunctionSpec[];
}

export interface DeadLetter {
  destination: string;
  records: unknown[];
}

interface Mapping {
  logicalId: string;
  function: FunctionSpec;
  streamArn: string;
  filters: Array<Record<string, any>>;
  batchSize: number;
  maxRetries: number;
  reportFailures: boolean;
  onFailure?: string;
  pending: Array<Record<string, any>>;
}

export class StreamMappings {
  private readonly mappings: Mapping[];
  private sequence = 100000000000000000000;
  readonly deadLetters: DeadLetter[] = [];
  /** Records dropped by a mapping's filter (for tests that prove the filter works). */
  filteredOut = 0;

  constructor(
    private readonly stack: SynthesizedStack,
    private readonly platform: Platform,
    /** table name → [hash, range] key names */
    private readonly keyNames: (table: string) => Promise<string[]>,
  ) {
    this.mappings = stack.ofType('AWS::Lambda::EventSourceMapping').map(([logicalId, r]) => {
      const p = stack.resolve(r.Properties ?? {}) as Record<string, any>;
      const fn = platform.functions.find((f) => f.name === p.FunctionName || f.arn === p.FunctionName);
      if (!fn) throw new Error(`${logicalId}: function ${p.FunctionName} is not in the template`);
      if (!/:dynamodb:.*\/stream\//.test(String(p.EventSourceArn))) throw new Error(`${logicalId}: event source ${p.EventSourceArn} is not emulated`);
      return {
        logicalId,
        function: fn,
        streamArn: p.EventSourceArn,
        filters: (p.FilterCriteria?.Filters ?? []).map((f: { Pattern: string }) => JSON.parse(f.Pattern) as Record<string, any>),
        batchSize: Number(p.BatchSize ?? 100),
        maxRetries: p.MaximumRetryAttempts === undefined || p.MaximumRetryAttempts === -1 ? 10_000 : Number(p.MaximumRetryAttempts),
        reportFailures: list(p.FunctionResponseTypes).includes('ReportBatchItemFailures'),
        ...(p.DestinationConfig?.OnFailure?.Destination ? { onFailure: p.DestinationConfig.OnFailure.Destination as string } : {}),
        pending: [],
      };
    });
  }

  /** A committed change from the local layer, as the table's stream record (NEW_AND_OLD_IMAGES). */
  async record(change: LocalStreamRecord): Promise<void> {
    const [hash, range] = await this.keyNames(change.tableName);
    const image = (change.newImage ?? change.oldImage) as Record<string, unknown>;
    const keys = Object.fromEntries([hash, range].filter((k): k is string => !!k).map((k) => [k, image[k]]));
    const m = (o: Record<string, unknown> | undefined) => (o ? (marshall(o, { removeUndefinedValues: true }) as Record<string, AttributeValue>) : undefined);
    this.sequence += 1;
    const streamArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${change.tableName}/stream/`;
    const rec = {
      eventID: randomUUID().replaceAll('-', ''),
      eventName: change.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: m(keys),
        ...(change.newImage ? { NewImage: m(change.newImage) } : {}),
        ...(change.oldImage ? { OldImage: m(change.oldImage) } : {}),
        SequenceNumber: String(this.sequence),
        SizeBytes: JSON.stringify(image).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    for (const mapping of this.mappings) {
      if (!mapping.streamArn.startsWith(streamArn)) continue;
      mapping.pending.push({ ...rec, eventSourceARN: mapping.streamArn });
    }
  }

  /** Polls every mapping until its stream is empty; returns the number of invocations. */
  async drain(): Promise<number> {
    let invocations = 0;
    for (const m of this.mappings) {
      const role = m.function.roleLogicalId;
      const poll = (action: string, resource = m.streamArn) => this.check({ role, action, resource, context: {} });
      poll('dynamodb:ListStreams', '*');
      poll('dynamodb:DescribeStream');
      poll('dynamodb:GetShardIterator');
      while (m.pending.length > 0) {
        poll('dynamodb:GetRecords');
        const read = m.pending.splice(0, m.batchSize);
        const batch = m.filters.length === 0 ? read : read.filter((r) => m.filters.some((f) => matchesEventPattern(f, r)));
        this.filteredOut += read.length - batch.length;
        let remaining = batch;
        let attempts = 0;
        while (remaining.length > 0) {
          invocations += 1;
          const result = await this.platform.invoke(m.function.arn, { Records: remaining });
          const failedFrom = this.firstFailure(m, remaining, result);
          if (failedFrom < 0) break;
          if (attempts >= m.maxRetries) {
            this.deadLetter(m, remaining.slice(failedFrom));
            break;
          }
          attempts += 1;
          remaining = remaining.slice(failedFrom);
        }
      }
    }
    return invocations;
  }

  /** Index of the first record to retry, or -1 when the batch succeeded. */
  private firstFailure(m: Mapping, batch: Array<Record<string, any>>, result: InvokeResult): number {
    if (!result.ok) return 0;
    if (!m.reportFailures) return -1;
    const failures = ((result.payload as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null)?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    if (failures.length === 0) return -1;
    const idx = batch.findIndex((r) => failures.includes(r.dynamodb.SequenceNumber));
    // An identifier that names no record of the batch fails the whole batch (Lambda's rule).
    return idx < 0 ? 0 : idx;
  }

  private deadLetter(m: Mapping, records: unknown[]): void {
    if (!m.onFailure) return;
    const role = m.function.roleLogicalId;
    if (!/^arn:aws:sqs:/.test(m.onFailure)) throw new Error(`${m.logicalId}: on-failure destination ${m.onFailure} is not emulated`);
    // Lambda sends the batch's metadata (not the records) to an SQS destination, with the function's role.
    this.check({ role, action: 'sqs:SendMessage', resource: m.onFailure, context: {} });
    this.deadLetters.push({ destination: m.onFailure, records });
  }

  private check(call: AwsCall): void {
    if (!this.platform.authorize(call)) throw new Error(`Lambda service, as role ${call.role}: ${call.action} on ${call.resource} is not allowed`);
  }
}

interface Subscription {
  logicalId: string;
  logGroupName: string;
  pattern: string;
  destinationArn: string;
  delivered: number;
}

export class LogSubscriptions {
  private readonly subscriptions: Subscription[];
  private readonly groups = new Map<string, Array<{ id: string; timestamp: number; message: string }>>();
  /** Lines each subscription delivered (for tests that prove the filter works). */
  readonly deliveries: Array<{ subscription: string; messages: string[] }> = [];

  constructor(
    stack: SynthesizedStack,
    private readonly platform: Platform,
  ) {
    const permissions = stack
      .ofType('AWS::Lambda::Permission')
      .map(([, r]) => stack.resolve(r.Properties ?? {}) as Record<string, any>)
      .filter((p) => /^logs(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(String(p.Principal)));
    this.subscriptions = stack.ofType('AWS::Logs::SubscriptionFilter').map(([logicalId, r]) => {
      const p = stack.resolve(r.Properties ?? {}) as Record<string, any>;
      const destination = platform.functions.find((f) => f.arn === p.DestinationArn);
      if (!destination) throw new Error(`${logicalId}: destination ${p.DestinationArn} is not a function of the stack (not emulated)`);
      const groupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${p.LogGroupName}:*`;
      const permitted = permissions.some(
        (q) => (q.FunctionName === destination.arn || q.FunctionName === destination.name) && (!q.SourceArn || wildcard(q.SourceArn, groupArn)),
      );
      if (!permitted) throw new Error(`${logicalId}: CloudWatch Logs may not invoke ${destination.name} (no lambda:InvokeFunction permission for ${groupArn})`);
      return { logicalId, logGroupName: p.LogGroupName, pattern: p.FilterPattern ?? '', destinationArn: destination.arn, delivered: 0 };
    });
  }

  /** One line a function wrote to stdout/stderr, now a log event of its log group. */
  append(fn: FunctionSpec, message: string): void {
    const events = this.groups.get(fn.logGroupName) ?? [];
    events.push({ id: `${Date.now()}${String(events.length).padStart(8, '0')}`, timestamp: Date.now(), message });
    this.groups.set(fn.logGroupName, events);
  }

  lines(logGroupName: string): string[] {
    return (this.groups.get(logGroupName) ?? []).map((e) => e.message);
  }

  /** Delivers every subscription's new matching lines; returns the number of invocations. */
  async drain(): Promise<number> {
    let invocations = 0;
    for (const s of this.subscriptions) {
      const events = this.groups.get(s.logGroupName) ?? [];
      const fresh = events.slice(s.delivered);
      s.delivered = events.length;
      const matching = fresh.filter((e) => matchesLogFilter(s.pattern, e.message));
      if (matching.length === 0) continue;
      const data = {
        messageType: 'DATA_MESSAGE',
        owner: ACCOUNT,
        logGroup: s.logGroupName,
        logStream: '2026/01/01/[$LATEST]0000',
        subscriptionFilters: [s.logicalId],
        logEvents: matching,
      };
      this.deliveries.push({ subscription: s.logicalId, messages: matching.map((e) => e.message) });
      invocations += 1;
      const result = await this.platform.invoke(s.destinationArn, { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } });
      if (!result.ok) throw new Error(`log subscription ${s.logicalId}: ${s.destinationArn} failed: ${JSON.stringify(result.error)}`);
    }
    return invocations;
  }
}
