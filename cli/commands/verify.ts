/**
 * `scimlink verify`: scan the table (through the admin API's GET /admin/verify, the one operation allowed to scan)
 * and report every inconsistency between users and their sentinels, externalId index items and count shards.
 * Like `check`, it is one word rather than `<group> <command>`, so main.ts hands it over before the group parser.
 */
import { parseArgs } from 'node:util';
import type { VerifyFinding, VerifyView } from '../../lambdas/admin/contract';
import { GLOBAL_OPTIONS, parseArgsReason, toParseArgs } from '../args';
import { CliError, UsageError, oneLine } from '../errors';
import { json, table } from '../format';
import { resolveConnection } from '../connection';
import { AdminClient } from '../http';
import type { CliIO } from '../io';

export const VERIFY_SUMMARY = 'check the whole table: users vs. their unique-value sentinels, externalId index, counts';

/** Exit code when the table is inconsistent (0 consistent, 1 the request failed, 2 the command line is wrong). */
export const EXIT_INCONSISTENT = 3;

const HINT = 'see scimlink verify --help';


/** `scimlink verify …` or `scimlink help verify`. */
export function isVerifyCommand(argv: string[]): boolean {
  const { positionals } = parseArgs({ args: argv, options: toParseArgs(GLOBAL_OPTIONS), strict: false, allowPositionals: true });
  return positionals[0] === 'verify' || (positionals[0] === 'help' && positionals[1] === 'verify');
}

export function verifyHelp(): string {
  const options = Object.entries(GLOBAL_OPTIONS).map(([name, def]) => {
    const label = `${def.short ? `-${def.short}, ` : '    '}--${name}${def.type === 'string' ? ` ${def.value ?? 'VALUE'}` : ''}`;
    return [label, def.description] as const;
  });
  const width = Math.max(...options.map(([l]) => l.length));
  return [
    'Usage: scimlink verify [--json]',
    '',
    `${VERIFY_SUMMARY[0]!.toUpperCase()}${VERIFY_SUMMARY.slice(1)}.`,
    '',
    'Reads every item of the table (a DynamoDB Scan: on a big table this takes a while and costs read capacity)',
    'and reports:',
    '  orphan-sentinel     a unique value reserved for a user that is gone or no longer has it (Entra gets 409 for it)',
    '  missing-sentinel    a user value without its reservation (uniqueness not enforced for it)',
    '  duplicate-value     one login ID, email, phone or extension held by two users',
    '  account-mismatch    a reservation naming a user of another account',
    '  uniques-mismatch    a user item whose list of reservations differs from its data',
    '  stale-externalid    an externalId index entry for a user that is gone or changed',
    '  missing-externalid  a user with an externalId that "externalId eq" cannot find',
    '  count-mismatch      an account whose user count (totalResults) is off',
    '  malformed-item      a user item that cannot be read',
    '  non-canonical-key   a reservation not in the canonical form (NFKC + case folding): written by an older version',
    '  refused-value       a login ID or email the look-alike rules refuse today (Entra\'s next update of it fails)',
    'A Scan is not a snapshot, so when the first pass finds something, a second pass confirms it: only what both',
    'show is reported (a write in flight between two pages is not an inconsistency).',
    '',
    'Exit codes: 0 consistent, 1 the request failed, 2 the command line is wrong, 3 inconsistencies found.',
    '',
    'Options:',
    ...options.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`),
    '',
    'Connection: --url / SCIMLINK_ADMIN_URL and --token / SCIMLINK_ADMIN_TOKEN as for every admin command',
    '(npm start prints both); without a token the request is signed with AWS SigV4 (deployed stack).',
    '',
  ].join('\n');
}

export async function runVerifyCommand(argv: string[], io: CliIO): Promise<number> {
  let token: string | undefined;
  const redact = (s: string) => (token && token.length >= 8 ? s.split(token).join('[admin token]') : s);
  const out = (s: string) => io.out(redact(s));
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: argv, options: toParseArgs(GLOBAL_OPTIONS), strict: true, allowPositionals: true });
    } catch (e) {
      throw new UsageError(`${parseArgsReason(e, Object.keys(GLOBAL_OPTIONS))} (${HINT})`);
    }
    if (parsed.positionals[0] === 'help' || parsed.values.help === true) {
      out(verifyHelp());
      return 0;
    }
    const extra = parsed.positionals[1];
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}' (${HINT})`);
    const connection = resolveConnection(parsed.values as Record<string, string | boolean | undefined>, io.env);
    token = connection.token;
    const client = new AdminClient({ url: connection.url, token, region: connection.region, profile: connection.awsProfile, env: io.env, fetch: io.fetch ?? globalThis.fetch });
    const report = await client.get<VerifyView>('/verify');
    out(parsed.values.json === true ? json(report) : formatReport(report));
    return report.consistent ? 0 : EXIT_INCONSISTENT;
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : 1;
    const message = e instanceof CliError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
    io.err(`scimlink: ${redact(oneLine(message))}\n`);
    return code;
  }
}

export function formatReport(r: VerifyView): string {
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const lines = [
    `Scanned ${plural(r.scannedItems, 'item')}: ${plural(r.accounts, 'account')}, ${plural(r.users, 'user')}, ` +
      `${plural(r.sentinels, 'unique-value sentinel')}, ${plural(r.externalIdItems, 'externalId index item')}.`,
  ];
  if (r.consistent) return `${lines.join('\n')}\nConsistent: no findings.\n`;
  lines.push(`${plural(r.findings.length, 'inconsistency', 'inconsistencies')}${r.findings.length >= 1000 ? ' (first 1000 shown)' : ''}:`);
  const rows = r.findings.map((f: VerifyFinding) => [f.kind, f.accountId ?? '', f.userId ?? '', f.detail]);
  return `${lines.join('\n')}\n${table(['KIND', 'ACCOUNT', 'USER', 'DETAIL'], rows)}`;
}

