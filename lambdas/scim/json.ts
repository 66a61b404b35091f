/** A JSON object (not null, not an array): what SCIM resources, elements and PATCH values are. */
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
