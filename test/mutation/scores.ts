/**
 * Per-folder mutation scores and the gates of issue 19, over Stryker's JSON report (mutation-testing-report-schema).
 * Stryker's own `thresholds.break` judges the whole run; a weak folder could hide behind a strong one, so each
 * folder is judged here. Run by `npm run test:mutation` after Stryker; prints the table docs/mutation-testing.md shows.
 */
import { readFileSync } from 'node:fs';

/** Minimum score (killed + timed out over all valid mutants, no-coverage included) per folder. */
export const GATES: Record<string, number> = {
  'lambdas/auth': 95,
  'lambdas/scim': 90,
  'lambdas/store': 90,
  'lambdas/admin': 90,
};
/** At most this share of a folder's mutants may be switched off as equivalent (`// Stryker disable …`). */
export const MAX_DISABLED_PERCENT = 3;

interface ReportMutant {
  status: string;
  statusReason?: string;
}
export interface MutationReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

export interface FolderScore {
  folder: string;
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  disabled: number;
  /** Static mutants a run with `--ignoreStatic` skipped: not a score, and not allowed at the gate. */
  staticNotRun: number;
  /** Percentage with one decimal; NaN when the folder has no valid mutant. */
  score: number;
  gate: number;
  failures: string[];
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function folderOf(file: string): string | undefined {
  const normalized = file.replace(/\\/g, '/');
  return Object.keys(GATES).find((folder) => normalized.startsWith(`${folder}/`) || normalized.includes(`/${folder}/`));
}

export function folderScores(report: MutationReport): FolderScore[] {
  const rows = new Map<string, FolderScore>();
  for (const [folder, gate] of Object.entries(GATES)) {
    rows.set(folder, { folder, mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, disabled: 0, staticNotRun: 0, score: NaN, gate, failures: [] });
  }
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const folder = folderOf(file);
    if (!folder) continue;
    const row = rows.get(folder)!;
    for (const m of mutants) {
      row.mutants += 1;
      if (m.status === 'Killed') row.killed += 1;
      else if (m.status === 'Timeout') row.timeout += 1;
      else if (m.status === 'Survived') row.survived += 1;
      else if (m.status === 'NoCoverage') row.noCoverage += 1;
      // `--ignoreStatic` marks module-level mutants Ignored with this reason: skipped, not judged equivalent.
      else if (m.status === 'Ignored' && m.statusReason?.startsWith('Static mutant')) row.staticNotRun += 1;
      // Stryker marks a mutant switched off by a `// Stryker disable` comment as Ignored, with the comment's reason.
      else if (m.status === 'Ignored') row.disabled += 1;
    }
  }
  for (const row of rows.values()) {
    const detected = row.killed + row.timeout;
    const valid = detected + row.survived + row.noCoverage;
    row.score = valid === 0 ? NaN : Math.floor((detected / valid) * 1000) / 10;
    if (valid === 0) row.failures.push('no mutants in the report (was the folder mutated?)');
    else if (row.score < row.gate) row.failures.push(`score ${row.score}% is under ${row.gate}%`);
    if (row.staticNotRun > 0) row.failures.push(`${row.staticNotRun} static mutants not run (--ignoreStatic): the score leaves them out`);
    if (row.disabled > (row.mutants * MAX_DISABLED_PERCENT) / 100) {
      row.failures.push(`${row.disabled} of ${row.mutants} mutants disabled (more than ${MAX_DISABLED_PERCENT}%)`);
    }
  }
  return [...rows.values()];
}

export function formatTable(rows: FolderScore[]): string {
  const lines = ['| folder | mutants | killed | timeout | survived | no coverage | disabled | static not run | score | gate |', '|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(`| \`${r.folder}/\` | ${r.mutants} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.disabled} | ${r.staticNotRun} | ${Number.isNaN(r.score) ? '–' : `${r.score}%`} | ${r.gate}% |`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const path = process.argv[2] ?? 'reports/mutation/mutation.json';
  const rows = folderScores(JSON.parse(readFileSync(path, 'utf8')) as MutationReport);
  console.log(formatTable(rows));
  const failed = rows.filter((r) => r.failures.length > 0);
  for (const r of failed) console.error(`${r.folder}: ${r.failures.join('; ')}`);
  process.exit(failed.length > 0 ? 1 : 0);
}
