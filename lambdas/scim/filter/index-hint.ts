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
  const found: IndexHint[] = [];
  collect(filter, keyFor, found);
  for (const key of PRIORITY) {
    const hit = found.find((h) => h.key === key);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Only top-level conjuncts are necessary conditions: under `or` or `not` an equality may be bypassed, so
 * those branches are never descended into. `keyOf` maps an attribute path to its index: the resource's paths at
 * the top, an element's sub-attributes inside `attr[…]`.
 */
function collect(node: FilterNode, keyOf: (path: AttrPath) => IndexKey | undefined, out: IndexHint[]): void {
  switch (node.kind) {
    case 'and':
      collect(node.left, keyOf, out);
      collect(node.right, keyOf, out);
      return;
    case 'compare': {
      const key = keyOf(node.path);
      const value = node.op === 'eq' ? literalText(node) : undefined;
      if (key && value !== undefined) out.push({ key, value });
      return;
    }
    case 'valuePath': {
      // emails[type eq "work" and value eq "x"] and Entra's emails[type eq "work"].value eq "x" (parsed the same):
      // inside the brackets `value` is emails.value. (A value filter on a simple attribute, `userName[value eq "x"]`,
      // matches no user at all, so the hint it yields cannot drop one.)
      const key = keyFor(node.path);
      if (key) collect(node.filter, (sub) => (sub.attr.toLowerCase() === 'value' ? key : undefined), out);
      return;
    }
    default:
      return;
  }
}

/** Which index an attribute path maps to; `emails` alone means `emails.value` (RFC 7644 §3.4.2.2). */
function keyFor(path: AttrPath): IndexKey | undefined {
  const r = resolveAttributePath(pathText(path));
  if (!r) return undefined;
  if (r.schema === EXTENSION_SCHEMA) return r.attrName === 'extension' ? 'extension' : undefined;
  if (r.schema !== USER_SCHEMA) return undefined;
  switch (r.attrName) {
    // Simple attributes: resolveAttributePath already refuses a sub-attribute of them.
    case 'id':
    case 'userName':
    case 'externalId':
      return r.attrName;
    case 'emails':
      return !r.subName || r.subName === 'value' ? 'email' : undefined;
    case 'phoneNumbers':
      return !r.subName || r.subName === 'value' ? 'phone' : undefined;
    default:
      return undefined;
  }
}

/**
 * String form of the literal: a quoted string, or the exact text of an unquoted value (numbers included: the parser
 * keeps `raw` for every unquoted value but true/false/null). `eq null` means "absent" and is never indexable.
 */
function literalText(node: Extract<FilterNode, { kind: 'compare' }>): string | undefined {
  return node.raw ?? (typeof node.value === 'string' ? node.value : undefined);
}
