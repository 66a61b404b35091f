/** `scimlink profiles list|set|remove`: named admin connections in the config file (cli/config.ts). */
import { readConfig, writeConfig, PROFILE_NAME, type Profile } from '../config';
import { UsageError } from '../errors';
import { json, table } from '../format';
import type { CommandContext, CommandDef, GroupDef } from './types';

const NAME = { name: 'NAME', description: 'the profile name (e.g. prod, staging)' };

const list: CommandDef = {
  group: 'profiles',
  name: 'list',
  summary: 'list the profiles in the config file',
  args: [],
  async run(ctx) {
    const config = readConfig(ctx.configPath);
    if (ctx.json) return ctx.out(json(config));
    const rows = Object.entries(config.profiles).map(([n, p]) => [n + (n === config.default ? ' (default)' : ''), p.url, p.region ?? '', p.awsProfile ?? '']);
    if (rows.length === 0) return ctx.out(`No profiles in ${ctx.configPath}. Add one: scimlink profiles set prod --url https://…/admin --aws-profile ops\n`);
    ctx.out(table(['NAME', 'URL', 'REGION', 'AWS PROFILE'], rows));
  },
};

const set: CommandDef = {
  group: 'profiles',
  name: 'set',
  summary: 'add or change a profile (admin URL, AWS region, AWS profile; never a token)',
  details:
    'Use it with --profile NAME (or SCIMLINK_PROFILE=NAME); --default makes it the one used when neither\n' +
    'is given and SCIMLINK_ADMIN_URL is not set. Tokens are never stored: a deployed stack signs with AWS SigV4.',
  args: [NAME],
  options: {
    url: { type: 'string', value: 'URL', description: 'admin API base URL, e.g. the stack output AdminUrl (required for a new profile)' },
    region: { type: 'string', value: 'REGION', description: 'AWS region for SigV4 (custom domains)' },
    'aws-profile': { type: 'string', value: 'PROFILE', description: 'AWS profile whose credentials sign the requests' },
    default: { type: 'boolean', description: 'make it the default profile' },
  },
  async run(ctx) {
    const name = ctx.args.NAME ?? '';
    if (!PROFILE_NAME.test(name)) throw new UsageError(`profile name '${name}' must be letters, digits, '.', '_' or '-'`);
    if (typeof ctx.options.token === 'string') throw new UsageError('a profile never holds a token; pass --token (or SCIMLINK_ADMIN_TOKEN) when you run a command');
    const config = readConfig(ctx.configPath);
    const before = config.profiles[name];
    const url = str(ctx, 'url') ?? before?.url;
    if (!url) throw new UsageError(`missing --url for the new profile '${name}' (see scimlink profiles set --help)`);
    validUrl(url);
    const region = str(ctx, 'region') ?? before?.region;
    const awsProfile = str(ctx, 'aws-profile') ?? before?.awsProfile;
    const profile: Profile = { url, ...(region ? { region } : {}), ...(awsProfile ? { awsProfile } : {}) };
    config.profiles[name] = profile;
    if (ctx.options.default === true) config.default = name;
    writeConfig(ctx.configPath, config);
    if (ctx.json) return ctx.out(json({ name, ...profile, default: config.default === name }));
    ctx.out(`${before ? 'Changed' : 'Added'} profile ${name}${config.default === name ? ' (default)' : ''} in ${ctx.configPath}.\n`);
  },
};

const remove: CommandDef = {
  group: 'profiles',
  name: 'remove',
  summary: 'remove a profile',
  args: [NAME],
  async run(ctx) {
    const name = ctx.args.NAME ?? '';
    const config = readConfig(ctx.configPath);
    if (!config.profiles[name]) throw new UsageError(`no profile '${name}' in ${ctx.configPath}`);
    delete config.profiles[name];
    if (config.default === name) delete config.default;
    writeConfig(ctx.configPath, config);
    if (!ctx.json) ctx.out(`Removed profile ${name}.\n`);
  },
};

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function validUrl(url: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--url '${url}' is not a valid URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`--url must start with https:// or http://`);
  if (u.username || u.password) throw new UsageError('--url must not contain a user name or password');
}

export const profiles: GroupDef = { name: 'profiles', summary: 'named admin connections (URL, region, AWS profile) in the config file', commands: [list, set, remove] };
