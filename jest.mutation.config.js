/**
 * The jest configuration Stryker runs for every mutant (stryker.config.mjs, docs/mutation-testing.md).
 * Only the unit tests that exercise lambdas/{scim,store,auth,admin}: each mutant then costs a few fast, in-process
 * test files instead of the whole suite. Left out: the property-based fuzz test (thousands of generated inputs per
 * mutant for little extra kill power), the CLI, check and console tests (they import none of the mutated code) and
 * everything that starts a server or an embedded DynamoDB (integration, browser, infra).
 * @type {import('jest').Config}
 */
const { join } = require('node:path');
const base = require('./jest.config.js');

// Where the dry run records which file holds which test (test/mutation/record-tests.js); in Stryker's sandbox.
process.env.SCIMLINK_MUTATION_TEST_FILES ??= join(__dirname, '.stryker-test-files.jsonl');

module.exports = {
  ...base,
  // lambdas/ is a root so that jest's dependency graph (Stryker's --findRelatedTests) reaches a mutated file through
  // the modules in between: a test of user-service.ts is related to filter/index-hint.ts. Tests are only test/unit.
  roots: ['<rootDir>/test/unit', '<rootDir>/lambdas'],
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', 'fuzz-core', '/cli-', '/check-', 'console-assets'],
  // A mutant run loads only the test files that hold the tests covering it (not every related file).
  testSequencer: '<rootDir>/test/mutation/covering-files-sequencer.js',
  // …and stops at the first file with a failing test (one failure kills the mutant).
  runner: '<rootDir>/test/mutation/bailing-runner.js',
  // record-tests: the file → test names map of the dry run; fixed-seed: the same property-test inputs every run.
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/test/mutation/record-tests.js', '<rootDir>/test/mutation/fixed-seed.js'],
};
