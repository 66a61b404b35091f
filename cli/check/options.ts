/**
 * `scimlink check`'s command line. It is the one command that is not `<group> <command>` and that takes a
 * *SCIM* tenant URL and token (not the admin ones), so it parses its own arguments — strictly, like the rest of
 * the CLI: a typo is an error (exit 2) before any request is sent.
 */
import { parseArgs } from 'node:util';
import { GLOBAL_OPTIONS, parseArgsReason, toParseArgs } from '../args';
import type { OptionDef } from '../commands/types';
import { UsageError } from '../errors';

export const CHECK_OPTIONS: Record<string, OptionDef> = {
  token: {
    type: 'string',
    value: 'TOKEN',
    description: 'the Secret Token (env SCIMLINK_SCIM_TOKEN); "-" reads it from stdin, keeping it out of shell history',
  },
  'read-only': { type: 'boolean', description: 'only the Test Connection probe and discovery: nothing is written (the default for a non-local URL)' },
  write: {
    type: 'boolean',
    description: 'also run the user lifecycle against a non-local URL (creates, changes and deletes throw-away users)',
  },
  json: { type: 'boolean', description: 'print the run as JSON (no progress lines)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export type CheckCommandLine =
  | { kind: 'help' }
  | {
      kind: 'run';
      tenantUrl: string;
      token: { from: 'option' | 'stdin' | 'env'; value?: string };
      readOnly: boolean;
      /** Read-only because the URL is not local and --write was not given (the header says so). */
      readOnlyByDefault: boolean;
      json: boolean;
    };

const HINT = 'see scimlink check --help';


/** `scimlink check …` or `scimlink help check`: main.ts hands these to the check before the group parser. */
export function isCheckCommand(argv: string[]): boolean {
  // Lenient, knowing every option that takes a value, so `--token X check` is not misread.
  const { positionals } = parseArgs({ args: argv, options: toParseArgs({ ...GLOBAL_OPTIONS, ...CHECK_OPTIONS }), strict: false, allowPositionals: true });
  return positionals[0] === 'check' || (positionals[0] === 'help' && positionals[1] === 'check');
}

export function parseCheckCommandLine(argv: string[], env: NodeJS.ProcessEnv): CheckCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: toParseArgs(CHECK_OPTIONS), strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${parseArgsReason(e, Object.keys(CHECK_OPTIONS))} (${HINT})`);
  }
  const positionals = parsed.positionals[0] === 'help' ? parsed.positionals.slice(1) : parsed.positionals;
  if (parsed.positionals[0] === 'help' || parsed.values.help === true) return { kind: 'help' };
  const [, tenantUrl, extra] = positionals;
  if (tenantUrl === undefined || tenantUrl.trim() === '') throw new UsageError(`missing TENANT_URL (${HINT})`);
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' (${HINT})`);

  const option = parsed.values.token;
  const fromEnv = env.SCIMLINK_SCIM_TOKEN?.trim();
  let token: { from: 'option' | 'stdin' | 'env'; value?: string };
  if (option === '-') token = { from: 'stdin' };
  else if (typeof option === 'string') token = { from: 'option', value: option.trim() };
  else if (fromEnv) token = { from: 'env', value: fromEnv };
  else {
    throw new UsageError(
      'no SCIM token: pass --token TOKEN, --token - to read it from stdin, or set SCIMLINK_SCIM_TOKEN (the "Secret Token" from keys generate / npm start)',
    );
  }
  const url = normaliseTenantUrl(tenantUrl);
  const write = parsed.values.write === true;
  if (write && parsed.values['read-only'] === true) throw new UsageError(`--write and --read-only exclude each other (${HINT})`);
  // Writing to someone's production tenant (even with throw-away users) is a decision, not a default.
  const readOnlyByDefault = !write && !isLoopback(new URL(url).hostname);
  const readOnly = parsed.values['read-only'] === true || readOnlyByDefault;
  return { kind: 'run', tenantUrl: url, token, readOnly, readOnlyByDefault, json: parsed.values.json === true };
}

/** The local server (npm start) or a tunnel end on this machine: the check may write there without --write. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The token, validated: the admin token is the classic mix-up and would only earn a 401. */
export function checkToken(token: string | undefined): string {
  const value = token?.split(/\r?\n/)[0]?.trim() ?? '';
  if (value === '') throw new UsageError('the SCIM token is empty');
  if (value.startsWith('scimlinkadmin_')) {
    throw new UsageError('that is the admin token; check needs the Secret Token printed with the Tenant URL (scimlink_…)');
  }
  return value;
}

/** The base every SCIM path is appended to: http(s), no credentials, no query, no trailing slash. */
export function normaliseTenantUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError(`the tenant URL '${raw}' is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`the tenant URL must start with https:// (got ${url.protocol}//)`);
  if (url.username || url.password) throw new UsageError('the tenant URL must not contain a user name or password; pass the token with --token');
  const mistake = urlMistake(url);
  if (mistake) throw new UsageError(mistake);
  if (url.search || url.hash) {
    // Entra appends /Users?filter=… itself; the check sends both PATCH dialects (with and without the flag).
    throw new UsageError('pass the tenant URL without a query string or fragment (the check sends ?aadOptscim062020 itself where Entra does)');
  }
  return url.href.replace(/\/+$/, '');
}

/** A SCIM resource path pasted along with the tenant URL; Entra appends these itself. */
const RESOURCE_SUFFIX = /\/(Users|Groups|ServiceProviderConfig|Schemas|ResourceTypes)(\/.*)?$/i;

/** The usual wrong URLs, each with what to pass instead. */
function urlMistake(url: URL): string | undefined {
  const path = url.pathname.replace(/\/+$/, '');
  const suffix = RESOURCE_SUFFIX.exec(path);
  if (suffix) {
    const base = `${url.origin}${path.slice(0, suffix.index)}`;
    return `the tenant URL ends in ${suffix[0]}: pass it without that part (Entra appends /${suffix[1]} itself), e.g. scimlink check ${base}`;
  }
  if (/\/(admin|console)(\/(accounts|api)(\/.*)?)?$/.test(path)) {
    return 'that is the admin or console address; check needs the Tenant URL (…/scim/<account>.<key>) that keys generate or npm start prints';
  }
  if (/\/scim$/.test(path)) return 'the tenant URL is incomplete: it ends in /scim/<account>.<key>, as keys generate or npm start prints it';
  return undefined;
}
