/**
 * The two pattern languages the template uses to decide what reaches a function:
 * - Lambda event filtering (event source mapping `FilterCriteria`), which is EventBridge's event-pattern syntax;
 * - CloudWatch Logs filter patterns (subscription filters): JSON selectors `{ $.a.b = "x" }`, joined with
 *   `&&` / `||`, or plain terms that must all appear.
 * An operator or syntax not implemented here throws, so a template change the emulation cannot follow fails
 * loudly instead of matching everything.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON patterns */

/** Does `event` match the EventBridge-style `pattern`? */
export function matchesEventPattern(pattern: Record<string, any>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(rule)) return rule.some((r) => matchesRule(r, value));
    if (rule !== null && typeof rule === 'object') return matchesEventPattern(rule, value);
    throw new Error(`event pattern: '${key}' must be an array or an object`);
  });
}

function matchesRule(rule: unknown, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (rule === null || typeof rule !== 'object') return values.some((v) => v === rule);
  const [op, arg] = Object.entries(rule as Record<string, any>)[0] ?? [];
  switch (op) {
    case 'prefix':
      return values.some((v) => typeof v === 'string' && v.startsWith(arg));
    case 'suffix':
      return values.some((v) => typeof v === 'string' && v.endsWith(arg));
    case 'equals-ignore-case':
      return values.some((v) => typeof v === 'string' && v.toLowerCase() === String(arg).toLowerCase());
    case 'exists':
      return (value !== undefined) === Boolean(arg);
    case 'anything-but': {
      const not = Array.isArray(arg) ? arg : [arg];
      return value !== undefined && values.every((v) => !not.includes(v));
    }
    default:
      throw new Error(`event pattern operator ${op} is not emulated`);
  }
}

/** Does the log line `message` match the CloudWatch Logs `pattern`? */
export function matchesLogFilter(pattern: string, message: string): boolean {
  const p = pattern.trim();
  if (p === '') return true;
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) throw new Error(`log filter pattern: unbalanced braces in ${pattern}`);
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return false;
    }
    return evalJsonFilter(p.slice(1, -1).trim(), json);
  }
  if (/[[\]"?]/.test(p)) throw new Error(`log filter pattern ${pattern} is not emulated (space-delimited / quoted / optional terms)`);
  return p.split(/\s+/).every((term) => (term.startsWith('-') ? !message.includes(term.slice(1)) : message.includes(term)));
}

function evalJsonFilter(expr: string, json: unknown): boolean {
  const or = splitTop(expr, '||');
  if (or.length > 1) return or.some((e) => evalJsonFilter(e, json));
  const and = splitTop(expr, '&&');
  if (and.length > 1) return and.every((e) => evalJsonFilter(e, json));
  const e = expr.trim();
  if (e.startsWith('(') && e.endsWith(')')) return evalJsonFilter(e.slice(1, -1), json);
  const m = /^\$((?:\.[\w-]+|\[\d+\])+)\s*(=|!=|>=|<=|>|<)\s*(.+)$/.exec(e);
  if (!m) throw new Error(`log filter expression '${e}' is not emulated`);
  const [, selector, op, rawValue] = m as unknown as [string, string, string, string];
  let actual: unknown = json;
  for (const part of selector.match(/\.[\w-]+|\[\d+\]/g) ?? []) {
    const key = part.startsWith('.') ? part.slice(1) : Number(part.slice(1, -1));
    actual = actual !== null && typeof actual === 'object' ? (actual as Record<string | number, unknown>)[key] : undefined;
  }
  const v = rawValue.trim();
  if (v.startsWith('"') || /^[A-Za-z*]/.test(v)) {
    const expected = v.startsWith('"') ? (JSON.parse(v) as string) : v;
    if (typeof actual !== 'string' || (op !== '=' && op !== '!=')) return op === '!=' && typeof actual === 'string';
    const re = new RegExp(`^${expected.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    return op === '=' ? re.test(actual) : !re.test(actual);
  }
  const n = Number(v);
  if (typeof actual !== 'number' || Number.isNaN(n)) return false;
  return { '=': actual === n, '!=': actual !== n, '>': actual > n, '<': actual < n, '>=': actual >= n, '<=': actual <= n }[op] as boolean;
}

/** Splits on `sep` outside quotes and parentheses. */
function splitTop(expr: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i];
    if (c === '"' && expr[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth -= 1;
    else if (!quoted && depth === 0 && expr.startsWith(sep, i)) {
      parts.push(expr.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(expr.slice(start));
  return parts;
}
