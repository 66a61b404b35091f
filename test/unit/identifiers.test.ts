/**
 * Identifiers nobody can spoof (issue 14): the canonical form of login IDs and emails, and the look-alikes refused
 * with a 400 naming the attribute and the character class (SPEC §4 "No look-alikes").
 */
import { canonicalForm, lookalikeProblem, mixedScripts, visible } from '../../lambdas/scim/identifiers';
import { uniqueKey } from '../../lambdas/scim/uniqueness';
import { parseUser } from '../../lambdas/scim/validate';
import { scimError } from '../support/caught';

const HOLDER = 'ann@acme.com';

describe('the canonical form: NFKC + case folding', () => {
  it.each([
    ['other case', 'ANN@Acme.COM'],
    ['fullwidth letters', 'ａｎｎ@ａｃｍｅ.ｃｏｍ'],
    ['NFD (combining accent) vs NFC', 'ann@acme.com'],
  ])('%s fold to the holder\'s key', (_what, lookalike) => {
    expect(uniqueKey('userName', lookalike, 'a')).toBe(uniqueKey('userName', HOLDER, 'a'));
    expect(uniqueKey('email', lookalike, 'a')).toBe(uniqueKey('email', HOLDER, 'a'));
  });

  it.each([
    ['the ligature ﬁ', 'ﬁona@acme.com', 'fiona@acme.com'],
    ['the Kelvin sign', '\u212Aim@acme.com', 'kim@acme.com'],
    ['sharp s, capital and small', 'STRAẞE@acme.de', 'strasse@acme.de'],
    ['NFD é', 'rene\u0301@acme.fr', 'ren\u00e9@acme.fr'],
    ['superscript digits', 'ann²@acme.com', 'ann2@acme.com'],
  ])('%s', (_what, input, canonical) => {
    expect(canonicalForm(input)).toBe(canonical);
  });

  it('final and medial sigma, in any case, share a key', () => {
    const keys = ['ΟΔΟΣ@acme.gr', 'οδοσ@acme.gr', 'οδος@acme.gr', 'Οδος@Acme.gr'].map(canonicalForm);
    expect(new Set(keys).size).toBe(1);
  });

  it('is idempotent for every code point (a key never changes when computed again)', () => {
    const moved: string[] = [];
    for (let cp = 0; cp < 0x110000; cp += cp < 0x30000 ? 1 : 0x101) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = canonicalForm(String.fromCodePoint(cp));
      if (canonicalForm(once) !== once) moved.push(cp.toString(16));
    }
    expect(moved).toEqual([]);
  });

  it('upper and lower case of any BMP letter share a key', () => {
    const differ: string[] = [];
    for (let cp = 0x41; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (canonicalForm(ch.toUpperCase()) !== canonicalForm(ch.toLowerCase())) differ.push(cp.toString(16));
    }
    expect(differ).toEqual([]);
  });
});

/** The look-alikes of the issue, each beside an existing ann@acme.com; with the class the 400 must name. */
const REFUSED: Array<[string, string, string]> = [
  ['a trailing space', 'ann@acme.com ', 'leading or trailing whitespace'],
  ['a leading tab', '\tann@acme.com', 'a control character (U+0009)'],
  ['a newline', 'ann\n@acme.com', 'a control character (U+000A)'],
  ['NUL', 'an\u0000n@acme.com', 'a control character (U+0000)'],
  ['a zero-width space', 'an\u200Bn@acme.com', 'an invisible format character (zero-width, soft hyphen, joiner) (U+200B)'],
  ['a zero-width joiner', 'an\u200Dn@acme.com', 'an invisible format character (zero-width, soft hyphen, joiner) (U+200D)'],
  ['a soft hyphen', 'an\u00ADn@acme.com', 'an invisible format character (zero-width, soft hyphen, joiner) (U+00AD)'],
  ['a right-to-left override', '\u202Eann@acme.com', 'a bidirectional control character (U+202E)'],
  ['a left-to-right mark', 'ann\u200E@acme.com', 'a bidirectional control character (U+200E)'],
  ['a combining grapheme joiner', 'an\u034Fn@acme.com', 'a default-ignorable (invisible) character (U+034F)'],
  ['a Hangul filler', 'ann\u3164@acme.com', 'a default-ignorable (invisible) character (U+3164)'],
  ['a line separator', 'ann\u2028@acme.com', 'a line or paragraph separator (U+2028)'],
  ['Cyrillic а in the local part', '\u0430nn@acme.com', "mixes Cyrillic and Latin letters in '\u0430nn'"],
  ['Cyrillic а in the domain', 'ann@\u0430cme.com', "mixes Cyrillic and Latin letters in '\u0430cme'"],
  ['Greek ο in the local part', 'j\u03bfhn@acme.com', "mixes Greek and Latin letters in 'j\u03bfhn'"],
  ['Greek and Cyrillic together', '\u03b1\u0431@acme.com', "mixes Cyrillic and Greek letters"],
];

describe('look-alikes: a 400 naming the attribute and the character class', () => {
  it.each(REFUSED)('%s in userName', (_what, value, rule) => {
    const e = scimError(() => parseUser({ userName: value, displayName: 'Ann', emails: [{ type: 'work', value: HOLDER }] }));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(e.detail).toMatch(new RegExp(`^userName '${escape(visible(value))}' `));
    expect(e.detail).toContain(rule);
  });

  it.each(REFUSED)('%s in a work or other email', (_what, value, rule) => {
    const e = scimError(() =>
      parseUser({ userName: HOLDER, displayName: 'Ann', emails: [{ type: 'work', value: HOLDER }, { type: 'other', value }] }),
    );
    expect(e.status).toBe(400);
    expect(e.detail).toMatch(/^emails\[type eq "other"\]\.value '/);
    expect(e.detail).toContain(rule);
  });

  it('shows the invisible characters of the refused value escaped, never raw', () => {
    const e = scimError(() => parseUser({ userName: 'an\u200Bn\u0000@acme.com', displayName: 'A', emails: [{ type: 'work', value: HOLDER }] }));
    expect(e.detail).toContain("'an\\u{200B}n\\u{0}@acme.com'");
    expect(e.detail).not.toMatch(/[\u200B\u0000]/);
  });

  it.each([
    ['plain ASCII', 'ann.smith+tag@acme.com'],
    ['a space inside a userName', 'Ann Smith'],
    ['Latin with accents', 'zoë.müller@acme.de'],
    ['German ß', 'straße@acme.de'],
    ['all Cyrillic', 'анна@пример.рф'],
    ['all Greek', 'άννα@παράδειγμα.ελ'],
    ['Japanese with Latin (Latin + Han + Hiragana + Katakana)', '山田たろうタロウtaro@acme.jp'],
    ['Korean with Latin', '김minsu@acme.kr'],
    ['Latin with Arabic (one other script, not Cyrillic or Greek)', 'ali-علي@acme.com'],
    ['digits and punctuation with any script (Common)', 'анна-2024_7@пример.рф'],
  ])('accepts %s', (_what, value) => {
    expect(lookalikeProblem(value)).toBeUndefined();
    const email = value.includes('@') ? value : HOLDER;
    expect(parseUser({ userName: value, displayName: 'A', emails: [{ type: 'work', value: email }] }).data.userName).toBe(value);
  });

  it('stores the value as sent (only keys and comparisons use the canonical form)', () => {
    const parsed = parseUser({ userName: 'ＡNN@Acme.com', displayName: 'A', emails: [{ type: 'work', value: 'ﬁona@Acme.com' }] });
    expect(parsed.data.userName).toBe('ＡNN@Acme.com');
    expect(parsed.data.emails[0]!.value).toBe('ﬁona@Acme.com');
  });
});

describe('mixed scripts per label (Unicode TS #39, moderately restrictive)', () => {
  it.each([
    ['paypal with a Cyrillic а', 'p\u0430ypal', ['Cyrillic', 'Latin']],
    ['Latin + Greek', 'b\u03b5n', ['Greek', 'Latin']],
    ['Cyrillic + Arabic', 'б\u0639', ['Arabic', 'Cyrillic']],
    ['Latin + Arabic + Hebrew', 'a\u0639\u05d0', ['Arabic', 'Hebrew', 'Latin']],
    // Not a Recommended script (UAX #31): Cherokee letters that look like A, B, C.
    ['Latin + Cherokee', '\u13aann', ['Latin', 'Other']],
    ['Cyrillic + Cherokee', 'б\u13aa', ['Cyrillic', 'Other']],
  ])('%s is refused', (_what, label, scripts) => {
    expect(mixedScripts(label)).toEqual(scripts);
  });

  it.each([
    'paypal',
    'пайпал',
    '山田taro',
    'abc123',
    '-._',
    '',
    // All Cherokee: one script.
    '\u13a3\u13b3\u13a9',
    // Punctuation outside ASCII belongs to every script (Common): an en dash, a middle dot.
    'ann\u2013lee',
    'иван\u2013петров',
    'ann\u00b7lee',
    // ー (U+30FC) is both Hiragana and Katakana: with Katakana, one script.
    '\u30a2\u30fc',
  ])('%s is one script (or allowed)', (label) => {
    expect(mixedScripts(label)).toBeUndefined();
  });

  it('says which scripts are mixed, where, and the rule', () => {
    expect(lookalikeProblem('p\u0430ypal@acme.com')).toBe(
      "mixes Cyrillic and Latin letters in 'p\u0430ypal', the way look-alike addresses are made; use one script per part " +
        '(Unicode TS #39: Latin may be combined with one other widely used script, but not with Cyrillic or Greek)',
    );
    // Each label of the domain is judged on its own; the local part as a whole.
    expect(lookalikeProblem('ann@p\u0430ypal.com')).toMatch(/^mixes Cyrillic and Latin letters in 'p\u0430ypal'/);
    expect(lookalikeProblem('ann@\u0430cme.\u0440\u0444')).toMatch(/^mixes Cyrillic and Latin letters in '\u0430cme'/);
    expect(lookalikeProblem('\u0430nn.smith@acme.com')).toMatch(/^mixes Cyrillic and Latin letters in '\u0430nn.smith'/);
    expect(lookalikeProblem('анна@acme.com')).toBeUndefined();
  });
});

describe('visible(): text a person or terminal can see', () => {
  it('escapes control, format and invisible characters and keeps the rest', () => {
    expect(visible('a\u001b[31mb\u200Bc\u00A0d\re\u2028f')).toBe('a\\u{1B}[31mb\\u{200B}c\\u{A0}d\\u{D}e\\u{2028}f');
    expect(visible('Zoë 山田 😀')).toBe('Zoë 山田 😀');
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
