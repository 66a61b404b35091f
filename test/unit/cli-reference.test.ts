/** docs/cli-reference.md is the CLI's own help (cli/reference.ts); run `npm run docs:cli` after changing it. */
import { readFileSync } from 'node:fs';
import { GROUPS } from '../../cli/commands';
import { REFERENCE_FILE, cliReference } from '../../cli/reference';

describe('docs/cli-reference.md', () => {
  it('is exactly what the help prints (npm run docs:cli regenerates it)', () => {
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(cliReference());
  });

  it('covers every command', () => {
    const text = cliReference();
    for (const g of GROUPS) for (const c of g.commands) expect(text).toContain(`## scimlink ${g.name} ${c.name}\n`);
    expect(text).toContain('## scimlink check\n');
    expect(text).toContain('## scimlink verify\n');
  });
});
