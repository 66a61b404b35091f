import { visible } from '../lambdas/scim/identifiers';
import { startLocal } from './app';

/**
 * `npm start [-- --memory] [-- --data-dir DIR]`: the SCIM endpoint on the embedded store, with a demo tenant.
 * PORT picks the port (default 8080). Prints the two lines to paste into Entra (or a test client).
 */
async function main() {
  // Lambda runs Node 22+; on a Node 20 dev machine the SDK's upgrade notice is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The metrics' EMF lines are for CloudWatch; in a terminal they would drown the output (=false shows them).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('Usage: npm start [-- --memory] [-- --data-dir DIR] [-- --events]\n  PORT=8080  port to listen on (127.0.0.1)\n  HOST=...   interface to bind');
    return;
  }
  const memory = args.includes('--memory');
  const dirIndex = args.indexOf('--data-dir');
  const dataDir = dirIndex >= 0 ? args[dirIndex + 1] : process.env.SCIMLINK_DATA_DIR;
  const app = await startLocal({
    port: Number(process.env.PORT ?? 8080),
    host: process.env.HOST ?? '127.0.0.1',
    memory,
    ...(dataDir ? { dataDir } : {}),
    logLevel: process.env.LOG_LEVEL ?? 'WARN',
  });
  console.log(`scimlink is running on the embedded store (${memory ? 'in memory' : `data in ${dataDir ?? '.scimlink'}/`}).`);
  console.log(`Tenant URL: ${app.tenantUrl}`);
  console.log(`Secret Token: ${app.secretToken}`);
  console.log(`Admin URL: ${app.adminUrl}`);
  console.log(`Admin Token: ${app.adminToken}`);
  console.log(`  (for the CLI: export SCIMLINK_ADMIN_URL=${app.adminUrl} SCIMLINK_ADMIN_TOKEN=<the Admin Token>)`);
  console.log(`Console URL: ${app.consoleUrl}`);
  console.log('  (the browser console, signed in as the local operator; the link works until the server stops)');
  console.log(`User change events: ${app.url}/events (Server-Sent Events)${args.includes('--events') ? '; printed below' : ''}`);
  console.log('Keys are regenerated at every start; the previous token stops working. Ctrl-C to stop.');
  if (args.includes('--events')) {
    app.events.subscribe((e) =>
      // The userName is the tenant's text: printed with its control characters escaped (issue 14, item 7).
      console.log(`event ${e.detail.changeType} ${e.detail.accountId}/${e.detail.userId} ${visible(e.detail.userName)} v${e.detail.version} [${e.detail.changedAttributes.join(', ')}]`),
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing in-flight requests and closing the store…`);
    await app.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`scimlink failed to start: ${(e as Error).message}`);
  process.exit(1);
});
