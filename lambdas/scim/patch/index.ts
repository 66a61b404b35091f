/** SCIM PATCH (RFC 7644 §3.5.2) for stored Users: path parsing and the atomic apply engine. */
export { applyPatch, readOperations, MAX_OPERATIONS, type PatchOperation } from './apply';
export { parsePath, type PatchPath } from './path';
