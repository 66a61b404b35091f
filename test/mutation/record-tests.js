/**
 * Stryker's dry run only (jest.mutation.config.js, setupFilesAfterEnv): records which test file holds which tests,
 * by the full name Stryker's per-test coverage uses, so that ./covering-files-sequencer.js can load only the files
 * of the tests that cover a mutant. Off in mutant runs (Stryker sets __STRYKER_ACTIVE_MUTANT__) and outside Stryker.
 */
const { appendFileSync } = require('node:fs');

const file = process.env.SCIMLINK_MUTATION_TEST_FILES;
if (file && process.env.__STRYKER_ACTIVE_MUTANT__ === undefined && globalThis.__stryker__ !== undefined) {
  const names = [];
  afterEach(() => {
    names.push(expect.getState().currentTestName);
  });
  afterAll(() => {
    appendFileSync(file, `${JSON.stringify({ path: expect.getState().testPath, names })}\n`);
  });
}
