/**
 * Command-line parsing with node:util parseArgs (no dependency): find the group and command, then parse
 * strictly against exactly the options that command accepts, so a typo is an error rather than ignored.
 */
import { parseArgs } from 'node:util';
import type { CommandDef, GroupDef, OptionDef } from './commands/types';
import { UsageError, oneLine } from './errors';
import { didYouMean } from './suggest';

/** The one-word commands main.ts dispatches before the group parser: listed with the groups in every error. */
export const SINGLE_COMMANDS = ['check', 'verify', 'completion', 'help'];

/** Connection and output options every command accepts, anywhere on the line. */
export const GLOBAL_OPTIONS: Record<string, OptionDef> = {
  url: { type: 'string', value: 'URL', description: 'admin API base URL (env SCIMLINK_ADMIN_URL), e.g. http://127.0.0.1:8080/admin' },
  token: { type: 'string', value: 'TOKEN', description: 'local admin token (env SCIMLINK_ADMIN_TOKEN); without one, requests are signed with AWS SigV4' },
  region: { type: 'string', value: 'REGION', description: 'AWS region for SigV4 (default: from the execute-api host, else AWS_REGION)' },
  profile: { type: 'string', value: 'NAME', description: 'a scimlink profile from the config file (env SCIMLINK_PROFILE; see scimlink profiles)' },
  'aws-profile': { type: 'string', value: 'PROFILE', description: 'AWS profile for SigV4 (default: AWS_PROFILE / the default chain)' },
  json: { type: 'boolean', description: "print the API's JSON answer (for scripts)" },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

export type ParsedCommandLine =
  | { kind: 'help'; group?: GroupDef; command?: CommandDef }
  | {
      kind: 'run';
      command: CommandDef;
      args: Record<string, string>;
      options: Record<string, string | boolean | undefined>;
    };

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

export function toParseArgs(defs: Record<string, OptionDef>): ParseArgsOptions {
  const options: NonNullable<ParseArgsOptions> = {};
  for (const [name, def] of Object.entries(defs)) {
    options[name] = def.short ? { type: def.type, short: def.short } : { type: def.type };
  }
  return options;
}

export function parseCommandLine(argv: string[], groups: GroupDef[]): ParsedCommandLine {
  // Pass 1, lenient, with every option any command knows: only to find the positionals (group, command)
  // whatever order options come in, since a string option's value must not be mistaken for a positional.
  const allOptions: Record<string, OptionDef> = { ...GLOBAL_OPTIONS };
  for (const g of groups) for (const c of g.commands) Object.assign(allOptions, c.options);
  const loose = parseArgs({ args: argv, options: toParseArgs(allOptions), strict: false, allowPositionals: true });
  // `scimlink help [group [command]]` is the same as --help.
  const helpWord = loose.positionals[0] === 'help';
  const help = helpWord || loose.values.help === true;
  const [groupName, commandName] = helpWord ? loose.positionals.slice(1) : loose.positionals;

  const topNames = [...groups.map((g) => g.name), ...SINGLE_COMMANDS];
  if (groupName === undefined) {
    if (help) return { kind: 'help' };
    throw new UsageError(`missing command; expected one of: ${topNames.join(', ')} (see scimlink --help)`);
  }
  const group = groups.find((g) => g.name === groupName);
  if (!group) {
    throw new UsageError(`unknown command '${groupName}'${didYouMean(groupName, topNames)}; expected one of: ${topNames.join(', ')} (see scimlink --help)`);
  }
  const commandNames = group.commands.map((c) => c.name);
  const names = commandNames.join(', ');
  if (commandName === undefined) {
    if (help) return { kind: 'help', group };
    throw new UsageError(`missing ${group.name} command; expected one of: ${names} (see scimlink ${group.name} --help)`);
  }
  const command = group.commands.find((c) => c.name === commandName);
  if (!command) {
    throw new UsageError(`unknown ${group.name} command '${commandName}'${didYouMean(commandName, commandNames)}; expected one of: ${names} (see scimlink ${group.name} --help)`);
  }
  if (help) return { kind: 'help', group, command };

  // Pass 2, strict, with this command's options only.
  const usageHint = `see scimlink ${group.name} ${command.name} --help`;
  let strict: ReturnType<typeof parseArgs>;
  try {
    strict = parseArgs({ args: argv, options: toParseArgs({ ...GLOBAL_OPTIONS, ...command.options }), strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError(`${parseArgsReason(e, Object.keys({ ...GLOBAL_OPTIONS, ...command.options }))} (${usageHint})`);
  }
  const positionals = strict.positionals.slice(2);
  // An argument also given as its option (`--account ID`): the option fills the missing positional.
  command.args.forEach((a, i) => {
    const alt = a.orOption ? strict.values[a.orOption] : undefined;
    if (typeof alt !== 'string') return;
    if (positionals[i] === undefined) positionals[i] = alt;
    else if (positionals[i] !== alt) throw new UsageError(`${a.name} '${positionals[i]}' and --${a.orOption} '${alt}' differ; give one (${usageHint})`);
  });
  const missing = command.args.slice(positionals.length);
  if (missing.length > 0) {
    throw new UsageError(`missing ${missing.map((a) => a.name).join(' and ')} (${usageHint})`);
  }
  if (positionals.length > command.args.length) {
    throw new UsageError(`unexpected argument '${positionals[command.args.length]}' (${usageHint})`);
  }
  const args: Record<string, string> = {};
  command.args.forEach((a, i) => {
    const value = positionals[i] ?? '';
    if (value.trim() === '') throw new UsageError(`${a.name} must not be empty (${usageHint})`);
    args[a.name] = value;
  });
  return { kind: 'run', command, args, options: strict.values as Record<string, string | boolean | undefined> };
}

/**
 * parseArgs' reason, first sentence only (it follows with advice about `--` and `--opt=-x` that reads as noise
 * here), with the nearest known option for an unknown one.
 */
export function parseArgsReason(e: unknown, known: string[]): string {
  const reason = oneLine((e as Error).message).split(/\.\s/)[0]?.replace(/\.$/, '') ?? 'invalid command line';
  const unknown = /^Unknown option '-{1,2}([^']+)'/.exec(reason)?.[1];
  return unknown ? `${reason}${didYouMean(unknown, known, (n) => `--${n}`)}` : reason;
}

/** A positive integer option (`--start`, `--count`), or undefined when absent. */
export function positiveInt(options: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,8}$/.test(raw)) {
    throw new UsageError(`--${name} must be a positive whole number, got '${String(raw)}'`);
  }
  return Number(raw);
}

/** A string option restricted to a few values (`--type partner|customer`). */
export function oneOf<T extends string>(options: Record<string, string | boolean | undefined>, name: string, allowed: readonly T[]): T | undefined {
  const raw = options[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be ${allowed.join(' or ')}, got '${String(raw)}'`);
  }
  return raw as T;
}

export function requiredString(options: Record<string, string | boolean | undefined>, name: string, hint: string): string {
  const raw = options[name];
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError(`missing --${name} (${hint})`);
  return raw;
}
