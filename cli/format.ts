import { jsonSafe } from './terminal-safe';

/**
 * Plain-text output: aligned columns and key/value blocks, no colours (output is read by people in any
 * terminal and grepped by scripts; `--json` is the stable format for programs).
 */

/** Columns separated by two spaces, padded to the widest cell; trailing spaces trimmed so lines grep cleanly. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    widths
      .map((w, i) => (cells[i] ?? '').padEnd(w))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** `Label   value` lines with the labels padded to the widest; entries whose value is undefined are skipped. */
export function keyValues(pairs: Array<[string, string | undefined]>): string {
  const present = pairs.filter((p): p is [string, string] => p[1] !== undefined);
  const width = Math.max(0, ...present.map(([k]) => k.length));
  return present.map(([k, v]) => `${`${k}:`.padEnd(width + 1)}  ${v}`.trimEnd()).join('\n') + '\n';
}

/** Pretty JSON for `--json`, newline-terminated so `jq` and shells are happy. */
export function json(value: unknown): string {
  return jsonSafe(JSON.stringify(value, null, 2)) + '\n';
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** Typed entries (`mobile +1415…`) joined for one table cell. */
export function typedValues(values: Array<{ type: string; value: string }>): string {
  return values.map((v) => `${v.type} ${v.value}`).join(', ');
}
