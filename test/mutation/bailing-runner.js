/**
 * The jest runner of mutant runs (jest.mutation.config.js): jest's own, except that in a mutant run (Stryker sets
 * __STRYKER_ACTIVE_MUTANT__) it stops at the first test file with a failing test. One failure kills the mutant;
 * Stryker expects its runner to stop there, but jest's `bail` exits the process when run programmatically, so
 * Stryker switches it off. Without this, a static mutant (module-level code, e.g. the schema tables) ran every
 * related test file in full even when the first one failed. The dry run and jest outside Stryker run everything.
 */
const TestRunner = require('jest-runner').default;

class BailingRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (process.env.__STRYKER_ACTIVE_MUTANT__ !== undefined && options.serial) {
      // jest's own listener was subscribed first: it has recorded this file's result before the run is stopped.
      const unsubscribe = this.on('test-file-success', ([, result]) => {
        if (result.numFailingTests > 0 || result.testExecError) void watcher.setState({ interrupted: true });
      });
      try {
        return await super.runTests(tests, watcher, options);
      } finally {
        unsubscribe();
      }
    }
    return super.runTests(tests, watcher, options);
  }
}

module.exports = BailingRunner;
