import { closest, distance } from 'fastest-levenshtein';

/**
 * "Did you mean …?" for a mistyped command, option, or CDK context key: the nearest known name, if it is near
 * enough to be a typo (about one edit per three characters; `alarmEmial` → `alarmEmail`, `memroy` → `memory`).
 * Shared by the CLI, `npm start` and the CDK app.
 */
export function suggestion(input: string, known: readonly string[]): string | undefined {
  if (known.length === 0 || input === '') return undefined;
  const lower = input.toLowerCase();
  const best = closest(lower, known.map((k) => k.toLowerCase()));
  const match = known.find((k) => k.toLowerCase() === best);
  return match !== undefined && distance(lower, best) <= Math.max(1, Math.floor(match.length / 3)) ? match : undefined;
}

/** ` (did you mean X?)` or nothing, to append to an error message. */
export function didYouMean(input: string, known: readonly string[], format: (name: string) => string = (n) => n): string {
  const s = suggestion(input, known);
  return s === undefined ? '' : ` (did you mean ${format(s)}?)`;
}
