/**
 * RFC 7644 §3.4.2.2 filter AST. The tokenizer → parser produce it, the evaluator walks it, the user service
 * mines it for indexable equality (so Entra's lookups are answered from sentinel items, never a scan).
 */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A literal as written: quoted string, number, true/false/null, or an unquoted word (an Entra quirk). */
export type FilterValue = string | number | boolean | null;

/** An attribute path as written in the filter: optional schema URN, attribute, optional sub-attribute. */
export interface AttrPath {
  schema?: string;
  attr: string;
  sub?: string;
}

export type FilterNode =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue; /** raw text of an unquoted value */ raw?: string }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and'; left: FilterNode; right: FilterNode }
  | { kind: 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; filter: FilterNode }
  /** attr[filter] or attr[filter].sub used inside a filter, e.g. emails[type eq "work" and value co "@x"] */
  | { kind: 'valuePath'; path: AttrPath; filter: FilterNode };

/** The path as one string (`urn:…:User:emails.value`), the form the schema resolves. */
export const pathText = (p: AttrPath): string => `${p.schema ? `${p.schema}:` : ''}${p.attr}${p.sub !== undefined ? `.${p.sub}` : ''}`;
