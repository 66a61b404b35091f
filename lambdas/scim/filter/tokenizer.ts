/**
 * Lexer for SCIM filters (RFC 7644 §3.4.2.2).
 *
 * It is pull-based rather than a one-shot token list because one lexical rule depends on grammar context:
 * Entra (and clients copying it) sometimes send *unquoted* comparison values such as
 * `userName eq john.doe@contoso.com`, which can only be recognised when the parser knows a value is expected.
 * The parser therefore calls {@link Lexer.next} for structure and {@link Lexer.readValue} after an operator.
 */
import { invalidFilter } from '../errors';

export type TokenKind = 'word' | 'string' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'other' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Exact source text (for a string: including the quotes). */
  text: string;
  /** Decoded value of a quoted string. */
  value?: string;
  /** 0-based offset of the first character, used in error details. */
  pos: number;
}

/** A comparison value: a decoded JSON string, or the exact text of an unquoted run (number, true, word…). */
export type ValueToken = { kind: 'string'; value: string; pos: number } | { kind: 'bare'; text: string; pos: number };

/** Characters of attribute paths and keywords: ATTRNAME chars plus ':' and '.' for URNs / sub-attributes, '$' for $ref. */
const WORD_CHAR = /[A-Za-z0-9_\-:.$]/;
const DIGIT = /[0-9]/;
const PUNCT: Record<string, TokenKind> = { '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket' };

/** Quote a fragment for an error detail. */
export const describeToken = (t: Token): string => (t.text === '' ? 'end of filter' : JSON.stringify(t.text)); // only eof is empty

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(private readonly src: string) {}

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /**
   * Read a comparison value. Besides JSON strings/numbers/true/false/null (RFC 7644 compValue) this accepts an
   * unquoted run ending at whitespace, ')' or ']' — Entra's `externalId eq 0a21f0f2-…`. A '+' directly before a
   * digit starts the value rather than being a decoded space, so `phoneNumbers.value eq +14155550100` keeps its '+'.
   */
  readValue(): ValueToken | undefined {
    if (this.peeked) throw new Error('Lexer.readValue called after peek()');
    let i = this.pos;
    while (isSpace(this.src.charAt(i)) && !(this.src.charAt(i) === '+' && DIGIT.test(this.src.charAt(i + 1)))) i++;
    const start = i;
    const c = this.src[start];
    if (c === undefined || c === ')' || c === ']') {
      this.pos = start;
      return undefined;
    }
    if (c === '"') {
      const { value, end } = this.readString(start);
      this.pos = end;
      return { kind: 'string', value, pos: start };
    }
    i = start + 1;
    for (;;) {
      const d = this.src[i];
      // Outside quotes a '+' after the first character is an undecoded space (API Gateway quirk).
      if (d === undefined || d === ')' || d === ']' || d === '+' || /\s/.test(d)) break;
      i++;
    }
    this.pos = i;
    return { kind: 'bare', text: this.src.slice(start, i), pos: start };
  }

  private skipSpace(from: number): number {
    let i = from;
    while (isSpace(this.src.charAt(i))) i++;
    return i;
  }

  private scan(): Token {
    const start = this.skipSpace(this.pos);
    const c = this.src[start];
    if (c === undefined) {
      this.pos = start;
      return { kind: 'eof', text: '', pos: start };
    }
    const punct = PUNCT[c];
    if (punct) {
      this.pos = start + 1;
      return { kind: punct, text: c, pos: start };
    }
    if (c === '"') {
      const { value, end } = this.readString(start);
      this.pos = end;
      return { kind: 'string', text: this.src.slice(start, end), value, pos: start };
    }
    if (WORD_CHAR.test(c)) {
      let i = start + 1;
      while (WORD_CHAR.test(this.src.charAt(i))) i++;
      this.pos = i;
      return { kind: 'word', text: this.src.slice(start, i), pos: start };
    }
    // Not consumed: no grammar rule accepts a stray character, so parsing stops with an error right here.
    return { kind: 'other', text: c, pos: start };
  }

  /** Decode a JSON string literal (RFC 8259 §7) starting at the opening quote; '+' inside quotes is literal. */
  private readString(start: number): { value: string; end: number } {
    let out = '';
    let i = start + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) throw invalidFilter(`Invalid filter: unterminated string starting at position ${start}`);
      if (c === '"') return { value: out, end: i + 1 };
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = this.src.charAt(i + 1); // '' after a final backslash
      const simple = ESCAPES[e];
      // The slice holds at most 4 characters, so "4 hex digits" needs no anchors.
      const hex = this.src.slice(i + 2, i + 6);
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 'u' && /[0-9a-fA-F]{4}/.test(hex)) {
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        throw invalidFilter(`Invalid filter: invalid escape "\\${e}" in string at position ${i}`);
      }
    }
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Whitespace between tokens ('' is none); '+' counts too because API Gateway may hand us the query string with '+' undecoded. */
function isSpace(c: string): boolean {
  return c === '+' || /\s/.test(c);
}
