/**
 * scimlink as `npm start -- --memory` runs it (the deployed handlers behind the local HTTP adapter, on the
 * embedded dynalite store), in its own process for the load and scale benchmarks. Seeding goes straight into the
 * store: the items `DynamoUserStore.create` would write, loaded with BatchWriteItem (25 per call).
 */
import { startLocal, DEMO_ACCOUNT_ID } from '../../local/app';
import { documentClient, scimDeps, setScimDeps } from '../../lambdas/runtime/deps';
import type { ChildMessage, ParentMessage } from '../lib/child';
import { seedUsers, type SeededUser } from '../lib/seed';

const send = (m: ChildMessage) => process.send?.(m);

async function main() {
  const app = await startLocal({ port: 0, memory: true, logLevel: 'SILENT' });
  // `--as-deployed`: only what a deployed request does. `npm start` also stands in for two AWS services on the
  // request path — it writes each request's provisioning-log line to the table (in AWS: CloudWatch Logs, then
  // an ingest function) and emulates DynamoDB Streams by reading every written item before and after the write
  // (in AWS: asynchronous, off the request path). Both are switched off here.
  const asDeployed = process.argv.includes('--as-deployed');
  if (asDeployed) {
    setScimDeps({ ...scimDeps(), requestSink: undefined });
    app.dynamo.client.middlewareStack.remove('scimlinkLocalStream');
  }
  const doc = documentClient(app.dynamo.client);
  const seeded: SeededUser[] = [];

  async function seed(from: number, to: number) {
    seeded.push(...(await seedUsers(doc, app.tableName, DEMO_ACCOUNT_ID, { from, to })));
  }

  // A bench that died must not leave its server behind.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ParentMessage) => {
    void (async () => {
      try {
        if (m.type === 'stop') {
          await app.close();
          process.exit(0);
        }
        if (m.type === 'seed') {
          const t = Date.now();
          await seed(m.from, m.to);
          const sample = Array.from({ length: m.sampleSize }, () => seeded[Math.floor(Math.random() * seeded.length)]!);
          send({ type: 'seeded', total: seeded.length, ms: Date.now() - t, sample });
        }
      } catch (e) {
        send({ type: 'error', message: String((e as Error).stack ?? e) });
      }
    })();
  });
  send({ type: 'ready', name: asDeployed ? 'scimlink (local, dynalite; as deployed)' : 'scimlink (npm start)', tenantUrl: app.tenantUrl, token: app.secretToken });
}

main().catch((e: unknown) => {
  send({ type: 'error', message: String((e as Error).stack ?? e) });
  process.exit(1);
});
