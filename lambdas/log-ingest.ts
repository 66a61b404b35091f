import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { ProvisioningLogEntry, REQUEST_LOG_MESSAGE, RequestLogFields, toLogEntry } from './log/provisioning-log';
import { documentClient } from './runtime/deps';
import { DynamoLogStore } from './store/dynamo-log-store';

/**
 * CloudWatch Logs subscription → provisioning log. Each SCIM function's log group is subscribed with a filter
 * on the request log line, so the request path pays nothing for the provisioning log and the SCIM readers keep
 * read-only table access. A failed write throws: Lambda retries the asynchronous invocation.
 */
let store: DynamoLogStore | undefined;

export function setLogStore(s: DynamoLogStore | undefined) {
  store = s;
}

export const handler = async (event: CloudWatchLogsEvent): Promise<{ written: number }> => {
  store ??= new DynamoLogStore(documentClient(new DynamoDBClient({})), process.env.TABLE_NAME ?? '');
  const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsDecodedData;
  const entries: ProvisioningLogEntry[] = [];
  for (const logEvent of data.logEvents ?? []) {
    let line: RequestLogFields & { message?: unknown; timestamp?: unknown };
    try {
      line = JSON.parse(logEvent.message) as typeof line;
    } catch {
      continue; // not a structured line (e.g. the runtime's START/END lines)
    }
    if (line.message !== REQUEST_LOG_MESSAGE) continue;
    const entry = toLogEntry(line, new Date(logEvent.timestamp).toISOString(), logEvent.id);
    if (entry) entries.push(entry);
  }
  await store.append(entries);
  return { written: entries.length };
};
