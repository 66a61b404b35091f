/**
 * The PATCH engine (RFC 7644 §3.5.2) for a stored User, speaking both of Entra's dialects: the default one
 * (`"op": "Replace"`, `"value": "False"`, `remove` with a `value` array) and the `?aadOptscim062020` one
 * (lower-case ops, path-less `replace` whose value keys are paths, filter paths for removal).
 *
 * `applyPatch` is pure: it works on a deep copy and either returns the whole patched resource or throws, so a
 * request is atomic as RFC 7644 §3.5.2 requires ("a PATCH request, regardless of the number of operations, SHALL
 * be treated as atomic"). It shapes data but does not validate contents: the caller re-validates the result
 * against the User schema, which is also where unsupported attributes are reported as ignored.
 */
import { badRequest, invalidPath, invalidSyntax, mutability, noTarget, ScimError } from '../errors';
import { canonicalizeValue } from '../canonical';
import { matchesElement, type FilterNode } from '../filter';
import { type AttributeDef, EXTENSION_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA, findSubAttribute } from '../schema';
import { parsePath, type PatchPath } from './path';
import { foldCase } from '../rules';
import { cloneJson, isObject } from '../json';

type Json = Record<string, unknown>;
type OpName = 'add' | 'replace' | 'remove';
type AttributePath = Extract<PatchPath, { kind: 'attribute' }>;

/** One validated entry of `Operations`. `value` is undefined when the op carried none. */
export interface PatchOperation {
  index: number;
  op: OpName;
  path?: string;
  value?: unknown;
}

/** Bound on work per request (RFC 7644 sets none for PATCH); Entra sends a handful per user update. */
export const MAX_OPERATIONS = 1000;

/**
 * Sub-attributes that only label an element. An element left with nothing else (an email whose `value` was
 * removed, an address whose every line was removed) carries no data and is dropped rather than stored empty.
 */
const LABELS = new Set(['type', 'primary']);

export function applyPatch(resource: Record<string, unknown>, body: unknown): Record<string, unknown> {
  const operations = readOperations(body);
  const out = cloneJson(resource);
  for (const operation of operations) {
    try {
      applyOperation(out, operation);
    } catch (e) {
      if (e instanceof ScimError) {
        const where = `Operations[${operation.index}] (${operation.op}${operation.path ? ` "${operation.path}"` : ''})`;
        throw new ScimError(e.status, `${where}: ${e.detail}`, e.scimType, e.headers, e.rule);
      }
      throw e;
    }
  }
  return out;
}

/** Structural validation of the whole body before anything is applied (RFC 7644 §3.5.2, §3.12 `invalidSyntax`). */
export function readOperations(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The PATCH body must be a JSON object with "schemas" and "Operations"');
  const schemas = prop(body, 'schemas');
  if (schemas !== undefined) {
    const ok = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
    if (!ok) throw invalidSyntax(`"schemas" must contain "${PATCH_OP_SCHEMA}"`);
  }
  // Attribute names in SCIM messages are case-insensitive (RFC 7644 §3.10); some clients send "operations".
  const operations = prop(body, 'Operations');
  if (operations === undefined || operations === null) throw invalidSyntax('"Operations" is missing');
  if (!Array.isArray(operations)) throw invalidSyntax('"Operations" must be an array');
  if (operations.length === 0) throw invalidSyntax('"Operations" is empty: nothing to apply');
  if (operations.length > MAX_OPERATIONS) {
    throw badRequest(`Too many operations: ${operations.length} (at most ${MAX_OPERATIONS} per request)`, 'tooMany');
  }
  return operations.map(readOperation);
}

function readOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) throw invalidSyntax(`${where} must be an object with "op"`);
  const op = prop(raw, 'op');
  if (typeof op !== 'string') throw invalidSyntax(`${where} has no "op" (expected add, replace or remove)`);
  // Entra sends "Add"/"Replace"/"Remove"; RFC 7644 §3.5.2 ops are case-insensitive.
  const name = op.toLowerCase();
  if (name !== 'add' && name !== 'replace' && name !== 'remove') {
    throw invalidSyntax(`${where} has unknown op "${op}" (expected add, replace or remove)`);
  }
  const path = prop(raw, 'path');
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw invalidPath(`${where} has a "path" that is not a string`);
  }
  const value = prop(raw, 'value');
  // An empty path is read as "no path": lenient towards clients that always serialise the field.
  const hasPath = typeof path === 'string' && path.trim() !== '';
  return { index, op: name, ...(hasPath ? { path } : {}), ...(value !== undefined ? { value } : {}) };
}

function applyOperation(root: Json, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (op === 'remove') {
    // RFC 7644 §3.5.2.2: "If 'path' is unspecified, the operation fails with … 'noTarget'".
    if (path === undefined) throw noTarget('"remove" needs a "path"');
    removeAt(root, parsePath(path), value);
    return;
  }
  if (value === undefined) throw badRequest(`"${op}" needs a "value"`);
  if (path !== undefined) {
    setAt(root, parsePath(path), value, op);
    return;
  }
  // RFC 7644 §3.5.2.1/§3.5.2.3 without a path: the value is a set of attributes to apply. Entra
  // (aadOptscim062020) writes each key as a path: "name.givenName", "emails[type eq \"work\"].value", URNs.
  if (!isObject(value)) throw badRequest(`"${op}" without a "path" needs an object "value"`);
  for (const [key, v] of Object.entries(value)) setAt(root, parsePath(key), v, op);
}

// ---------------------------------------------------------------------------------------------------------------
// add / replace

function setAt(root: Json, path: PatchPath, value: unknown, op: 'add' | 'replace'): void {
  // Not part of RFC 7644 for add/replace, but other clients send null to clear an attribute (RFC 7643 §2.5:
  // unassigned ≡ null).
  if (value === null) return removeAt(root, path, undefined);
  switch (path.kind) {
    case 'schemas':
      return; // server-managed
    case 'schema': {
      if (!isObject(value)) throw badRequest(`The value for "${path.raw}" must be an object of its attributes`);
      for (const [key, v] of Object.entries(value)) {
        const inner = path.schema === EXTENSION_SCHEMA ? `${EXTENSION_SCHEMA}:${key}` : key;
        setAt(root, parsePath(inner), v, op);
      }
      return;
    }
    case 'unsupported':
      safeSet(container(root, path.container, true) ?? root, path.key, copyOf(value));
      return;
    case 'attribute':
      return setAttribute(root, path, value, op);
  }
}

function setAttribute(root: Json, path: AttributePath, value: unknown, op: 'add' | 'replace'): void {
  const holder = path.schema === EXTENSION_SCHEMA ? container(root, 'extension', true)! : root;
  const { def } = path;
  if (def.mutability === 'readOnly') {
    // `id`, `meta`: tolerated only as an echo of the current value (clients replaying the resource).
    const target = path.subName === undefined ? def : path.subDef;
    if (!sameValue(target, currentValue(holder, path), value)) {
      throw mutability(`"${path.raw}" is read-only and cannot be changed`);
    }
    return;
  }
  if (def.multiValued) return setMultiValued(holder, path, value, op);
  if (def.type === 'complex') return setComplex(holder, path, value);
  holder[def.name] = coerce(def, value);
}

/**
 * A single complex attribute (`name`). With a sub-attribute, set it; with an object, merge the given
 * sub-attributes — RFC 7644 §3.5.2.3 for replace ("sub-attributes not specified … are left unchanged") and
 * §3.5.2.1 for add.
 */
function setComplex(holder: Json, path: AttributePath, value: unknown): void {
  const current = isObject(holder[path.def.name]) ? (holder[path.def.name] as Json) : {};
  if (path.subName !== undefined) {
    safeSet(current, path.subName, coerce(path.subDef, value));
  } else {
    if (!isObject(value)) throw badRequest(`The value for "${path.raw}" must be an object`);
    mergeInto(current, coerce(path.def, value) as Json);
  }
  putOrDelete(holder, path.def.name, Object.keys(current).length > 0 ? current : undefined);
}

function setMultiValued(holder: Json, path: AttributePath, value: unknown, op: 'add' | 'replace'): void {
  const { def } = path;
  let list = currentList(holder, def.name);
  let touched: Json[];

  const { filter } = path;
  if (filter) {
    touched = list.filter((el): el is Json => isObject(el) && matchesElement(el, filter, def));
    let update: Json;
    if (path.subName !== undefined) {
      update = { [path.subName]: coerce(path.subDef, value) };
    } else {
      if (!isObject(value)) throw badRequest(`The value for "${path.raw}" must be an object`);
      update = coerce(def, value) as Json;
    }
    if (touched.length === 0) {
      // Entra sends replace/add `phoneNumbers[type eq "mobile"].value` whether or not a mobile number exists;
      // RFC 7644 §3.5.2.3 would say noTarget, but the only sensible reading is "create it".
      const created = mergeInto(elementFromFilter(def, filter, path.raw), update);
      list.push(created);
      touched = [created];
    } else {
      for (const el of touched) mergeInto(el, update);
    }
  } else if (path.subName !== undefined) {
    // `emails.value` without a filter addresses every element (RFC 7644 §3.5.2.3); none yet → create one.
    const update = { [path.subName]: coerce(path.subDef, value) };
    if (list.length === 0) list.push({});
    touched = list.filter(isObject);
    for (const el of touched) mergeInto(el, update);
  } else {
    const incoming = asArray(coerce(def, value));
    if (def.type === 'complex' && !incoming.every(isObject)) {
      throw badRequest(`Every value of "${def.name}" must be an object`);
    }
    // RFC 7644 §3.5.2.3: replace without a filter replaces the whole attribute; §3.5.2.1: add appends.
    if (op === 'replace') list = [...incoming];
    else addElements(def, list, incoming);
    touched = incoming.filter(isObject);
  }
  enforceSinglePrimary(list, touched);
  putOrDelete(holder, def.name, list.length > 0 ? list : undefined);
}

/**
 * RFC 7644 §3.5.2.1 "add" to a multi-valued attribute appends, but "if the target location already contains the
 * value specified, no changes SHOULD be made". Entra re-adds `emails` with `type: "work"` whenever the mail
 * changes and requires `type` to be unique per attribute, so an incoming element REPLACES every existing element
 * with the same `type` (for attributes whose `type` is a label, i.e. has canonical values) or the same `value`.
 * Incoming elements do not displace each other: two work emails in one request stay for the validator to reject.
 */
function addElements(def: AttributeDef, list: unknown[], incoming: unknown[]): void {
  const before = [...list];
  for (const el of incoming) {
    const displaced = isObject(el) ? before.filter((old) => list.includes(old) && isObject(old) && sameSlot(def, old, el)) : [];
    const [first, ...others] = displaced;
    if (first === undefined) {
      list.push(el);
      continue;
    }
    list.splice(list.indexOf(first), 1, el);
    for (const o of others) list.splice(list.indexOf(o), 1);
  }
}

function sameSlot(def: AttributeDef, a: Json, b: Json): boolean {
  const typeDef = findSubAttribute(def, 'type');
  const labelled = typeDef?.canonicalValues !== undefined;
  if (labelled && typeof a.type === 'string' && typeof b.type === 'string') {
    // Typed elements are told apart by their type: the same address as "work" and as "other" are two slots (SPEC §4:
    // a user may repeat its own value across types). Matching them by value made `add emails [{type: other, value:
    // <the work address>}]` drop the work email — a 400 "work email required". Found by test/integration/races.test.ts.
    return a.type.toLowerCase() === b.type.toLowerCase();
  }
  return a.value !== undefined && b.value !== undefined && sameScalar(findSubAttribute(def, 'value'), a.value, b.value);
}

/**
 * RFC 7644 §3.5.2: setting `primary` to true on one value "SHALL cause the server to automatically set 'primary'
 * to 'false' for any other values in the array" (RFC 7643 §2.4: at most one primary).
 */
function enforceSinglePrimary(list: unknown[], touched: Json[]): void {
  if (!touched.some((el) => el.primary === true)) return;
  for (const el of list) {
    if (isObject(el) && el.primary === true && !touched.includes(el)) el.primary = false;
  }
}

/**
 * The element a value path describes, from the equality conjuncts of its filter: `type eq "mobile"` →
 * `{type: "mobile"}`, `primary eq "True"` → `{primary: true}`. Other parts (`or`, `co`, …) cannot be turned into
 * data; with no equality at all there is nothing to create, which is RFC 7644's `noTarget`.
 */
function elementFromFilter(def: AttributeDef, filter: FilterNode, raw: string): Json {
  const element: Json = {};
  const visit = (node: FilterNode): void => {
    if (node.kind === 'and') {
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'compare' && node.op === 'eq' && node.path.sub === undefined && node.value !== null) {
      const subDef = findSubAttribute(def, node.path.attr);
      safeSet(element, subDef?.name ?? node.path.attr, coerce(subDef, node.value));
    }
  };
  visit(filter);
  if (Object.keys(element).length === 0) {
    throw noTarget(`No value of "${def.name}" matches "${raw}", and its filter has no "eq" to create one from`);
  }
  return element;
}

// ---------------------------------------------------------------------------------------------------------------
// remove (RFC 7644 §3.5.2.2)

function removeAt(root: Json, path: PatchPath, value: unknown): void {
  switch (path.kind) {
    case 'schemas':
      return;
    case 'schema':
      if (path.schema === USER_SCHEMA) throw invalidPath(`"${path.raw}": the core schema cannot be removed`);
      delete root[EXTENSION_SCHEMA];
      return;
    case 'unsupported': {
      const holder = container(root, path.container, false);
      if (holder) delete holder[path.key];
      dropEmptyExtension(root);
      return;
    }
    case 'attribute':
      removeAttribute(root, path, value);
      dropEmptyExtension(root);
      return;
  }
}

function removeAttribute(root: Json, path: AttributePath, value: unknown): void {
  const holder = path.schema === EXTENSION_SCHEMA ? container(root, 'extension', false) : root;
  if (!holder) return; // removing something absent is a no-op
  const { def } = path;
  if (def.mutability === 'readOnly') {
    if (currentValue(holder, path) === undefined) return;
    throw mutability(`"${path.raw}" is read-only and cannot be removed`);
  }
  if (!def.multiValued) {
    if (path.subName === undefined || !isObject(holder[def.name])) {
      if (path.subName === undefined) delete holder[def.name];
      return;
    }
    const current = holder[def.name] as Json;
    delete current[path.subName];
    putOrDelete(holder, def.name, Object.keys(current).length > 0 ? current : undefined);
    return;
  }

  let list = currentList(holder, def.name);
  const { filter } = path;
  const targets = filter ? list.filter((el) => isObject(el) && matchesElement(el, filter, def)) : list;
  if (path.subName !== undefined) {
    for (const el of targets) if (isObject(el)) delete el[path.subName];
    list = list.filter((el) => !targets.includes(el) || hasData(el));
  } else if (filter) {
    list = list.filter((el) => !targets.includes(el));
  } else if (value !== undefined && value !== null) {
    // Entra's default dialect: {"op":"Remove","path":"emails","value":[{"value":"a@b.c"}]} removes those values.
    const items = asArray(value).map((v) => (isObject(v) ? (coerce(def, v) as Json) : { value: v }));
    list = list.filter((el) => !(isObject(el) && items.some((item) => elementMatchesItem(def, el, item))));
  } else {
    list = [];
  }
  putOrDelete(holder, def.name, list.length > 0 ? list : undefined);
}

/** Every non-null field given in a removal item equals the element's (strings per `caseExact`). */
function elementMatchesItem(def: AttributeDef, element: Json, item: Json): boolean {
  const given = Object.entries(item).filter(([, v]) => v !== null && v !== undefined);
  return given.length > 0 && given.every(([k, v]) => sameScalar(findSubAttribute(def, k), element[k], v));
}

function hasData(el: unknown): boolean {
  return !isObject(el) || Object.keys(el).some((k) => !LABELS.has(k));
}

// ---------------------------------------------------------------------------------------------------------------
// values

/**
 * Put canonical sub-attribute names on a value and turn "True"/"False" into booleans where the schema says
 * boolean (Entra's default dialect sends `"value": "False"` for `active`; later filters such as
 * `primary eq "True"` must still match). Everything else is left for the caller's validator. Always a copy.
 */
function coerce(def: AttributeDef | undefined, value: unknown): unknown {
  const copy = copyOf(value);
  if (!def) return copy;
  if (def.type === 'boolean') return toBoolean(copy);
  if (def.type !== 'complex') return copy;
  const canonical = canonicalizeValue(def, copy);
  const fix = (el: unknown) => {
    if (!isObject(el)) return el;
    for (const [k, v] of Object.entries(el)) {
      const subDef = findSubAttribute(def, k);
      if (subDef?.type === 'boolean') el[k] = toBoolean(v);
    }
    return el;
  };
  return Array.isArray(canonical) ? canonical.map(fix) : fix(canonical);
}

/**
 * A deep copy of request data without own `__proto__` keys: JSON.parse creates them as plain properties, and any
 * later `obj[key] = value` (e.g. in canonicalizeValue) would turn one into the object's prototype.
 */
function copyOf(value: unknown, depth = 0): unknown {
  // No SCIM value nests deeper than a few levels; a hostile one must end as a 400, not as a stack overflow (500).
  // Found by test/unit/fuzz-core.test.ts.
  if (depth > MAX_VALUE_DEPTH) throw badRequest(`The value is nested more than ${MAX_VALUE_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((v) => copyOf(v, depth + 1));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (k !== '__proto__') out[k] = copyOf(v, depth + 1);
  return out;
}

/** How deep a PATCH value may nest (a User's deepest attribute is 2 levels: emails → entry → value). */
export const MAX_VALUE_DEPTH = 32;

function toBoolean(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const lower = v.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : v;
}

/** Equality as the schema sees it: case-insensitive unless `caseExact`, booleans after "True"/"False" coercion. */
function sameScalar(def: AttributeDef | undefined, a: unknown, b: unknown): boolean {
  if (def?.type === 'boolean') return toBoolean(a) === toBoolean(b);
  if (typeof a === 'string' && typeof b === 'string' && !def?.caseExact) return foldCase(a) === foldCase(b);
  return deepEqual(a, b);
}

/** For read-only attributes: the written value matches what is stored (an object may give a subset). */
function sameValue(def: AttributeDef | undefined, current: unknown, written: unknown): boolean {
  if (isObject(written) && isObject(current)) {
    return Object.entries(written).every(([k, v]) => {
      const subDef = def && findSubAttribute(def, k);
      return sameScalar(subDef, current[subDef?.name ?? k], v);
    });
  }
  return sameScalar(def, current, written);
}

function currentValue(holder: Json, path: AttributePath): unknown {
  const v = holder[path.def.name];
  if (path.subName === undefined) return v;
  return isObject(v) ? v[path.subName] : undefined;
}

function currentList(holder: Json, name: string): unknown[] {
  const v = holder[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Shallow merge where a null sub-attribute means "clear it" (RFC 7643 §2.5). */
function mergeInto(target: Json, update: Json): Json {
  for (const [k, v] of Object.entries(update)) {
    if (v === null) delete target[k];
    else safeSet(target, k, v);
  }
  return target;
}

/** The object that holds attributes of a schema: the resource itself, or our extension's object. */
function container(root: Json, which: 'root' | 'extension', create: boolean): Json | undefined {
  if (which === 'root') return root;
  const ext = root[EXTENSION_SCHEMA];
  if (isObject(ext)) return ext;
  if (!create) return undefined;
  const created: Json = {};
  root[EXTENSION_SCHEMA] = created;
  return created;
}

function dropEmptyExtension(root: Json): void {
  const ext = root[EXTENSION_SCHEMA];
  if (isObject(ext) && Object.keys(ext).length === 0) delete root[EXTENSION_SCHEMA];
}

function putOrDelete(holder: Json, key: string, value: unknown): void {
  if (value === undefined) delete holder[key];
  else holder[key] = value;
}

/** Define rather than assign, so a client-chosen key can never reach `Object.prototype` via `__proto__`. */
function safeSet(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Own property by name, case-insensitively (RFC 7644 §3.10), preferring the exact spelling. */
function prop(obj: Json, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}


function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
