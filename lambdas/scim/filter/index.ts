/** SCIM filter support (RFC 7644 §3.4.2.2): parse, evaluate, and mine for an indexable equality. */
export type { AttrPath, CompareOp, FilterNode, FilterValue } from './ast';
export { parseFilter, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './parser';
export { matches, matchesElement } from './evaluate';
export { findIndexableEquality, type IndexHint, type IndexKey } from './index-hint';
export { MAX_FILTER_SCAN, MAX_FILTER_WORK, comparisons, scanBudget } from './cost';
