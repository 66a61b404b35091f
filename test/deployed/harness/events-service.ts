/**
 * A small EventBridge: PutEvents onto named buses, kept for the tests to read. IAM authorises PutEvents on each
 * entry's bus ARN with the `events:source` and `events:detail-type` condition keys. `failNext` makes the next
 * PutEvents calls report every entry as failed (what a throttled bus answers), to drive the stream's retries.
 */
import { randomUUID } from 'node:crypto';
import { AwsCall, AwsError, JsonService } from './aws-endpoint';
import { ACCOUNT, PARTITION, REGION } from './template';

export interface PutEvent {
  bus: string;
  source: string;
  detailType: string;
  detail: unknown;
}

export class EventBridgeService implements JsonService {
  readonly targetPrefix = 'AWSEvents';
  readonly errorTypePrefix = '';
  readonly events: PutEvent[] = [];
  failNext = 0;

  async calls(op: string, input: Record<string, unknown>, role: string): Promise<AwsCall[]> {
    const entries = (input.Entries ?? []) as Array<Record<string, string>>;
    if (op !== 'PutEvents') return [{ role, action: `events:${op}`, resource: '*', context: {} }];
    return entries.map((e) => ({
      role,
      action: 'events:PutEvents',
      resource: busArn(e.EventBusName),
      context: { 'events:source': e.Source ?? '', 'events:detail-type': e.DetailType ?? '' },
    }));
  }

  async serve(op: string, input: Record<string, unknown>): Promise<unknown> {
    if (op !== 'PutEvents') throw new AwsError('UnknownOperationException', `test harness: EventBridge ${op} is not emulated`);
    const entries = (input.Entries ?? []) as Array<Record<string, string>>;
    if (this.failNext > 0) {
      this.failNext -= 1;
      return { FailedEntryCount: entries.length, Entries: entries.map(() => ({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' })) };
    }
    for (const e of entries) {
      this.events.push({ bus: busName(e.EventBusName), source: e.Source ?? '', detailType: e.DetailType ?? '', detail: JSON.parse(e.Detail ?? 'null') });
    }
    return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
  }
}

function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() as string) : nameOrArn;
}

function busArn(nameOrArn: string | undefined): string {
  return nameOrArn?.startsWith('arn:') ? nameOrArn : `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/${busName(nameOrArn)}`;
}
