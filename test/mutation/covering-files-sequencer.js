/**
 * The test sequencer of mutant runs (jest.mutation.config.js). Stryker runs a mutant's covering tests by name
 * (jest's testNamePattern), but jest still loads every related test file to find them, and loading a file — its
 * imports, the AWS SDK among them, and its describe blocks — is most of what a mutant costs. This keeps only the
 * files that hold a covering test, by the map ./record-tests.js wrote during the dry run. A file the map does not
 * know is kept (never a false survivor), and without a name filter (the dry run, a static mutant, jest outside
 * Stryker) nothing is dropped.
 */
const { existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

let cache = { key: '', names: new Map() };

function namesByPath(file) {
  if (!existsSync(file)) return undefined;
  const { size, mtimeMs } = statSync(file);
  const key = `${file}:${size}:${mtimeMs}`;
  if (cache.key !== key) {
    const names = new Map();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line);
      names.set(entry.path, [...(names.get(entry.path) ?? []), ...entry.names]);
    }
    cache = { key, names };
  }
  return cache.names;
}

class CoveringFilesSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.testNamePattern = options.globalConfig.testNamePattern;
  }

  async sort(tests) {
    const sorted = await super.sort(tests);
    const file = process.env.SCIMLINK_MUTATION_TEST_FILES;
    if (!file) return sorted;
    // The dry run (no active mutant) starts the map afresh: ./record-tests.js appends to it as each file ends.
    if (process.env.__STRYKER_ACTIVE_MUTANT__ === undefined) {
      if (!this.testNamePattern) writeFileSync(file, '');
      return sorted;
    }
    if (!this.testNamePattern) return sorted;
    const known = namesByPath(file);
    if (!known) return sorted;
    // jest-circus matches the pattern case-insensitively against each test's full name.
    const pattern = new RegExp(this.testNamePattern, 'i');
    return sorted.filter((test) => {
      const names = known.get(test.path);
      return names === undefined || names.some((name) => pattern.test(name));
    });
  }
}

module.exports = CoveringFilesSequencer;
