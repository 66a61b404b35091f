/**
 * Mines a filter for an equality every match must satisfy, so the store can fetch candidates by key (Entra's
 * `userName eq "…"` / `externalId eq "…"` lookups before each create) instead of scanning all users.
 * The hint is only a pre-selection: the caller still evaluates the full filter on the candidates.
 */
import { EXTENSION_SCHEMA, resolveAttributePath, USER_SCHEMA } from '../schema';
import { type AttrPath, type FilterNode, pathText } from './ast';

export type IndexKey = 'id' | 'userName' | 'externalId' | 'email' | 'phone' | 'extension';
export interface IndexHint {
  key: IndexKey;
  value: string;
}

/** Most selective first: id and userName are unique, externalId is deliberately not (schema.ts). */
const PRIORITY: readonly IndexKey[] = ['id', 'userName', 'email', 'phone', 'extension', 'externalId'];

export function findIndexableEquality(filter: FilterNode): IndexHint | undefined {
  // Per key, any one of its required values will do: `userName eq "a" and userName eq "b"` matches nobody either way.
  const found = new Map<IndexKey, string>();
  collect(filter, keyFor, found);
  for (const key of PRIORITY) {
    const value = found.get(key);
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/**
 * Only top-level conjuncts are necessary conditions: under `or` or `not` an equality may be bypassed, so
 * those branches are never descended into. `keyOf` maps an attribute path to its index: the resource's paths at
 * the top, an element's sub-attributes inside `attr[…]`.
 */
function collect(node: FilterNode, keyOf: (path: AttrPath) => IndexKey | undefined, out: Map<IndexKey, string>): void {
  switch (node.kind) {
    case 'and':
      collect(node.left, keyOf, out);
      collect(node.right, keyOf, out);
      return;
    case 'compare': {
      const key = keyOf(node.path);
      const value = node.op === 'eq' ? literalText(node) : undefined;
      // Stryker disable next-line ConditionalExpression: a value kept under an undefined key is never looked up (PRIORITY)
      if (key && value !== undefined) out.set(key, value);
      return;
    }
    case 'valuePath': {
      // emails[type eq "work" and value eq "x"] and Entra's emails[type eq "work"].value eq "x" (parsed the same):
      // inside the brackets `value` is emails.value. (A value filter on a simple attribute, `userName[value eq "x"]`,
      // matches no user at all, so the hint it yields cannot drop one.)
      const key = keyFor(node.path);
      collect(node.filter, (sub) => (sub.attr.toLowerCase() === 'value' ? key : undefined), out);
    }
  }
}

/** The indexed attributes by canonical path; `emails` alone means `emails.value` (RFC 7644 §3.4.2.2). */
const INDEXED: ReadonlyMap<string, IndexKey> = new Map([
  [`${USER_SCHEMA}:id`, 'id'],
  [`${USER_SCHEMA}:userName`, 'userName'],
  [`${USER_SCHEMA}:externalId`, 'externalId'],
  [`${USER_SCHEMA}:emails`, 'email'],
  [`${USER_SCHEMA}:emails.value`, 'email'],
  [`${USER_SCHEMA}:phoneNumbers`, 'phone'],
  [`${USER_SCHEMA}:phoneNumbers.value`, 'phone'],
  [`${EXTENSION_SCHEMA}:extension`, 'extension'],
]);

/** Which index an attribute path maps to, whatever its spelling (case, schema prefix or none). */
function keyFor(path: AttrPath): IndexKey | undefined {
  const r = resolveAttributePath(pathText(path));
  return r && INDEXED.get(pathText({ schema: r.schema, attr: r.attrName, sub: r.subName }));
}

/**
 * String form of the literal: a quoted string, or the exact text of an unquoted value (numbers included: the parser
 * keeps `raw` for every unquoted value but true/false/null). `eq null` means "absent" and is never indexable.
 */
function literalText(node: Extract<FilterNode, { kind: 'compare' }>): string | undefined {
  return node.raw ?? (typeof node.value === 'string' ? node.value : undefined);
}
