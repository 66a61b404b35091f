/**
 * `npx tsx bench/sdk-call.ts [calls]` — what one DynamoDB call costs in the AWS SDK itself, with nothing behind it:
 * a `GetCommand` through the DocumentClient (as the handlers send it) to a request handler that answers at once,
 * with and without a per-call abort signal (lambdas/runtime/request-scope.ts passes one), SigV4 signing as deployed.
 * Prints CPU µs per call; docs/benchmarks.md uses it to tell the SDK's share from `npm start`'s own.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const body = Buffer.from(JSON.stringify({ Item: { pk: { S: 'ACCOUNT#a' }, sk: { S: 'USER#u' }, userName: { S: 'alice@example.com' } } }));
const instant = {
  metadata: { handlerProtocol: 'http/1.1' },
  handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body } }),
  updateHttpClientConfig() {},
  httpHandlerConfigs: () => ({}),
  destroy() {},
};

async function cpuMicrosPerCall(calls: number, withSignal: boolean): Promise<number> {
  const client = new DynamoDBClient({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: instant });
  const doc = DynamoDBDocumentClient.from(client);
  const options = withSignal ? { abortSignal: new AbortController().signal } : undefined;
  const get = () => doc.send(new GetCommand({ TableName: 't', Key: { pk: 'ACCOUNT#a', sk: 'USER#u' } }), options);
  for (let i = 0; i < Math.min(2000, calls); i++) await get(); // JIT warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) await get();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

async function main() {
  const calls = Number(process.argv[2] ?? 20000);
  console.log('| round | abort signal | CPU µs per call |\n|---|---|---|');
  for (let round = 1; round <= 2; round++) {
    for (const withSignal of [true, false]) {
      console.log(`| ${round} | ${withSignal ? 'yes' : 'no'} | ${(await cpuMicrosPerCall(calls, withSignal)).toFixed(0)} |`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
