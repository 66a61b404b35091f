/**
 * Where the admin API is and how to authenticate, from (first wins): the flags; a profile named with --profile
 * or SCIMLINK_PROFILE; SCIMLINK_ADMIN_URL / SCIMLINK_ADMIN_TOKEN (what `source .scimlink/env` sets); the default
 * profile. A profile named explicitly ignores the environment's URL and token, so a shell set up for the local
 * server never sends its admin token to a deployed stack.
 */
import { configPath, readConfig, selectProfile } from './config';

export interface Connection {
  url?: string;
  token?: string;
  region?: string;
  awsProfile?: string;
}

type Options = Record<string, string | boolean | undefined>;

export function resolveConnection(options: Options, env: NodeJS.ProcessEnv): Connection {
  const flag = (name: string) => nonEmpty(typeof options[name] === 'string' ? (options[name] as string) : undefined);
  const named = flag('profile') ?? nonEmpty(env.SCIMLINK_PROFILE);
  const envUrl = nonEmpty(env.SCIMLINK_ADMIN_URL);
  // The file is read only when a profile can matter: a plain local run never touches it.
  const needProfile = named !== undefined || (flag('url') === undefined && envUrl === undefined);
  const path = configPath(env);
  const selected = needProfile ? selectProfile(readConfig(path), named, path)?.profile : undefined;
  const fromEnv = named === undefined;
  const url = flag('url') ?? (fromEnv ? envUrl : undefined) ?? selected?.url;
  const token = flag('token') ?? (fromEnv ? nonEmpty(env.SCIMLINK_ADMIN_TOKEN) : undefined);
  const region = flag('region') ?? selected?.region;
  const awsProfile = flag('aws-profile') ?? selected?.awsProfile;
  return { ...(url ? { url } : {}), ...(token ? { token } : {}), ...(region ? { region } : {}), ...(awsProfile ? { awsProfile } : {}) };
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
