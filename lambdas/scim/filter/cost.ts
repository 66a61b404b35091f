/**
 * What a filter that no key answers may cost per request (issue 13). Such a filter is evaluated user by user, and
 * each user is a read (~1 KB of a strongly consistent Query) plus one evaluation per comparison: both are bounded,
 * so no filter can run a request past its deadline or its fair share of the table, whatever the account's size.
 */
import type { FilterNode } from './ast';

/** The most users one request evaluates a non-indexed filter on (about 250 RCU with Entra-sized users). */
export const MAX_FILTER_SCAN = 1000;

/** Comparisons × users one request may evaluate: 50 comparisons over 1,000 users, or 1 over 1,000. */
export const MAX_FILTER_WORK = 50_000;

/** The comparisons (`eq`, `co`, `pr`, …) a filter evaluates per user, value-path filters included. */
export function comparisons(node: FilterNode): number {
  switch (node.kind) {
    case 'compare':
    case 'present':
      return 1;
    case 'and':
    case 'or':
      return comparisons(node.left) + comparisons(node.right);
    case 'not':
    case 'valuePath':
      return comparisons(node.filter);
  }
}

/** How many users one request may evaluate `filter` on: MAX_FILTER_SCAN, fewer for filters with many comparisons. */
export const scanBudget = (filter: FilterNode): number => Math.max(1, Math.min(MAX_FILTER_SCAN, Math.floor(MAX_FILTER_WORK / comparisons(filter))));
