/**
 * Parse a PATCH `path` (RFC 7644 §3.5.2, ABNF in Figure 1 of §3.5.2):
 *
 *   PATH = attrPath / valuePath [subAttr]
 *
 * i.e. `displayName`, `name.familyName`, `emails[type eq "work"]`, `emails[type eq "work"].value`, each optionally
 * behind a schema URN (`urn:ietf:params:scim:schemas:core:2.0:User:name.givenName`, RFC 7644 §3.10). Names are
 * case-insensitive (RFC 7643 §2.1) and are resolved to their schema definition here, so the engine only ever sees
 * canonical names. The same parser handles the keys of a path-less `add`/`replace` value, which Entra writes as
 * paths too (`"name.givenName"`, `"emails[type eq \"work\"].value"`).
 *
 * Attributes we do not store are NOT errors (SPEC §4: an unmapped Entra attribute must never fail a provisioning
 * cycle); they come back as `unsupported` with the key they would have as written, so the caller can report them.
 */
import { invalidPath, ScimError } from '../errors';
import { parseFilter, type FilterNode } from '../filter';
import {
  type AttributeDef,
  EXTENSION_SCHEMA,
  USER_SCHEMA,
  findAttribute,
  findSubAttribute,
  splitSchemaPrefix,
} from '../schema';

/** RFC 7644 ATTRNAME (plus a leading '$' so "$ref" works). Also keeps `__proto__` out of object keys. */
const ATTRNAME = /^[A-Za-z$][A-Za-z0-9_\-$]*$/;

export type PatchPath =
  /** The resource's `schemas` attribute: server-managed, so ops on it are ignored (see apply.ts). */
  | { kind: 'schemas'; raw: string }
  /** A bare schema URN: `urn:…:core:2.0:User` or `urn:…:scimlink:2.0:User`; the value holds its attributes. */
  | { kind: 'schema'; raw: string; schema: string }
  /** An attribute the schema defines (core or our extension), with optional value filter and sub-attribute. */
  | {
      kind: 'attribute';
      raw: string;
      schema: string;
      def: AttributeDef;
      filter?: FilterNode;
      /** Canonical sub-attribute name when defined, else as written (e.g. `name.middleName`). */
      subName?: string;
      subDef?: AttributeDef;
    }
  /**
   * Not in our schema (`title`, `nickName`, the enterprise extension, any foreign URN). Applied verbatim at `key`
   * inside `container` so the caller's validator reports it as ignored — the same place `canonicalizeUser` keeps
   * such keys on POST/PUT (foreign URN keys whole at the top level).
   */
  | { kind: 'unsupported'; raw: string; container: 'root' | 'extension'; key: string };

export function parsePath(raw: string): PatchPath {
  const text = raw.trim();
  if (text === '') throw invalidPath('Invalid path: the path is empty');
  const { head, filterText, bracketSub } = splitBrackets(text, raw);
  const { schema, rest } = splitSchemaPrefix(head);
  const filter = filterText === undefined ? undefined : parseValueFilter(filterText, raw);

  if (schema !== USER_SCHEMA && schema !== EXTENSION_SCHEMA) {
    return { kind: 'unsupported', raw, container: 'root', key: text };
  }
  if (rest === '') {
    if (filter) throw invalidPath(`Invalid path "${raw}": a value filter needs an attribute name before "["`);
    return { kind: 'schema', raw, schema };
  }

  const parts = rest.split('.');
  if (parts.length > 2 || (filter && parts.length > 1) || !parts.every((p) => ATTRNAME.test(p))) {
    throw invalidPath(`Invalid path "${raw}": expected attr, attr.subAttr or attr[filter].subAttr`);
  }
  const [attrName = '', dottedSub] = parts;
  const writtenSub = bracketSub ?? dottedSub;

  if (schema === USER_SCHEMA && attrName.toLowerCase() === 'schemas' && !filter && writtenSub === undefined) {
    return { kind: 'schemas', raw };
  }
  const def = findAttribute(schema, attrName);
  if (!def) {
    // Everything after the schema prefix, as written: "title", "ims[type eq \"aim\"].value", …
    const key = text.slice(head.length - rest.length);
    return { kind: 'unsupported', raw, container: schema === EXTENSION_SCHEMA ? 'extension' : 'root', key };
  }
  if (filter && !(def.multiValued && def.type === 'complex')) {
    throw invalidPath(`Invalid path "${raw}": "${def.name}" is not multi-valued, so it cannot take a value filter`);
  }
  if (writtenSub !== undefined && def.type !== 'complex') {
    throw invalidPath(`Invalid path "${raw}": "${def.name}" has no sub-attributes`);
  }
  const subDef = writtenSub === undefined ? undefined : findSubAttribute(def, writtenSub);
  return {
    kind: 'attribute',
    raw,
    schema,
    def,
    ...(filter ? { filter } : {}),
    ...(writtenSub !== undefined ? { subName: subDef?.name ?? writtenSub } : {}),
    ...(subDef ? { subDef } : {}),
  };
}

/**
 * Split `head[filter].sub` at the brackets. The filter may contain `]`, `.` or `[` inside quoted strings
 * (`emails[value eq "a.b@c.d"]`), so this scans with quote awareness instead of using a regex.
 */
function splitBrackets(text: string, raw: string): { head: string; filterText?: string; bracketSub?: string } {
  const open = text.indexOf('[');
  if (open < 0) {
    if (text.includes(']')) throw invalidPath(`Invalid path "${raw}": "]" without "["`);
    return { head: text };
  }
  let close = -1;
  let inQuote = false;
  for (let i = open + 1; i < text.length && close < 0; i++) {
    const c = text[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '[') throw invalidPath(`Invalid path "${raw}": value filters cannot be nested`);
    else if (c === ']') close = i;
  }
  if (close < 0) throw invalidPath(`Invalid path "${raw}": "[" is never closed`);
  const after = text.slice(close + 1);
  let bracketSub: string | undefined;
  if (after !== '') {
    if (!after.startsWith('.') || !ATTRNAME.test(after.slice(1))) {
      throw invalidPath(`Invalid path "${raw}": only ".subAttribute" may follow "]"`);
    }
    bracketSub = after.slice(1);
  }
  return { head: text.slice(0, open), filterText: text.slice(open + 1, close), ...(bracketSub ? { bracketSub } : {}) };
}

/** A bad filter inside a path is a bad path (RFC 7644 §3.5.2: scimType `invalidPath`), not `invalidFilter`. */
function parseValueFilter(text: string, raw: string): FilterNode {
  try {
    return parseFilter(text);
  } catch (e) {
    if (e instanceof ScimError) throw invalidPath(`Invalid path "${raw}": ${e.detail}`);
    throw e;
  }
}
