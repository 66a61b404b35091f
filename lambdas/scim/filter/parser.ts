/**
 * Recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2, Figure 1 ABNF):
 *
 *   filter    = orExpr
 *   orExpr    = andExpr *("or" andExpr)                 ; "and" binds tighter than "or"
 *   andExpr   = unary *("and" unary)
 *   unary     = "not" "(" filter ")" / "(" filter ")" / attrExp / valuePath
 *   attrExp   = attrPath "pr" / attrPath compareOp compValue
 *   valuePath = attrPath "[" valFilter "]" [ "." subAttr ( "pr" / compareOp compValue ) ]   ; suffix: Entra quirk
 *
 * Keywords are case-insensitive. The parser is purely syntactic: unknown attributes parse fine and simply never
 * match in the evaluator. Every syntax error is a 400 `invalidFilter` whose detail says what and where.
 */
import { invalidFilter } from '../errors';
import { splitSchemaPrefix } from '../schema';
import type { AttrPath, CompareOp, FilterNode, FilterValue } from './ast';
import { describeToken, Lexer, type Token, type ValueToken } from './tokenizer';

/** Bounds so hostile input can neither exhaust the stack nor burn CPU. */
export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const OPS_HINT = 'a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)';
/** RFC 7644 ATTRNAME (plus '$' so "$ref" works). */
const ATTRNAME = /^[A-Za-z$][A-Za-z0-9_\-$]*$/;
/** JSON number (RFC 8259 §6): "0100" or "+1415…" are not numbers and stay strings. */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export function parseFilter(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    throw invalidFilter(`Invalid filter: longer than ${MAX_FILTER_LENGTH} characters`);
  }
  if (text.trim() === '') throw invalidFilter('Invalid filter: the filter is empty');
  return new Parser(text).parseAll();
}

class Parser {
  private readonly lex: Lexer;
  private depth = 0;

  constructor(text: string) {
    this.lex = new Lexer(text);
  }

  parseAll(): FilterNode {
    const node = this.parseOr(false);
    const t = this.lex.peek();
    if (t.kind !== 'eof') {
      throw t.kind === 'rparen' ? fail('unmatched ")"', t.pos) : fail('expected "and", "or" or end of filter', t.pos, t);
    }
    return node;
  }

  /** `inBrackets`: inside `attr[...]`, where only sub-attribute names are allowed and nesting is not. */
  private parseOr(inBrackets: boolean): FilterNode {
    let left = this.parseAnd(inBrackets);
    while (this.isKeyword(this.lex.peek(), 'or')) {
      this.lex.next();
      left = { kind: 'or', left, right: this.parseAnd(inBrackets) };
    }
    return left;
  }

  private parseAnd(inBrackets: boolean): FilterNode {
    let left = this.parseUnary(inBrackets);
    while (this.isKeyword(this.lex.peek(), 'and')) {
      this.lex.next();
      left = { kind: 'and', left, right: this.parseUnary(inBrackets) };
    }
    return left;
  }

  private parseUnary(inBrackets: boolean): FilterNode {
    const t = this.lex.next();
    if (t.kind === 'lparen') return this.nested(t, () => this.parseGroup(inBrackets));
    if (this.isKeyword(t, 'not')) {
      return this.nested(t, () => {
        const open = this.lex.next();
        if (open.kind !== 'lparen') throw fail(`expected "(" after "not"`, open.pos, open);
        return { kind: 'not', filter: this.parseGroup(inBrackets) };
      });
    }
    if (t.kind !== 'word') throw fail(`expected an attribute name, "not" or "("`, t.pos, t);
    const path = this.attrPath(t, inBrackets);
    if (this.lex.peek().kind === 'lbracket') {
      if (inBrackets) throw fail(`nested value filter after "${t.text}" is not allowed`, this.lex.peek().pos);
      return this.nested(this.lex.next(), () => this.parseValuePath(t, path));
    }
    return this.parseAttrExp(t.text, path);
  }

  /** After "(": a filter and its closing ")". */
  private parseGroup(inBrackets: boolean): FilterNode {
    const node = this.parseOr(inBrackets);
    const close = this.lex.next();
    if (close.kind !== 'rparen') throw fail(`expected ")"`, close.pos, close);
    return node;
  }

  /** After "attr[": the element filter, "]", and Entra's optional `.sub op value` suffix. */
  private parseValuePath(attrTok: Token, path: AttrPath): FilterNode {
    let filter = this.parseOr(true);
    const close = this.lex.next();
    if (close.kind !== 'rbracket') throw fail(`expected "]" to close "${attrTok.text}["`, close.pos, close);
    const after = this.lex.peek();
    // '.' is a word character, so a token starting with '.' is always a word.
    if (after.text.startsWith('.') && after.pos === close.pos + 1) {
      // Entra: `emails[type eq "work"].value eq "a@b.com"` ≡ emails[type eq "work" and value eq "a@b.com"].
      this.lex.next();
      const sub = after.text.slice(1);
      if (!ATTRNAME.test(sub)) throw fail(`invalid sub-attribute ${describeToken(after)}`, after.pos);
      const label = `${attrTok.text}[...]${after.text}`;
      filter = { kind: 'and', left: filter, right: this.parseAttrExp(label, { attr: sub }) };
    }
    return { kind: 'valuePath', path, filter };
  }

  /** After an attribute path: `pr`, or an operator and a value. */
  private parseAttrExp(label: string, path: AttrPath): FilterNode {
    const opTok = this.lex.next();
    // Only a word token can spell an operator: a string's text keeps its quotes, punctuation is one character.
    const op = opTok.text.toLowerCase();
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) {
      throw fail(`expected ${OPS_HINT} after "${label}"`, opTok.pos, opTok);
    }
    const v = this.lex.readValue();
    if (!v) {
      const found = this.lex.peek();
      throw fail(`expected a value after "${opTok.text}"`, found.pos, found);
    }
    return { kind: 'compare', path, op: op as CompareOp, ...literal(v) };
  }

  /** Validate "[urn:…:]attr[.sub]"; inside brackets only a bare sub-attribute name is meaningful. */
  private attrPath(t: Token, inBrackets: boolean): AttrPath {
    const bad = (why: string) => fail(`${why} ${describeToken(t)}`, t.pos);
    const prefixed = t.text.toLowerCase().startsWith('urn:');
    if (prefixed && inBrackets) throw bad('a schema URN is not allowed inside a value filter:');
    const { schema, rest } = prefixed ? splitSchemaPrefix(t.text) : { schema: undefined, rest: t.text };
    if (rest === '') throw bad('expected an attribute name after the schema URN in');
    const parts = rest.split('.');
    if (parts.length > 2 || (inBrackets && parts.length > 1) || !parts.every((p) => ATTRNAME.test(p))) {
      throw bad('invalid attribute path');
    }
    const [attr, sub] = parts as [string, string?];
    return { ...(schema ? { schema } : {}), attr, ...(sub !== undefined ? { sub } : {}) };
  }

  private nested<T>(at: Token, body: () => T): T {
    if (++this.depth > MAX_FILTER_DEPTH) throw fail(`nesting deeper than ${MAX_FILTER_DEPTH} levels`, at.pos);
    try {
      return body();
    } finally {
      this.depth--;
    }
  }

  /** Only a word token can spell a keyword: a string's text keeps its quotes, punctuation is one character. */
  private isKeyword(t: Token, kw: string): boolean {
    return t.text.toLowerCase() === kw;
  }
}

/**
 * Turn a value token into AST fields. RFC literals (`true`, `false`, `null`, JSON numbers) keep their type;
 * anything else unquoted is an Entra-style bare string. `raw` keeps the exact text so `id eq 123` can still be
 * compared to the string id "123" and `extension eq 0100` keeps its leading zero.
 */
function literal(v: ValueToken): { value: FilterValue; raw?: string } {
  if (v.kind === 'string') return { value: v.value };
  const text = v.text;
  if (text === 'true') return { value: true };
  if (text === 'false') return { value: false };
  if (text === 'null') return { value: null };
  if (JSON_NUMBER.test(text)) return { value: Number(text), raw: text };
  return { value: text, raw: text };
}

function fail(what: string, pos: number, found?: Token) {
  const suffix = found ? `, found ${describeToken(found)}` : '';
  return invalidFilter(`Invalid filter: ${what} at position ${pos}${suffix}`);
}
