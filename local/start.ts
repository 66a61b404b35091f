import { visible } from '../lambdas/scim/identifiers';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { startLocal } from './app';
import { envFileText, writeEnvFile } from './env-file';
import { StartUsageError, parseStartOptions, startHelp } from './start-options';

/**
 * `npm start [-- OPTIONS]`: the SCIM endpoint on the embedded store, with a demo tenant (`npm start -- --help`).
 * Prints the lines to paste into Entra (or a test client) and writes them to <data dir>/env.
 */
async function main(): Promise<number> {
  // Lambda runs Node 22+; on a Node 20 dev machine the SDK's upgrade notice is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The metrics' EMF lines are for CloudWatch; in a terminal they would drown the output (=false shows them).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  let options;
  try {
    options = parseStartOptions(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof StartUsageError)) throw e;
    console.error(`npm start: ${e.message}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(startHelp());
    return 0;
  }
  const app = await startLocal({
    port: options.port,
    host: options.host,
    memory: options.memory,
    dataDir: options.dataDir,
    newKeys: options.newKeys,
    logLevel: options.logLevel,
    // dynalite and LevelDB on a second core, beside the handlers (docs/benchmarks.md: npm start vs the peer); with
    // one core the thread would only add its messages.
    storeThread: availableParallelism() > 1,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  const envFile = join(options.dataDir, 'env');
  if (!options.memory) await writeEnvFile(envFile, envFileText(app));
  console.log(`scimlink is running on the embedded store (${options.memory ? 'in memory' : `data in ${options.dataDir}/`}).`);
  console.log(`Tenant URL: ${app.tenantUrl}`);
  console.log(`Secret Token: ${app.secretToken}`);
  console.log(`Admin URL: ${app.adminUrl}`);
  console.log(`Admin Token: ${app.adminToken}`);
  console.log(`Console URL: ${app.consoleUrl}`);
  console.log('  (the browser console, signed in as the local operator)');
  console.log(`User change events: ${app.url}/events (Server-Sent Events, with the admin token)${options.events ? '; printed below' : ''}`);
  if (options.memory) console.log('Keys are new at every start (--memory).');
  else {
    console.log(`${app.keysReused ? 'Same keys as the previous start' : 'New keys'} (--new-keys makes new ones). For a shell: source ${envFile}`);
  }
  if (!options.publicUrl && ['0.0.0.0', '::', '[::]'].includes(options.host)) {
    console.log(`Listening on every interface; other machines must reach it by a name: set PUBLIC_URL (e.g. PUBLIC_URL=http://$(hostname):${options.port}).`);
  }
  console.log('Ctrl-C to stop.');
  if (options.events) {
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
  return -1; // keep running
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    // Not a user mistake (those are StartUsageErrors above): still one line, no stack.
    console.error(`scimlink failed to start: ${(e as Error).message}`);
    process.exit(1);
  },
);
