import { folderScores, formatTable, MutationReport } from './scores';

/** A report with `n` mutants of each given status in one file. */
function file(counts: Record<string, number>) {
  return { mutants: Object.entries(counts).flatMap(([status, n]) => Array.from({ length: n }, () => ({ status }))) };
}

function report(files: Record<string, Record<string, number>>): MutationReport {
  return { files: Object.fromEntries(Object.entries(files).map(([name, counts]) => [name, file(counts)])) };
}

const PASSING = {
  'lambdas/auth/tokens.ts': { Killed: 95, Survived: 5 },
  'lambdas/scim/filter/parser.ts': { Killed: 80, Timeout: 10, Survived: 10 },
  'lambdas/store/keys.ts': { Killed: 90, NoCoverage: 10 },
  'lambdas/admin/access.ts': { Killed: 90, Survived: 10, CompileError: 7, RuntimeError: 3 },
};

describe('mutation score gates per folder', () => {
  it('counts killed and timed-out mutants over killed, timed out, survived and not covered', () => {
    const rows = folderScores(report(PASSING));
    expect(rows.map((r) => [r.folder, r.score, r.failures])).toEqual([
      ['lambdas/auth', 95, []],
      ['lambdas/scim', 90, []],
      ['lambdas/store', 90, []],
      // Compile and runtime errors are not valid mutants: they count toward neither side.
      ['lambdas/admin', 90, []],
    ]);
  });

  it('fails a folder under its gate even when the total is above it', () => {
    const rows = folderScores(report({ ...PASSING, 'lambdas/auth/tokens.ts': { Killed: 94, Survived: 6 }, 'lambdas/scim/json.ts': { Killed: 1000 } }));
    expect(rows.find((r) => r.folder === 'lambdas/auth')!.failures).toEqual(['score 94% is under 95%']);
    expect(rows.filter((r) => r.failures.length > 0).map((r) => r.folder)).toEqual(['lambdas/auth']);
  });

  it('counts mutants without coverage as undetected', () => {
    const rows = folderScores(report({ ...PASSING, 'lambdas/store/keys.ts': { Killed: 89, NoCoverage: 11 } }));
    expect(rows.find((r) => r.folder === 'lambdas/store')).toMatchObject({ score: 89, failures: ['score 89% is under 90%'] });
  });

  it('rounds down, so 89.99% does not pass a 90% gate', () => {
    const rows = folderScores(report({ ...PASSING, 'lambdas/store/keys.ts': { Killed: 8999, Survived: 1001 } }));
    expect(rows.find((r) => r.folder === 'lambdas/store')!.score).toBe(89.9);
  });

  it('fails a folder with more than 3% of its mutants disabled as equivalent', () => {
    const ok = folderScores(report({ ...PASSING, 'lambdas/scim/json.ts': { Ignored: 3 } }));
    expect(ok.find((r) => r.folder === 'lambdas/scim')!.failures).toEqual([]);
    const tooMany = folderScores(report({ ...PASSING, 'lambdas/scim/json.ts': { Ignored: 4 } }));
    expect(tooMany.find((r) => r.folder === 'lambdas/scim')!.failures).toEqual(['4 of 104 mutants disabled (more than 3%)']);
  });

  it('fails a folder whose static mutants were skipped (--ignoreStatic), without counting them as disabled', () => {
    const skipped = {
      mutants: [
        ...file({ Killed: 95, Survived: 5 }).mutants,
        { status: 'Ignored', statusReason: 'Static mutant (and "ignoreStatic" was enabled)' },
        { status: 'Ignored', statusReason: 'Static mutant (and "ignoreStatic" was enabled)' },
      ],
    };
    const rows = folderScores({ files: { ...report(PASSING).files, 'lambdas/auth/tokens.ts': skipped } });
    const auth = rows.find((r) => r.folder === 'lambdas/auth')!;
    expect(auth).toMatchObject({ score: 95, disabled: 0, staticNotRun: 2 });
    expect(auth.failures).toEqual(['2 static mutants not run (--ignoreStatic): the score leaves them out']);
  });

  it('fails a folder that is missing from the report, and ignores files outside the four folders', () => {
    const { 'lambdas/admin/access.ts': _admin, ...rest } = PASSING;
    const rows = folderScores(report({ ...rest, 'lambdas/http/request.ts': { Survived: 50 } }));
    expect(rows.find((r) => r.folder === 'lambdas/admin')!.failures).toEqual(['no mutants in the report (was the folder mutated?)']);
    expect(rows.filter((r) => r.failures.length > 0).map((r) => r.folder)).toEqual(['lambdas/admin']);
  });

  it('prints one table row per folder', () => {
    expect(formatTable(folderScores(report(PASSING))).split('\n')[2]).toBe('| `lambdas/auth/` | 100 | 95 | 0 | 5 | 0 | 0 | 0 | 95% | 95% |');
  });
});
