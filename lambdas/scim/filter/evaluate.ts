/**
 * Evaluates a parsed filter against a stored User (RFC 7644 §3.4.2.2).
 *
 * Attribute names are resolved case-insensitively through the schema (RFC 7643 §2.1) and compared according to
 * their type and `caseExact`. Unknown attributes never match rather than erroring, so a client probing with an
 * attribute we do not store gets an empty list instead of a failed provisioning cycle.
 */
import { type AttributeDef, findSubAttribute, resolveAttributePath, USER_SCHEMA } from '../schema';
import { type AttrPath, type CompareOp, type FilterNode, type FilterValue, pathText } from './ast';
import { foldCase } from '../rules';
import { isObject } from '../json';

type Obj = Record<string, unknown>;
type CompareNode = Extract<FilterNode, { kind: 'compare' }>;

/** What an attribute path points at: the values found (flattened over multi-valued elements) and their definition. */
interface Target {
  values: unknown[];
  def: AttributeDef;
}

/** How a scope (whole resource, or one element of a multi-valued attribute) resolves attribute paths. */
interface Scope {
  /** Values at `path` (sub-attribute values when the path names one, else the attribute's values/elements). */
  attribute(path: AttrPath): { items: unknown[]; def: AttributeDef; subDef?: AttributeDef } | undefined;
}

export function matches(resource: Obj, filter: FilterNode): boolean {
  return evaluate(filter, resourceScope(resource));
}

/**
 * Evaluate a value filter against one element of a multi-valued complex attribute (e.g. one email), resolving
 * names as sub-attributes of `parent`. Used for `emails[type eq "work"]` here and by the PATCH engine.
 */
export function matchesElement(element: Obj, filter: FilterNode, parent: AttributeDef): boolean {
  return evaluate(filter, elementScope(element, parent));
}

function evaluate(node: FilterNode, scope: Scope): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, scope) && evaluate(node.right, scope);
    case 'or':
      return evaluate(node.left, scope) || evaluate(node.right, scope);
    case 'not':
      return !evaluate(node.filter, scope);
    case 'present': {
      const found = scope.attribute(node.path);
      return found !== undefined && found.items.some(isNonEmpty);
    }
    case 'compare':
      return compare(scope, node);
    case 'valuePath': {
      // Only a complex attribute has elements to filter: `userName[…]` and `name.givenName[…]` match nothing.
      // (Inside an element no sub-attribute is complex, so a nested value filter never matches either.)
      const found = scope.attribute(node.path);
      if (!found) return false;
      const parent = found.subDef ?? found.def;
      if (parent.type !== 'complex') return false;
      return found.items.some((el) => isObject(el) && evaluate(node.filter, elementScope(el, parent)));
    }
  }
}

function compare(scope: Scope, node: CompareNode): boolean {
  const t = comparisonTarget(scope, node.path);
  if (!t) return false;
  const present = t.values.filter((v) => v !== undefined && v !== null);
  // RFC 7644 §3.4.2.2: `ne` is the negation of `eq`, so it holds for a missing attribute; `eq null` = "not present".
  if (node.value === null) {
    if (node.op === 'eq') return present.length === 0;
    if (node.op === 'ne') return present.length > 0;
    return false;
  }
  if (node.op === 'ne') return !present.some((v) => compareOne(v, 'eq', node, t.def));
  // Multi-valued: the filter matches if ANY value matches.
  const op = node.op;
  return present.some((v) => compareOne(v, op, node, t.def));
}

/** The values a comparison looks at; a complex attribute without a sub-attribute means its `value` (RFC 7644 §3.4.2.2). */
function comparisonTarget(scope: Scope, path: AttrPath): Target | undefined {
  const found = scope.attribute(path);
  if (!found) return undefined;
  if (found.subDef) return { values: found.items, def: found.subDef };
  if (found.def.type !== 'complex') return { values: found.items, def: found.def };
  const valueDef = findSubAttribute(found.def, 'value');
  return valueDef && { values: subValues(found.items, valueDef), def: valueDef };
}

/** `ne` never gets here: it is the negation of `eq` over all values (compare). */
type PositiveOp = Exclude<CompareOp, 'ne'>;
type OrderOp = Exclude<PositiveOp, 'co' | 'sw' | 'ew'>;

function compareOne(actual: unknown, op: PositiveOp, node: CompareNode, def: AttributeDef): boolean {
  switch (def.type) {
    case 'boolean':
      return compareBoolean(actual, op, node.value);
    case 'dateTime':
      return compareDateTime(actual, op, node) ?? compareString(actual, op, node, def.caseExact);
    // No attribute of the schema is an integer or a decimal (schema.ts): numeric ordering comes with the first one.
    default:
      return compareString(actual, op, node, def.caseExact);
  }
}

/** Entra sends `roles[primary eq "True"]`: a boolean attribute accepts "true"/"false" strings in any case. */
function compareBoolean(actual: unknown, op: PositiveOp, expected: FilterValue): boolean {
  // Ordering/substring on booleans is meaningless; RFC 7644 lets us not match.
  if (op !== 'eq') return false;
  const e = toBoolean(expected);
  return e !== undefined && toBoolean(actual) === e;
}

/** Compare as instants; undefined when either side is not a date, so the caller falls back to string rules. */
function compareDateTime(actual: unknown, op: PositiveOp, node: CompareNode): boolean | undefined {
  if (op === 'co' || op === 'sw' || op === 'ew') return undefined;
  const a = instant(actual);
  const e = instant(node.value);
  if (Number.isNaN(a) || Number.isNaN(e)) return undefined;
  return ordered(a, e, op);
}

/** xsd:dateTime (RFC 7643 §2.3.5) only; Date.parse alone would accept things like "100" as a year. */
function instant(v: unknown): number {
  const text = String(v); // a number, boolean or object never looks like a date
  return /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
}

function compareString(actual: unknown, op: PositiveOp, node: CompareNode, caseExact: boolean): boolean {
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  // An unquoted value compares by its exact text: `id eq 0123` must not become the number 123.
  const expected = node.raw ?? String(node.value);
  const fold = (s: string) => (caseExact ? s : foldCase(s));
  const a = fold(String(actual));
  const e = fold(expected);
  switch (op) {
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return ordered(a, e, op);
  }
}

function ordered<T extends string | number>(a: T, e: T, op: OrderOp): boolean {
  switch (op) {
    case 'eq':
      return a === e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
  }
}

function resourceScope(resource: Obj): Scope {
  return {
    attribute(path) {
      const r = resolveAttributePath(pathText(path));
      if (!r) return undefined;
      // Core attributes sit at the top level; extension attributes under their schema URN key (RFC 7643 §3.3).
      const container = r.schema === USER_SCHEMA ? resource : prop(resource, r.schema);
      const items = asList(isObject(container) ? prop(container, r.def.name) : undefined);
      if (!r.subDef) return { items, def: r.def };
      return { items: subValues(items, r.subDef), def: r.def, subDef: r.subDef };
    },
  };
}

function elementScope(element: Obj, parent: AttributeDef): Scope {
  return {
    attribute(path) {
      if (path.schema !== undefined || path.sub !== undefined) return undefined;
      const def = findSubAttribute(parent, path.attr);
      return def && { items: asList(prop(element, def.name)), def };
    },
  };
}

function subValues(items: unknown[], subDef: AttributeDef): unknown[] {
  return items.flatMap((it) => (isObject(it) ? asList(prop(it, subDef.name)) : []));
}

/** Own property by canonical name, falling back to a case-insensitive match for loosely stored data. */
function prop(obj: Obj, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

/** An attribute's values as a list; a missing one is `[undefined]`, which every reader skips like a null element. */
function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}


/** RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex value with at least one non-empty sub-attribute. */
function isNonEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.some(isNonEmpty);
  if (isObject(v)) return Object.values(v).some(isNonEmpty);
  return true;
}

function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  return undefined;
}
