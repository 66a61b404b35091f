/**
 * docs/cli-reference.md, generated from the CLI's own help texts so the two cannot drift: `npm run docs:cli`
 * rewrites it, and test/unit/cli-reference.test.ts fails when the file differs from what this prints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHelp } from './check/help';
import { GROUPS } from './commands';
import { verifyHelp } from './commands/verify';
import { commandHelp, groupHelp, topHelp } from './help';

export function cliReference(): string {
  const block = (title: string, text: string) => `## ${title}\n\n\`\`\`\n${text.trimEnd()}\n\`\`\`\n`;
  const parts = [
    '# CLI reference\n',
    'Generated from `scimlink --help` and every command\'s `--help` by `npm run docs:cli` (cli/reference.ts); a test\n' +
      'fails when this page and the help differ. How to use the CLI: [cli.md](cli.md).\n',
    block('scimlink', topHelp(GROUPS)),
  ];
  for (const g of GROUPS) {
    parts.push(block(`scimlink ${g.name}`, groupHelp(g)));
    for (const c of g.commands) parts.push(block(`scimlink ${g.name} ${c.name}`, commandHelp(c)));
  }
  parts.push(block('scimlink check', checkHelp()), block('scimlink verify', verifyHelp()));
  return parts.join('\n');
}

export const REFERENCE_FILE = join(__dirname, '..', 'docs', 'cli-reference.md');

if (require.main === module) {
  writeFileSync(REFERENCE_FILE, cliReference());
  console.log(`wrote ${REFERENCE_FILE}`);
}
