/**
 * Mines a filter for an equality every match must satisfy, so the store can fetch candidates by key (Entra's
 * `userName eq "…"` / `externalId eq "…"` lookups before each create) instead of scanning all users.
 * The hint is only a pre-selection: the caller still evaluates the full filter on the candidates.
 */
import { EXTENSION_SCHEMA, resolveAttributePath, USER_SCHEMA } from '../schema';
import type { AttrPath, FilterNode } from './ast';

export type IndexKey = 'id' | 'userName' | 'externalId' | 'email' | 'phone' | 'extension';
export interface IndexHint {
  key: IndexKey;
  value: string;
}

/** Most selective first: id and userName are unique, externalId is deliberately not (schema.ts). */
const PRIORITY: readonly IndexKey[] = ['id', 'userName', 'email', 'phone', 'extension', 'externalId'];

export function findIndexableEquality(filter: FilterNode): IndexHint | undefined {
  const found: IndexHint[] = [];
  collect(filter, found);
  for (const key of PRIORITY) {
    const hit = found.find((h) => h.key === key);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Only top-level conjuncts are necessary conditions: under `or` or `not` an equality may be bypassed, so
 * those branches are never descended into.
 */
function collect(node: FilterNode, out: IndexHint[]): void {
  switch (node.kind) {
    case 'and':
      collect(node.left, out);
      collect(node.right, out);
      return;
    case 'compare': {
      const key = keyFor(node.path);
      const value = node.op === 'eq' ? literalText(node) : undefined;
      if (key && value !== undefined) out.push({ key, value });
      return;
    }
    case 'valuePath': {
      // emails[type eq "work" and value eq "x"] and Entra's emails[type eq "work"].value eq "x" (parsed the same).
      const key = node.path.sub === undefined ? keyFor(node.path) : undefined;
      if (key === 'email' || key === 'phone') {
        for (const c of conjuncts(node.filter)) {
          if (c.kind !== 'compare' || c.op !== 'eq' || c.path.schema || c.path.sub) continue;
          const value = c.path.attr.toLowerCase() === 'value' ? literalText(c) : undefined;
          if (value !== undefined) out.push({ key, value });
        }
      }
      return;
    }
    default:
      return;
  }
}

function conjuncts(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

/** Which index an attribute path maps to; `emails` alone means `emails.value` (RFC 7644 §3.4.2.2). */
function keyFor(path: AttrPath): IndexKey | undefined {
  const written = `${path.schema ? `${path.schema}:` : ''}${path.attr}${path.sub !== undefined ? `.${path.sub}` : ''}`;
  const r = resolveAttributePath(written);
  if (!r) return undefined;
  if (r.schema === EXTENSION_SCHEMA) return r.attrName === 'extension' && !r.subName ? 'extension' : undefined;
  if (r.schema !== USER_SCHEMA) return undefined;
  switch (r.attrName) {
    case 'id':
    case 'userName':
    case 'externalId':
      return r.subName ? undefined : r.attrName;
    case 'emails':
      return !r.subName || r.subName === 'value' ? 'email' : undefined;
    case 'phoneNumbers':
      return !r.subName || r.subName === 'value' ? 'phone' : undefined;
    default:
      return undefined;
  }
}

/** String form of the literal; raw text for unquoted values. `eq null` means "absent" and is never indexable. */
function literalText(node: Extract<FilterNode, { kind: 'compare' }>): string | undefined {
  if (node.raw !== undefined) return node.raw;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number') return String(node.value);
  return undefined;
}
