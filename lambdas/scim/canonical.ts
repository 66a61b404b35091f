import {
  AttributeDef,
  EXTENSION_SCHEMA,
  USER_SCHEMA,
  findAttribute,
  findSubAttribute,
  splitSchemaPrefix,
} from './schema';
import { isObject } from './json';

type Json = Record<string, unknown>;


/**
 * Rewrite attribute names to their canonical casing (RFC 7643 §2.1: attribute names are case-insensitive;
 * Entra and other clients send `UserName`, `Emails[].Value`, …) and fold schema-URN keys into place:
 * `{"urn:…:core:2.0:User": {...}}` merges into the top level, `"urn:…:scimlink:2.0:User:extension"` moves into
 * the extension object. Unknown keys are kept verbatim so the validator can report them as ignored.
 * Values are not touched. The input is never mutated.
 */
export function canonicalizeUser(input: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.toLowerCase() === 'schemas') {
      out.schemas = value;
      continue;
    }
    const { schema, rest } = splitSchemaPrefix(key);
    if (!key.toLowerCase().startsWith('urn:')) {
      // An unprefixed `extension` belongs to our extension schema (splitSchemaPrefix knows which).
      if (schema === EXTENSION_SCHEMA) setCanonical(ensureObject(out, EXTENSION_SCHEMA), EXTENSION_SCHEMA, key, value);
      else setCanonical(out, USER_SCHEMA, key, value);
      continue;
    }
    if (schema === USER_SCHEMA && rest === '' && isObject(value)) {
      for (const [k, v] of Object.entries(value)) setCanonical(out, USER_SCHEMA, k, v);
    } else if (schema === EXTENSION_SCHEMA && rest === '' && isObject(value)) {
      const ext = ensureObject(out, EXTENSION_SCHEMA);
      for (const [k, v] of Object.entries(value)) setCanonical(ext, EXTENSION_SCHEMA, k, v);
    } else if (schema === EXTENSION_SCHEMA && rest !== '') {
      setCanonical(ensureObject(out, EXTENSION_SCHEMA), EXTENSION_SCHEMA, rest, value);
    } else if (schema === USER_SCHEMA && rest !== '') {
      setCanonical(out, USER_SCHEMA, rest, value);
    } else {
      out[key] = value; // another schema (e.g. the enterprise extension): kept for the ignored-report
    }
  }
  return out;
}

function ensureObject(target: Json, key: string): Json {
  const existing = target[key];
  if (isObject(existing)) return existing;
  const created: Json = {};
  target[key] = created;
  return created;
}

function setCanonical(target: Json, schema: string, key: string, value: unknown): void {
  // Assigning it would replace the target's prototype. Every unprefixed key of canonicalizeUser lands here too
  // (a `urn:` key is never `__proto__`), so this one guard covers the top level and the schema objects.
  if (key === '__proto__') return;
  const def = findAttribute(schema, key);
  if (!def) {
    target[key] = value;
    return;
  }
  target[def.name] = canonicalizeValue(def, value);
}

/** Canonicalise the sub-attribute names of a complex value (or of each element of a multi-valued one). */
export function canonicalizeValue(def: AttributeDef, value: unknown): unknown {
  if (def.type !== 'complex') return value;
  if (Array.isArray(value)) return value.map((v) => canonicalizeElement(def, v));
  return canonicalizeElement(def, value);
}

function canonicalizeElement(def: AttributeDef, value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__') continue;
    const subDef = findSubAttribute(def, k);
    out[subDef ? subDef.name : k] = v;
  }
  return out;
}
