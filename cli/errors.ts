/**
 * The CLI's failure kinds. Every failure ends as ONE line on stderr (`scimlink: <reason>`) and an exit code a
 * script can branch on: 2 when the command line itself is wrong (nothing was sent), 1 when the request failed.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line is wrong or incomplete (unknown option, missing argument, confirmation not given). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** Collapse any message to one line: a multi-line reason would break `2>err.log` one-line-per-failure scripts. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
