import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { ProvisioningLogEntry, REQUEST_LOG_MESSAGE, RequestLogFields, toLogEntry } from './log/provisioning-log';
import { documentClient } from './runtime/deps';
import { DynamoLogStore } from './store/dynamo-log-store';
import { unseal } from './log/sealed';
import { secretsManagerLogKey } from './store/secrets-log-key';

/**
 * CloudWatch Logs subscription → provisioning log. Each SCIM function's log group is subscribed with a filter
 * on the request log line, so the request path pays nothing for the provisioning log and the SCIM readers keep
 * read-only table access. The lines show no user values (lambdas/log/log-privacy.ts); the account's own values
 * come sealed in the line and are opened here with the stack's log key (lambdas/log/sealed.ts). A failed write
 * throws: Lambda retries the asynchronous invocation.
 */
let store: DynamoLogStore | undefined;
let logKey: (() => Promise<Buffer>) | undefined;

export function setLogStore(s: DynamoLogStore | undefined, key?: () => Promise<Buffer>) {
  store = s;
  logKey = key;
}

export const handler = async (event: CloudWatchLogsEvent): Promise<{ written: number }> => {
  store ??= new DynamoLogStore(documentClient(new DynamoDBClient({})), process.env.TABLE_NAME ?? '');
  if (!logKey && process.env.LOG_KEY_SECRET) logKey = secretsManagerLogKey(process.env.LOG_KEY_SECRET);
  const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsDecodedData;
  const entries: ProvisioningLogEntry[] = [];
  // Without the key (a failed read: Lambda retries the batch) the entries would keep only the masked values.
  const key = logKey ? await logKey() : undefined;
  for (const logEvent of data.logEvents ?? []) {
    let line: RequestLogFields & { message?: unknown; timestamp?: unknown };
    try {
      line = JSON.parse(logEvent.message) as typeof line;
    } catch {
      continue; // not a structured line (e.g. the runtime's START/END lines)
    }
    if (line.message !== REQUEST_LOG_MESSAGE) continue;
    // The account's own values, sealed by the SCIM function (lambdas/log/sealed.ts), replace the masked ones.
    const own = key ? unseal(key, (line as { sealed?: unknown }).sealed) : undefined;
    const entry = toLogEntry({ ...line, ...own }, new Date(logEvent.timestamp).toISOString(), logEvent.id);
    if (entry) entries.push(entry);
  }
  await store.append(entries);
  return { written: entries.length };
};
