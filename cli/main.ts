/**
 * `scimlink` CLI entry: `run` is the whole program with its I/O injected (tests call it in-process); `main`
 * wires it to the real process. See `scimlink --help`.
 */
import { terminalSafe } from './terminal-safe';
import { parseCommandLine } from './args';
import { isCheckCommand, runCheckCommand } from './check';
import { completionScript } from './completion';
import { configPath } from './config';
import { resolveConnection } from './connection';
import { GROUPS } from './commands';
import type { CommandContext } from './commands/types';
import { isVerifyCommand, runVerifyCommand } from './commands/verify';
import { CliError, UsageError, oneLine } from './errors';
import { commandHelp, groupHelp, topHelp } from './help';
import { AdminClient } from './http';
import type { CliIO } from './io';
import { cliVersion } from './version';

export type { CliIO } from './io';

export async function run(argv: string[], io: CliIO): Promise<number> {
  // `scimlink log ACCOUNT` and `scimlink log --account ID` are `scimlink log show …` (log has one command).
  if (argv[0] === 'log' && argv[1] !== 'show' && argv[1] !== '--help' && argv[1] !== '-h') argv = ['log', 'show', ...argv.slice(1)];
  if (argv.length === 1 && ['--version', '-V', 'version'].includes(argv[0] as string)) {
    io.out(`scimlink ${cliVersion()}\n`);
    return 0;
  }
  if (argv[0] === 'completion') {
    try {
      if (argv.length > 2) throw new UsageError(`unexpected argument '${argv[2]}' (scimlink completion bash|zsh)`);
      io.out(completionScript(argv[1], GROUPS));
      return 0;
    } catch (e) {
      io.err(`scimlink: ${(e as Error).message}\n`);
      return 2;
    }
  }
  // `scimlink check TENANT_URL` takes a SCIM tenant URL and token, not the admin ones: it parses its own line.
  if (isCheckCommand(argv)) return runCheckCommand(argv, io);
  // `scimlink verify` (one word, admin connection options only): scans the table, exit 3 on any inconsistency.
  if (isVerifyCommand(argv)) return runVerifyCommand(argv, io);
  let adminToken: string | undefined;
  // Defence in depth: whatever a server message or a bug might echo, the admin token never reaches the terminal.
  const redact = (s: string) => (adminToken && adminToken.length >= 8 ? s.split(adminToken).join('[admin token]') : s);
  const out = (s: string) => io.out(terminalSafe(redact(s)));
  const fail = (message: string, code: number) => {
    io.err(`scimlink: ${terminalSafe(redact(oneLine(message)))}\n`);
    return code;
  };

  try {
    const parsed = parseCommandLine(argv, GROUPS);
    if (parsed.kind === 'help') {
      out(parsed.command ? commandHelp(parsed.command) : parsed.group ? groupHelp(parsed.group) : topHelp(GROUPS));
      return 0;
    }
    const { command, options } = parsed;
    let client: AdminClient | undefined;
    const ctx: CommandContext = {
      args: parsed.args,
      options,
      json: options.json === true,
      out,
      configPath: configPath(io.env),
      client: () => {
        if (client) return client;
        const connection = resolveConnection(options, io.env);
        adminToken = connection.token;
        return (client = adminClient(connection, io));
      },
    };
    await command.run(ctx);
    return 0;
  } catch (e) {
    if (e instanceof CliError) return fail(e.message, e.exitCode);
    // A bug, not a user error: still one line, but say so (the stack would only bury the reason).
    return fail(`internal error: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
}

export function adminClient(c: ReturnType<typeof resolveConnection>, io: CliIO): AdminClient {
  return new AdminClient({ url: c.url, token: c.token, region: c.region, profile: c.awsProfile, env: io.env, fetch: io.fetch ?? globalThis.fetch });
}

/** The real process: stdout/stderr/env/fetch. Resolves to the exit code (bin.cjs exits with it). */
export function main(argv: string[]): Promise<number> {
  return run(argv, {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  });
}
