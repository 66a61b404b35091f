/**
 * A Stryker reporter (stryker.config.mjs) that says, before any mutant runs, how many mutants this run has to test
 * again — the rest are reused from the committed incremental report — and, when SCIMLINK_MUTATION_RERUN_BUDGET is
 * set (.ci/run sets it), stops the run if that work exceeds the budget.
 *
 * Why a budget: CI must stay well under its time limit, and an incremental run costs what changed since the
 * committed report — under a minute when the report is current, 16 minutes when every test title of
 * test/unit/filter.test.ts changed (each mutant its tests cover runs again; docs/mutation-testing.md), more for
 * several such files. Over budget, CI fails with the one command that fixes it (run the mutation tests locally and
 * commit the refreshed report) rather than running that long or skipping the check, which would let test
 * strength regress unseen.
 *
 * The cost unit: a mutant that is not static costs 1; a static one (module-level code: the whole of its covering
 * test files must be reloaded) costs STATIC_WEIGHT — measured 2026-12-07 at concurrency 2 on the 2-core machine,
 * ~90 non-static and ~34 static mutants a minute.
 */
// @stryker-mutator/api is ESM only, and jest (which tests this file) cannot require it on Node 20: its two
// values are written out here, and rerun-budget.test.ts checks them against the package.
const PLAN_RUN = 'Run'; // PlanKind.Run
const REPORTER = 'Reporter'; // PluginKind.Reporter

const STATIC_WEIGHT = 3;

/** The work of a plan: how many mutants run, how many of them are static, and their weighted cost. */
function rerunCost(mutantPlans) {
  const runs = mutantPlans.filter((p) => p.plan === PLAN_RUN);
  const statics = runs.filter((p) => p.mutant.static).length;
  return { total: mutantPlans.length, runs: runs.length, statics, cost: runs.length - statics + statics * STATIC_WEIGHT };
}

/** The budget from the environment: undefined when unset, else a non-negative integer (anything else is refused). */
function budgetFrom(env) {
  const raw = env.SCIMLINK_MUTATION_RERUN_BUDGET;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new Error(`SCIMLINK_MUTATION_RERUN_BUDGET must be a whole number of cost units, got "${raw}"`);
  return Number(raw);
}

/** The line printed before the run, and whether the run may go on. */
function verdict({ total, runs, statics, cost }, budget) {
  const line = `mutants to run: ${runs} of ${total} (${statics} static; cost ${cost}, a static mutant counting ${STATIC_WEIGHT}); the rest reused from the incremental report`;
  if (budget === undefined || cost <= budget) return { ok: true, message: budget === undefined ? line : `${line}; budget ${budget}` };
  return {
    ok: false,
    message:
      `${line}.\nOver the budget of ${budget} (SCIMLINK_MUTATION_RERUN_BUDGET): the committed reports/stryker-incremental.json ` +
      'is too far behind the code and tests. Run `npm run test:mutation` locally and commit the refreshed ' +
      'reports/stryker-incremental.json (docs/mutation-testing.md).',
  };
}

class RerunBudgetReporter {
  constructor() {
    // Read (and refused if malformed) when Stryker starts, not after the dry run.
    this.budget = budgetFrom(process.env);
  }

  onMutationTestingPlanReady({ mutantPlans }) {
    const { ok, message } = verdict(rerunCost(mutantPlans), this.budget);
    if (ok) {
      console.log(`[rerun-budget] ${message}`);
      return;
    }
    console.error(`[rerun-budget] ${message}`);
    // Stryker catches a reporter's exceptions and goes on; stopping here is the point, so exit (the test runner child
    // processes end with their IPC channel).
    process.exit(3);
  }
}

// Named exports one by one: Stryker import()s its plugins, and Node sees a CommonJS module's names only in this form.
exports.STATIC_WEIGHT = STATIC_WEIGHT;
exports.rerunCost = rerunCost;
exports.budgetFrom = budgetFrom;
exports.verdict = verdict;
exports.PLAN_RUN = PLAN_RUN;
exports.REPORTER = REPORTER;
// What declareClassPlugin(PluginKind.Reporter, 'rerun-budget', RerunBudgetReporter) returns.
exports.strykerPlugins = [{ kind: REPORTER, name: 'rerun-budget', injectableClass: RerunBudgetReporter }];
