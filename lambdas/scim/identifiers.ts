/**
 * Identifiers nobody can spoof (issue 14, SPEC §4 "No look-alikes"): the canonical form of a login ID or an email
 * address, and the characters and script mixes that make two different strings look identical to a person.
 *
 * Built on the Unicode data inside the JavaScript engine (`String.prototype.normalize`, RegExp property escapes
 * such as `\p{Cf}` and `\p{scx=Cyrillic}`), not on a library: no npm package implements Unicode TS #39's
 * restriction levels with current data, and the engine's tables are as current as the runtime (Node 20 ships
 * Unicode 15.1+, Node 24 16+). Pure: no AWS, no I/O. See docs/identifiers.md.
 */

/**
 * The canonical form (SPEC §4 uniqueness table): Unicode NFKC, then full case folding, then NFKC again (folding can
 * un-normalise), so `ＡNN`, `ann`, `Ann` and `a` + U+0301… compare by one key. Case folding is done as
 * lower → upper → lower, which is Unicode's full folding (ß → ss, ς → σ, ẞ → ss) except that dotless ı folds to i
 * as well — deliberately: ı is a look-alike of i. The first lower-casing makes it idempotent (ẞ → ß → SS → ss in one
 * pass); test/unit/identifiers.test.ts checks f(f(x)) = f(x) for every code point.
 *
 * ONE function for uniqueness keys and for the `caseExact: false` comparisons of filters and PATCH (RFC 7643), so
 * a value refused as taken is always found by the `eq` lookup Entra makes before creating.
 */
export function canonicalForm(value: string): string {
  if (PRINTABLE_ASCII.test(value)) return value.toLowerCase(); // the common case: NFKC and folding change nothing else
  return value.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFKC');
}

/** Printable ASCII without surrounding spaces: nothing to refuse, one script, NFKC-stable. */
const PRINTABLE_ASCII = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Character classes a login ID or email must not contain, in the order they are reported (the first that
 * matches names the class). Hoisted: a bundler turns `\p{…}` literals into `new RegExp`, which in a function would
 * compile per call.
 */
const FORBIDDEN: Array<{ test: RegExp; name: string }> = [
  { test: /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u, name: 'a bidirectional control character' },
  { test: /\p{Cc}/u, name: 'a control character' },
  { test: /[\u2028\u2029]/u, name: 'a line or paragraph separator' },
  { test: /\p{Cf}/u, name: 'an invisible format character (zero-width, soft hyphen, joiner)' },
  { test: /\p{Default_Ignorable_Code_Point}/u, name: 'a default-ignorable (invisible) character' },
];
const SURROUNDING_SPACE = /^\s|\s$/u;

/**
 * Why `value` may not be a login ID or an email (a phrase that follows the attribute name and the value in a 400),
 * or undefined when it may. Checks, in order: invisible and control characters (SPEC §4), surrounding whitespace,
 * then scripts mixed within a label (Unicode TS #39 §5.2, see `mixedScripts`).
 */
export function lookalikeProblem(value: string): string | undefined {
  if (PRINTABLE_ASCII.test(value)) return undefined;
  for (const { test, name } of FORBIDDEN) {
    const m = test.exec(value);
    if (m) return `contains ${name} (${codePoint(m[0])}): invisible characters make different values look identical`;
  }
  if (SURROUNDING_SPACE.test(value)) return 'has leading or trailing whitespace';
  for (const label of labelsOf(value)) {
    const scripts = mixedScripts(label);
    if (scripts) {
      return (
        `mixes ${scripts.join(' and ')} letters in '${label}', the way look-alike addresses are made; ` +
        'use one script per part (Unicode TS #39: Latin may be combined with one other widely used script, but not with Cyrillic or Greek)'
      );
    }
  }
  return undefined;
}

/** "U+200B": how an admin can find the character in Entra's data. */
export const codePoint = (ch: string) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The local part as a whole, and each label of the domain (as browsers judge IDN labels one by one). */
function labelsOf(value: string): string[] {
  const at = value.lastIndexOf('@');
  if (at < 0) return [value];
  return [value.slice(0, at), ...value.slice(at + 1).split('.')];
}

/**
 * The scripts a label mixes beyond what TS #39's *Moderately Restrictive* level allows (§5.2), or undefined. Allowed:
 * a single script (by the resolved script set of §5.1: Script_Extensions, Common and Inherited count as any script);
 * Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo, Latin + Han + Hangul; Latin + any one other Recommended
 * script except Cyrillic and Greek. So `аnn` (Cyrillic а + Latin nn), `pаypal` and `ana-η` are refused; `straße`, `山田taro`
 * and an all-Cyrillic or all-Greek label pass (whole-script look-alikes are out of TS #39 §5's reach; a domain claim
 * protects a company's own domain from them).
 */
export function mixedScripts(label: string): string[] | undefined {
  const sets: Array<Set<string>> = [];
  for (const ch of label) {
    if (ch.charCodeAt(0) < 0x80) {
      if (ASCII_LETTER.test(ch)) sets.push(LATIN_ONLY);
      continue; // digits, punctuation: Common
    }
    const set = scriptsOf(ch);
    if (set) sets.push(set);
  }
  if (sets.length < 2) return undefined;
  const allowed = (scripts: readonly string[]) => sets.every((s) => scripts.some((x) => s.has(x)));
  const union = new Set(sets.flatMap((s) => [...s]));
  if ([...union].some((x) => allowed([x]))) return undefined; // single script
  if (COMBINATIONS.some(allowed)) return undefined;
  for (const other of union) if (other !== 'Latin' && !NOT_WITH_LATIN.has(other) && allowed(['Latin', other])) return undefined;
  return [...union].sort();
}

const ASCII_LETTER = /[A-Za-z]/;
const LATIN_ONLY = new Set(['Latin']);
const COMBINATIONS = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];
// TS #39 §5.2 allows Latin with one other *Recommended* script only: the rest share the "Other" bucket, and among
// them are scripts made of Latin look-alikes (Cherokee: Ꭺ Ᏼ Ꮯ Ꭼ Ꮋ Ꮶ Ꮇ Ꮲ Ꮪ Ꭲ; Lisu; Coptic).
const NOT_WITH_LATIN = new Set(['Cyrillic', 'Greek', 'Other']);

/**
 * The Recommended scripts of UAX #31 (Table 5), the ones identifiers are written in. A character of any other script
 * counts as "Other" (one bucket): rare enough in a login ID that telling those scripts apart is not worth the tables.
 */
const SCRIPT_NAMES = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Hebrew', 'Arabic', 'Thaana', 'Devanagari', 'Bengali', 'Gurmukhi',
  'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar',
  'Georgian', 'Hangul', 'Ethiopic', 'Khmer', 'Mongolian', 'Hiragana', 'Katakana', 'Bopomofo', 'Han',
];
/** Compiled on the first non-ASCII letter, not when a handler loads (cold start). */
let scriptTests: Array<{ name: string; test: RegExp }> | undefined;
const COMMON_OR_INHERITED = /[\p{scx=Common}\p{scx=Inherited}]/u;

/** Script_Extensions of a character (UAX #24), or undefined for Common/Inherited (any script). Memoised: text repeats. */
function scriptsOf(ch: string): Set<string> | undefined {
  if (SCRIPT_MEMO.has(ch)) return SCRIPT_MEMO.get(ch);
  let set: Set<string> | undefined;
  if (!COMMON_OR_INHERITED.test(ch)) {
    scriptTests ??= SCRIPT_NAMES.map((name) => ({ name, test: new RegExp(`\\p{scx=${name}}`, 'u') }));
    set = new Set<string>();
    for (const { name, test } of scriptTests) if (test.test(ch)) set.add(name);
    if (set.size === 0) set.add('Other');
  }
  if (SCRIPT_MEMO.size < 4096) SCRIPT_MEMO.set(ch, set);
  return set;
}
const SCRIPT_MEMO = new Map<string, Set<string> | undefined>();

/**
 * Text with every character a terminal or a person could not see escaped as `\u{…}`: control, format and
 * default-ignorable characters, separators other than the space, and unpaired surrogates. For showing a refused
 * value in an error (and for the CLI's output of tenant-supplied text).
 */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\p{Surrogate}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu;
