import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const budget = require('./rerun-budget.cjs') as {
  STATIC_WEIGHT: number;
  PLAN_RUN: string;
  REPORTER: string;
  rerunCost(plans: unknown[]): { total: number; runs: number; statics: number; cost: number };
  budgetFrom(env: Record<string, string | undefined>): number | undefined;
  verdict(cost: { total: number; runs: number; statics: number; cost: number }, budget: number | undefined): { ok: boolean; message: string };
  strykerPlugins: { kind: string; name: string }[];
};

const run = (isStatic: boolean) => ({ plan: 'Run', mutant: { static: isStatic } });
const reused = { plan: 'EarlyResult', mutant: { static: true } };

/** The reporter in a process of its own (it exits when over budget), given a plan of `runs` non-static mutants. */
function report(env: Record<string, string>, runs: number) {
  const script = `
    const { strykerPlugins } = require(${JSON.stringify(join(__dirname, 'rerun-budget.cjs'))});
    const reporter = new strykerPlugins[0].injectableClass();
    reporter.onMutationTestingPlanReady({ mutantPlans: Array.from({ length: ${runs} }, () => ({ plan: 'Run', mutant: { static: false } })) });
    console.log('went on');`;
  const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('the rerun budget of incremental mutation runs', () => {
  it('counts only the mutants that run again, a static one at its weight', () => {
    expect(budget.STATIC_WEIGHT).toBe(3);
    expect(budget.rerunCost([run(false), run(false), run(true), reused, reused])).toEqual({ total: 5, runs: 3, statics: 1, cost: 5 });
    expect(budget.rerunCost([reused])).toEqual({ total: 1, runs: 0, statics: 0, cost: 0 });
  });

  it('reads the budget as a whole number, absent when unset or empty, and refuses anything else', () => {
    expect(budget.budgetFrom({})).toBeUndefined();
    expect(budget.budgetFrom({ SCIMLINK_MUTATION_RERUN_BUDGET: '' })).toBeUndefined();
    expect(budget.budgetFrom({ SCIMLINK_MUTATION_RERUN_BUDGET: '0' })).toBe(0);
    expect(budget.budgetFrom({ SCIMLINK_MUTATION_RERUN_BUDGET: '450' })).toBe(450);
    for (const bad of ['-1', '4.5', 'ten', '45 0', '450x']) {
      expect(() => budget.budgetFrom({ SCIMLINK_MUTATION_RERUN_BUDGET: bad })).toThrow(`SCIMLINK_MUTATION_RERUN_BUDGET must be a whole number of cost units, got "${bad}"`);
    }
  });

  it('lets a run at the budget go on and stops one a unit over, naming the fix', () => {
    const cost = { total: 10, runs: 4, statics: 1, cost: 6 };
    expect(budget.verdict(cost, 6)).toEqual({
      ok: true,
      message: 'mutants to run: 4 of 10 (1 static; cost 6, a static mutant counting 3); the rest reused from the incremental report; budget 6',
    });
    expect(budget.verdict(cost, undefined)).toEqual({
      ok: true,
      message: 'mutants to run: 4 of 10 (1 static; cost 6, a static mutant counting 3); the rest reused from the incremental report',
    });
    const over = budget.verdict(cost, 5);
    expect(over.ok).toBe(false);
    expect(over.message).toContain('Over the budget of 5 (SCIMLINK_MUTATION_RERUN_BUDGET)');
    expect(over.message).toContain('Run `npm run test:mutation` locally and commit the refreshed reports/stryker-incremental.json');
  });

  it("writes out the Stryker API's values as the installed package defines them", () => {
    const script = `const { PlanKind } = await import('@stryker-mutator/api/core');
      const { PluginKind } = await import('@stryker-mutator/api/plugin');
      console.log(JSON.stringify([PlanKind.Run, PluginKind.Reporter]));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(__dirname, '../..'), encoding: 'utf8' });
    expect(JSON.parse(out.stdout)).toEqual([budget.PLAN_RUN, budget.REPORTER]);
  });

  it('is a Stryker reporter that stops the process over budget and only reports otherwise', () => {
    expect(budget.strykerPlugins.map((p) => [p.kind, p.name])).toEqual([['Reporter', 'rerun-budget']]);
    const over = report({ SCIMLINK_MUTATION_RERUN_BUDGET: '2' }, 3);
    expect(over.status).toBe(3);
    expect(over.stdout).not.toContain('went on');
    expect(over.stderr).toContain('[rerun-budget] mutants to run: 3 of 3 (0 static; cost 3');
    const within = report({ SCIMLINK_MUTATION_RERUN_BUDGET: '3' }, 3);
    expect(within).toMatchObject({ status: 0, stderr: '' });
    expect(within.stdout).toContain('[rerun-budget] mutants to run: 3 of 3 (0 static; cost 3, a static mutant counting 3); the rest reused from the incremental report; budget 3\nwent on');
    const unset = report({ SCIMLINK_MUTATION_RERUN_BUDGET: '' }, 3);
    expect(unset.status).toBe(0);
  });

  it('refuses a malformed budget when Stryker creates it, before the dry run', () => {
    const out = spawnSync(process.execPath, ['-e', `const { strykerPlugins } = require(${JSON.stringify(join(__dirname, 'rerun-budget.cjs'))}); new strykerPlugins[0].injectableClass();`], {
      env: { ...process.env, SCIMLINK_MUTATION_RERUN_BUDGET: 'lots' },
      encoding: 'utf8',
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('SCIMLINK_MUTATION_RERUN_BUDGET must be a whole number of cost units, got "lots"');
  });
});
