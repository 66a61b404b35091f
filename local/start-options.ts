import { parseArgs } from 'node:util';
import { didYouMean } from '../cli/suggest';
import { parsePublicUrl } from './http-adapter';

/**
 * `npm start`'s command line and environment, parsed strictly: a typo (`--memroy`) or a missing value
 * (`--data-dir` with no directory) is refused in one line naming it, instead of being ignored.
 */
export const START_OPTIONS = {
  memory: { type: 'boolean', description: 'keep everything in memory (nothing written to disk)' },
  'data-dir': { type: 'string', value: 'DIR', description: 'keep the store, keys and env file in DIR (default .scimlink; env SCIMLINK_DATA_DIR)' },
  'new-keys': { type: 'boolean', description: "generate new keys instead of reusing the data dir's (the previous ones stop working)" },
  events: { type: 'boolean', description: 'also print every user change event' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const;

export const START_ENV = [
  ['PORT', 'port to listen on (default 8080)'],
  ['HOST', 'interface to bind (default 127.0.0.1; 0.0.0.0 for every interface)'],
  ['PUBLIC_URL', 'the address clients use, e.g. a tunnel https://abc.example.dev (tenant URLs are built from it)'],
  ['LOG_LEVEL', "the handlers' request logs (default WARN; INFO prints one line per request)"],
  ['SCIMLINK_DATA_DIR', 'as --data-dir'],
] as const;

export interface StartOptions {
  help: boolean;
  memory: boolean;
  dataDir: string;
  newKeys: boolean;
  events: boolean;
  port: number;
  host: string;
  publicUrl?: string;
  logLevel: string;
}

export class StartUsageError extends Error {}

export function parseStartOptions(argv: string[], env: NodeJS.ProcessEnv): StartOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: START_OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      throw new StartUsageError(`unknown option '${unknown}'${didYouMean(unknown.replace(/^-+/, ''), Object.keys(START_OPTIONS), (n) => `--${n}`)}; see npm start -- --help`);
    }
    if (/Option '--data-dir/.test(message)) throw new StartUsageError('--data-dir needs a directory, e.g. npm start -- --data-dir ./my-data');
    throw new StartUsageError(`${message.split(/\.\s/)[0]?.replace(/\.$/, '')}; see npm start -- --help`);
  }
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : env.SCIMLINK_DATA_DIR?.trim() || '.scimlink';
  if (dataDir.trim() === '' || dataDir.startsWith('-')) throw new StartUsageError('--data-dir needs a directory, e.g. npm start -- --data-dir ./my-data');
  if (values.memory === true && typeof values['data-dir'] === 'string') throw new StartUsageError('--memory and --data-dir exclude each other');
  const rawPort = env.PORT?.trim() || '8080';
  if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535) throw new StartUsageError(`PORT must be a port number (0-65535), got '${rawPort}'`);
  let publicUrl: string | undefined;
  if (env.PUBLIC_URL?.trim()) {
    try {
      publicUrl = parsePublicUrl(env.PUBLIC_URL);
    } catch (e) {
      throw new StartUsageError((e as Error).message);
    }
  }
  return {
    help: values.help === true,
    memory: values.memory === true,
    dataDir,
    newKeys: values['new-keys'] === true,
    events: values.events === true,
    port: Number(rawPort),
    host: env.HOST?.trim() || '127.0.0.1',
    ...(publicUrl ? { publicUrl } : {}),
    logLevel: env.LOG_LEVEL?.trim() || 'WARN',
  };
}

export function startHelp(): string {
  const opts = Object.entries(START_OPTIONS).map(([n, d]) => [`${'short' in d ? `-${d.short}, ` : '    '}--${n}${'value' in d ? ` ${d.value}` : ''}`, d.description] as const);
  const w = Math.max(...opts.map(([l]) => l.length), ...START_ENV.map(([n]) => n.length));
  return [
    'Usage: npm start [-- OPTIONS]',
    '',
    'The SCIM endpoint, admin API and console on the embedded store, with a demo customer account and its keys.',
    '',
    'Options:',
    ...opts.map(([l, d]) => `  ${l.padEnd(w)}  ${d}`),
    '',
    'Environment:',
    ...START_ENV.map(([n, d]) => `  ${n.padEnd(w)}  ${d}`),
    '',
  ].join('\n');
}
