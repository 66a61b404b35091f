import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Three failing test files, each leaving a marker when it runs, under the bailing runner; which markers exist. */
function run(env: Record<string, string>): { ran: number; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'scimlink-bail-'));
  try {
    for (const name of ['a', 'b', 'c']) {
      writeFileSync(
        join(dir, `${name}.spec.js`),
        `require('node:fs').writeFileSync(${JSON.stringify(join(dir, `${name}.ran`))}, '');\ntest('${name} fails', () => { expect(1).toBe(2); });\n`,
      );
    }
    const config = { rootDir: dir, testMatch: ['**/*.spec.js'], runner: join(__dirname, 'bailing-runner.js'), transform: {}, cache: false };
    const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--runInBand', '--ci'], {
      // The variable only as given: absent, as in Stryker's dry run and in plain jest, unless a test sets it.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== '__STRYKER_ACTIVE_MUTANT__')), ...env },
      encoding: 'utf8',
    });
    return { ran: readdirSync(dir).filter((f) => f.endsWith('.ran')).length, status: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bailing jest runner of mutant runs', () => {
  it('stops at the first file with a failing test in a mutant run', () => {
    expect(run({ __STRYKER_ACTIVE_MUTANT__: '12' })).toEqual({ ran: 1, status: 1 });
  });

  it('runs every file outside a mutant run (the dry run, plain jest)', () => {
    expect(run({})).toEqual({ ran: 3, status: 1 });
  });
});
