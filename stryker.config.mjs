/**
 * Mutation testing (issue 19, docs/mutation-testing.md): `npm run test:mutation`.
 * Stryker changes one operator, condition or literal at a time in the code that decides what Entra gets back and
 * what is stored, and runs the unit tests that cover that spot; a change no test notices (a survivor) is a wrong
 * program our tests accept. test/mutation/scores.ts then applies the per-folder thresholds to the JSON report.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'jest',
  // findRelatedTests: a mutant loads only the test files that import its file (transitively), not all of them.
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  // Per-test coverage: a mutant runs only the tests that reach it (and none, "no coverage", if nothing does).
  coverageAnalysis: 'perTest',
  mutate: ['lambdas/scim/**/*.ts', 'lambdas/store/**/*.ts', 'lambdas/auth/**/*.ts', 'lambdas/admin/**/*.ts'],
  // Type checking every mutant would double the run; swc strips types, so an ill-typed mutant just runs.
  checkers: [],
  // The machine is shared (2 cores): two jest workers at most; override with --concurrency 1.
  concurrency: 2,
  // Generous: a mutant that loops forever counts as killed (Timeout), but a loaded machine must not fake one.
  timeoutMS: 10000,
  timeoutFactor: 2.5,
  // rerun-budget (test/mutation/rerun-budget.cjs): prints how many mutants must run again; with
  // SCIMLINK_MUTATION_RERUN_BUDGET set (.ci/run), stops a run that exceeds it.
  plugins: ['@stryker-mutator/jest-runner', './test/mutation/rerun-budget.cjs'],
  reporters: ['clear-text', 'progress', 'html', 'json', 'rerun-budget'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // The only file of reports/ that is committed: reruns (and CI) test only mutants whose code or tests changed.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // The per-folder gates (≥90%, auth ≥95%) live in test/mutation/scores.ts; Stryker's own break is the floor.
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
