/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): trims a resource before it is returned.
 *
 * Names are resolved through the schema, so they are case-insensitive and may carry a schema URN prefix
 * (RFC 7643 §2.1, RFC 7644 §3.10); output keys keep their canonical casing because they come from the resource.
 * Unknown names are ignored rather than rejected: Entra asks for attributes we may not store.
 */
import { type AttributeDef, EXTENSION_ATTRIBUTES, EXTENSION_SCHEMA, resolveAttributePath, USER_ATTRIBUTES, USER_SCHEMA } from './schema';
import { isObject } from './json';

type Obj = Record<string, unknown>;

export interface ProjectionOptions {
  attributes?: string;
  excludedAttributes?: string;
}

/** Per container (resource root or extension object): attribute name → the sub-attributes named, or 'all'. */
type Selection = Map<string, Map<string, Set<string> | 'all'>>;

/** A name equal to a whole schema URN selects that extension object (RFC 7644 §3.10 "urn:…:User"). */
const EXTENSION_SCHEMAS = [EXTENSION_SCHEMA];

/**
 * Never mutates `resource`. The result shares every value it does not change with `resource` (no deep copy: a
 * page of 100 users spent most of its CPU cloning), and without a projection it is `resource` itself — callers
 * pass a resource rendered for this response (`UserService.render`), and only serialise what comes back.
 */
export function project(resource: Obj, opts: ProjectionOptions): Obj {
  // The common case (no parameters) on every resource of a page: nothing to parse. Without it the same resource
  // comes back, after parsing two empty lists.
  // Stryker disable next-line ConditionalExpression: a fast path, equivalent by construction (see above)
  if (!opts.attributes && !opts.excludedAttributes) return resource;
  const include = parseList(opts.attributes);
  const exclude = parseList(opts.excludedAttributes);
  let out = resource;
  if (include) out = keepOnly(out, include);
  if (exclude) out = withoutListed(out, exclude);
  return out;
}

/** Parse a comma-separated list; undefined when empty (= no projection). */
function parseList(param: string | undefined): Selection | undefined {
  const names = (param ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return undefined;
  const sel: Selection = new Map();
  for (const name of names) {
    const wholeSchema = EXTENSION_SCHEMAS.find((s) => s.toLowerCase() === name.toLowerCase());
    if (wholeSchema) {
      containerOf(sel, USER_SCHEMA).set(wholeSchema, 'all');
      continue;
    }
    const r = resolveAttributePath(name);
    if (!r) continue;
    const attrs = containerOf(sel, r.schema);
    const prev = attrs.get(r.def.name);
    if (!r.subName) attrs.set(r.def.name, 'all');
    else if (prev !== 'all') attrs.set(r.def.name, new Set([...(prev ?? []), r.subName]));
  }
  return sel;
}

function containerOf(sel: Selection, schema: string): Map<string, Set<string> | 'all'> {
  let m = sel.get(schema);
  if (!m) sel.set(schema, (m = new Map()));
  return m;
}

/** `attributes=`: the listed attributes plus `schemas` and everything `returned: "always"` (id). */
function keepOnly(res: Obj, sel: Selection): Obj {
  const out = pick(res, sel.get(USER_SCHEMA), USER_ATTRIBUTES);
  if (Object.hasOwn(res, 'schemas')) out.schemas = res.schemas;
  const ext = res[EXTENSION_SCHEMA];
  const extSel = sel.get(EXTENSION_SCHEMA);
  if (isObject(ext) && extSel && !out[EXTENSION_SCHEMA]) {
    const picked = pick(ext, extSel, EXTENSION_ATTRIBUTES);
    if (Object.keys(picked).length > 0) out[EXTENSION_SCHEMA] = picked;
  }
  // Restore the resource's key order so responses look the same with or without projection.
  return Object.fromEntries(Object.keys(res).filter((k) => Object.hasOwn(out, k)).map((k) => [k, out[k]]));
}

function pick(container: Obj, wanted: Map<string, Set<string> | 'all'> | undefined, defs: AttributeDef[]): Obj {
  const out: Obj = {};
  for (const def of defs) {
    if (def.returned === 'always' && Object.hasOwn(container, def.name)) out[def.name] = container[def.name];
  }
  for (const [name, subs] of wanted ?? []) {
    if (!Object.hasOwn(container, name)) continue;
    const value = container[name];
    if (subs === 'all') out[name] = value;
    else {
      const trimmed = mapComplex(value, (el) => Object.fromEntries(Object.entries(el).filter(([k]) => subs.has(k))));
      if (trimmed !== undefined) out[name] = trimmed;
    }
  }
  return out;
}

/**
 * `excludedAttributes=`: drop the listed attributes, never `schemas` or `returned: "always"` ones. Returns a
 * shallow copy (and copies of the containers it edits): `res` and its values are left as they are.
 */
function withoutListed(input: Obj, sel: Selection): Obj {
  const res: Obj = { ...input };
  for (const [schema, attrs] of sel) {
    if (schema !== USER_SCHEMA && !isObject(res[schema])) continue;
    const container: Obj = schema === USER_SCHEMA ? res : (res[schema] = { ...(res[schema] as Obj) });
    for (const [name, subs] of attrs) {
      if (!Object.hasOwn(container, name) || isAlways(schema, name)) continue;
      if (subs === 'all') {
        delete container[name];
        continue;
      }
      const trimmed = mapComplex(container[name], (el) => Object.fromEntries(Object.entries(el).filter(([k]) => !subs.has(k))));
      if (trimmed === undefined) delete container[name];
      else container[name] = trimmed;
    }
    if (schema !== USER_SCHEMA && Object.keys(container).length === 0) delete res[schema];
  }
  return res;
}

function isAlways(schema: string, name: string): boolean {
  if (schema !== USER_SCHEMA) return false;
  return USER_ATTRIBUTES.some((d) => d.name === name && d.returned === 'always');
}

/**
 * Apply `f` to a complex value or to each element of a multi-valued one, dropping results that became empty;
 * undefined when nothing is left (so `name: {}` / `emails: []` never appear).
 */
function mapComplex(value: unknown, f: (el: Obj) => Obj): unknown {
  if (Array.isArray(value)) {
    const els = value.filter(isObject).map(f).filter((el) => Object.keys(el).length > 0);
    return els.length > 0 ? els : undefined;
  }
  if (!isObject(value)) return undefined;
  const el = f(value);
  return Object.keys(el).length > 0 ? el : undefined;
}

