/**
 * Named profiles in the XDG config directory (`$XDG_CONFIG_HOME/scimlink/config.json`, else
 * `~/.config/scimlink/config.json`), like gh's hosts file: where an admin API is and how to sign for it — the
 * admin URL, the AWS region and AWS profile — never a secret (tokens stay in flags, env or the AWS chain).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, UsageError } from './errors';
import { didYouMean } from './suggest';

export interface Profile {
  url: string;
  region?: string;
  awsProfile?: string;
}

export interface CliConfig {
  /** The profile used when none is named and no SCIMLINK_ADMIN_URL is set. */
  default?: string;
  profiles: Record<string, Profile>;
}

const PROFILE_KEYS = new Set(['url', 'region', 'awsProfile']);
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.config');
  return join(base, 'scimlink', 'config.json');
}

export function readConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON; fix or delete it`);
  }
  const config = parsed as Partial<CliConfig>;
  if (typeof config !== 'object' || config === null || typeof config.profiles !== 'object' || config.profiles === null) {
    throw new CliError(`${path} has no "profiles" object; fix or delete it`);
  }
  for (const [name, p] of Object.entries(config.profiles)) {
    const unknown = Object.keys(p ?? {}).find((k) => !PROFILE_KEYS.has(k));
    // A token pasted into the file by hand would sit in plain text in a dotfile: refuse to use it.
    if (unknown) throw new CliError(`profile '${name}' in ${path} has '${unknown}'; a profile holds only url, region and awsProfile (never a token)`);
    if (typeof p?.url !== 'string') throw new CliError(`profile '${name}' in ${path} has no url`);
  }
  return { profiles: config.profiles, ...(typeof config.default === 'string' ? { default: config.default } : {}) };
}

export function writeConfig(path: string, config: CliConfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(config, null, 2) + '\n');
}

/** The profile named by --profile / SCIMLINK_PROFILE, or the default one; a wrong name is a usage error. */
export function selectProfile(config: CliConfig, name: string | undefined, path: string): { name: string; profile: Profile } | undefined {
  const chosen = name ?? config.default;
  if (chosen === undefined) return undefined;
  const profile = config.profiles[chosen];
  if (profile) return { name: chosen, profile };
  const names = Object.keys(config.profiles);
  throw new UsageError(
    `no profile '${chosen}' in ${path}${didYouMean(chosen, names)}${names.length ? ` (profiles: ${names.join(', ')})` : ''}; ` +
      'create it with scimlink profiles set NAME --url URL (the AWS profile option is --aws-profile)',
  );
}
