/** Usage text, generated from the command definitions so help can never drift from what is parsed. */
import { GLOBAL_OPTIONS } from './args';
import { CHECK_SUMMARY } from './check';
import type { CommandDef, GroupDef, OptionDef } from './commands/types';
import { VERIFY_SUMMARY } from './commands/verify';

function optionLines(options: Record<string, OptionDef>): string[] {
  const labels = Object.entries(options).map(([name, def]) => {
    const long = `--${name}${def.type === 'string' ? ` ${def.value ?? 'VALUE'}` : ''}`;
    return [def.short ? `-${def.short}, ${long}` : `    ${long}`, def.description] as const;
  });
  const width = Math.max(...labels.map(([l]) => l.length));
  return labels.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`);
}

function usageLine(c: CommandDef): string {
  const args = c.args.map((a) => a.name).join(' ');
  const opts = Object.entries(c.options ?? {})
    .map(([name, def]) => `[--${name}${def.type === 'string' ? ` ${def.value ?? 'VALUE'}` : ''}]`)
    .join(' ');
  return ['scimlink', c.group, c.name, args, opts].filter((s) => s !== '').join(' ');
}

const CONNECTION = [
  'Connection: --url / SCIMLINK_ADMIN_URL is the admin base URL (npm start prints "Admin URL: …").',
  'Locally, pass the admin token with --token / SCIMLINK_ADMIN_TOKEN (npm start prints "Admin Token: …").',
  'Without a token, requests are signed with AWS SigV4 using the default AWS credential chain (deployed API).',
];

export function topHelp(groups: GroupDef[]): string {
  const width = Math.max(...groups.flatMap((g) => g.commands.map((c) => `${g.name} ${c.name}`.length)));
  const lines = [
    'scimlink — administer scimlink accounts, the Entra ID Sync integration, keys, users and phone conflicts',
    '',
    'Usage: scimlink <group> <command> [arguments] [options]',
    '',
    'Commands:',
  ];
  for (const g of groups) {
    for (const c of g.commands) lines.push(`  ${`${g.name} ${c.name}`.padEnd(width)}  ${c.summary}`);
  }
  lines.push(`  ${'check TENANT_URL'.padEnd(width)}  ${CHECK_SUMMARY} (scimlink check --help)`);
  lines.push(`  ${'verify'.padEnd(width)}  ${VERIFY_SUMMARY} (scimlink verify --help)`);
  lines.push(`  ${'completion bash|zsh'.padEnd(width)}  print a shell completion script: eval "$(scimlink completion bash)"`);
  lines.push(`  ${'--version'.padEnd(width)}  print the version`);
  lines.push('', 'Options (every command):', ...optionLines(GLOBAL_OPTIONS), '', ...CONNECTION, '');
  lines.push('Run `scimlink <group> --help` or `scimlink <group> <command> --help` for details.');
  lines.push('Exit codes: 0 success, 1 the request failed, 2 the command line is wrong.');
  return lines.join('\n') + '\n';
}

export function groupHelp(group: GroupDef): string {
  const width = Math.max(...group.commands.map((c) => c.name.length));
  const lines = [`scimlink ${group.name} — ${group.summary}`, '', 'Usage:'];
  for (const c of group.commands) lines.push(`  ${usageLine(c)}`);
  lines.push('', 'Commands:');
  for (const c of group.commands) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push('', `Run \`scimlink ${group.name} <command> --help\` for details; \`scimlink --help\` for connection options.`);
  return lines.join('\n') + '\n';
}

export function commandHelp(command: CommandDef): string {
  const lines = [`Usage: ${usageLine(command)}`, '', command.summary];
  if (command.details) lines.push('', command.details);
  if (command.args.length > 0) {
    const width = Math.max(...command.args.map((a) => a.name.length));
    lines.push('', 'Arguments:', ...command.args.map((a) => `  ${a.name.padEnd(width)}  ${a.description}`));
  }
  if (command.options && Object.keys(command.options).length > 0) {
    lines.push('', 'Options:', ...optionLines(command.options));
  }
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS), '', ...CONNECTION);
  return lines.join('\n') + '\n';
}
