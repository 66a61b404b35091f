/**
 * `scimlink check TENANT_URL`: wires the command line, the token, Ctrl-C and the output to the engine.
 * main.ts calls `runCheckCommand` for `check` before its `<group> <command>` parser.
 */
import { createInterface } from 'node:readline';
import type { CliIO } from '../io';
import { CliError, oneLine } from '../errors';
import { json } from '../format';
import { runCheck } from './engine';
import { checkHelp } from './help';
import { ScimClient } from './http';
import { checkToken, parseCheckCommandLine } from './options';
import { header, progressLine, summary, toJson } from './report';
import { STEPS } from './steps';
import { ThrowAwayUsers } from './users';
import { exitCodeOf, verdictOf } from './verdict';

export interface CheckIO extends CliIO {
  /** Reads all of stdin (for `--token -`); defaults to the process's. */
  stdin?: () => Promise<string>;
  /**
   * Aborted to interrupt the run as Ctrl-C would (tests). Without it, SIGINT/SIGTERM do: the first stops the
   * run and removes the throw-away users, a second quits at once.
   */
  interrupt?: AbortSignal;
}

export async function runCheckCommand(argv: string[], io: CheckIO): Promise<number> {
  let token: string | undefined;
  // Defence in depth: whatever an endpoint echoes (some error pages quote headers), the token is never printed.
  const redact = (s: string) => (token && token.length >= 8 ? s.split(token).join('[token]') : s);
  const out = (s: string) => io.out(redact(s));
  const err = (s: string) => io.err(redact(s));

  let stopSignals = () => {};
  try {
    const line = parseCheckCommandLine(argv, io.env);
    if (line.kind === 'help') {
      out(checkHelp());
      return 0;
    }
    token = checkToken(line.token.from === 'stdin' ? await (io.stdin ?? readProcessStdin)() : line.token.value);

    const users = new ThrowAwayUsers();
    const interrupt = io.interrupt ?? (() => {
      const controller = new AbortController();
      stopSignals = onInterrupt(controller, users.prefix, err);
      return controller.signal;
    })();
    const client = new ScimClient({ base: line.tenantUrl, token, fetch: io.fetch ?? globalThis.fetch });
    if (!line.json) out(header(line.tenantUrl, users.prefix, line.readOnlyByDefault ? 'read-only-by-default' : line.readOnly ? 'read-only' : 'write'));
    const run = await runCheck({
      client,
      steps: STEPS,
      readOnly: line.readOnly,
      signal: interrupt,
      users,
      ...(line.json ? {} : { onOutcome: (o, i, n) => out(progressLine(o, i, n)) }),
    });
    const verdict = verdictOf(run);
    const code = exitCodeOf(verdict);
    out(line.json ? json(toJson(run, verdict, code, line.tenantUrl, line.readOnly)) : summary(run, verdict));
    return code;
  } catch (e) {
    if (e instanceof CliError) {
      err(`scimlink: ${oneLine(e.message)}\n`);
      return e.exitCode;
    }
    err(`scimlink: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  } finally {
    stopSignals();
  }
}

/** First Ctrl-C: abort the run (cleanup still happens). Second: quit now, saying what may remain. */
function onInterrupt(controller: AbortController, prefix: string, err: (s: string) => void): () => void {
  const handler = () => {
    if (!controller.signal.aborted) {
      err('\nscimlink: interrupted; removing the throw-away users (Ctrl-C again to quit now)\n');
      controller.abort(new Error('interrupted'));
      return;
    }
    err(`scimlink: quitting; throw-away users named ${prefix}* may remain\n`);
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** The first line of stdin: `printf %s "$TOKEN" | scimlink check URL --token -`, or typed at a prompt. */
async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Secret Token: ');
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}
