import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads the sequencer as CommonJS
const CoveringFilesSequencer = require('./covering-files-sequencer.js') as new (options: unknown) => { sort(tests: Array<{ path: string }>): Promise<Array<{ path: string }>> };

const FILES = ['/t/auth.test.ts', '/t/filter.test.ts', '/t/new.test.ts'];
const tests = () => FILES.map((path) => ({ path, context: { config: {}, hasteFS: { getSize: () => 1 } }, duration: undefined }));
const sorted = async (testNamePattern: string | undefined) => {
  const sequencer = new CoveringFilesSequencer({ contexts: [], globalConfig: { testNamePattern } });
  return (await sequencer.sort(tests() as never)).map((t) => t.path).sort();
};

describe('the covering-files sequencer of mutant runs', () => {
  let dir: string;
  let map: string;
  const saved = { ...process.env };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scimlink-seq-'));
    map = join(dir, 'test-files.jsonl');
    process.env.SCIMLINK_MUTATION_TEST_FILES = map;
    // What the dry run recorded; /t/new.test.ts is a file the map does not know.
    writeFileSync(
      map,
      [
        JSON.stringify({ path: '/t/auth.test.ts', names: ['tokens refuses xBearer', 'tokens parses the tenant segment'] }),
        JSON.stringify({ path: '/t/filter.test.ts', names: ['filter eq (a+b)'] }),
        '',
      ].join('\n'),
    );
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only the files that hold a covering test, matched as jest does (any part of the name, any case), and files it does not know', async () => {
    process.env.__STRYKER_ACTIVE_MUTANT__ = '7';
    expect(await sorted('(tokens REFUSES xbearer)')).toEqual(['/t/auth.test.ts', '/t/new.test.ts']);
    expect(await sorted('(filter eq \\(a\\+b\\))')).toEqual(['/t/filter.test.ts', '/t/new.test.ts']);
    expect(await sorted('(tenant segment)|(eq \\(a)')).toEqual(FILES);
    expect(await sorted('(nothing covers this)')).toEqual(['/t/new.test.ts']);
  });

  it('drops nothing without a name filter (a static mutant), without a map, or outside Stryker', async () => {
    process.env.__STRYKER_ACTIVE_MUTANT__ = '7';
    expect(await sorted(undefined)).toEqual(FILES);
    process.env.SCIMLINK_MUTATION_TEST_FILES = join(dir, 'missing.jsonl');
    expect(await sorted('(filter eq)')).toEqual(FILES);
    delete process.env.SCIMLINK_MUTATION_TEST_FILES;
    expect(await sorted('(filter eq)')).toEqual(FILES);
  });

  it('starts the map afresh at the dry run (no active mutant, no name filter) and filters nothing then', async () => {
    delete process.env.__STRYKER_ACTIVE_MUTANT__;
    expect(await sorted(undefined)).toEqual(FILES);
    expect(readFileSync(map, 'utf8')).toBe('');
  });
});
