/** A JSON object (not null, not an array): what SCIM resources, elements and PATCH values are. */
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A deep copy of a JSON value (objects, arrays, primitives), e.g. a rendered resource about to be patched in
 * place. Several times faster than `structuredClone`, which serialises through V8's value serializer; a
 * `__proto__` key stays an own property of the copy.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = cloneJson((value as JsonObject)[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}
