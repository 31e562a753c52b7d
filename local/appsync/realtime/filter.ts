// Enhanced subscription filters (extensions.setSubscriptionFilter): filterGroup entries are ORed,
// the conditions inside each `filters` list are ANDed. Limits as AppSync enforces them.
import type { SubscriptionFilter, SubscriptionFilterOperator } from '../runtime/state.ts';

export const FILTER_LIMITS = {
  groups: 10,
  conditionsPerGroup: 5,
  inValues: 5,
  containsAnyValues: 20,
  fieldDepth: 5,
  fieldNameChars: 256,
};

/** null when the filter is acceptable, else the reason AppSync would refuse it. */
export function filterProblem(filter: SubscriptionFilter): string | null {
  if (!filter || !Array.isArray(filter.filterGroup) || filter.filterGroup.length === 0) {
    return 'A subscription filter needs a non-empty filterGroup';
  }
  if (filter.filterGroup.length > FILTER_LIMITS.groups) {
    return `A subscription filter has at most ${FILTER_LIMITS.groups} filter groups`;
  }
  for (const group of filter.filterGroup) {
    if (!group || !Array.isArray(group.filters) || group.filters.length === 0) return 'Each filter group needs a non-empty filters list';
    if (group.filters.length > FILTER_LIMITS.conditionsPerGroup) {
      return `A filter group has at most ${FILTER_LIMITS.conditionsPerGroup} filters`;
    }
    for (const f of group.filters) {
      if (typeof f.fieldName !== 'string' || f.fieldName.length === 0) return 'A filter needs a fieldName';
      if (f.fieldName.length > FILTER_LIMITS.fieldNameChars) return `fieldName ${f.fieldName.slice(0, 40)}… is longer than ${FILTER_LIMITS.fieldNameChars} characters`;
      if (f.fieldName.split('.').length > FILTER_LIMITS.fieldDepth) return `fieldName ${f.fieldName} nests deeper than ${FILTER_LIMITS.fieldDepth} levels`;
      if ((f.operator === 'in' || f.operator === 'notIn') && (!Array.isArray(f.value) || f.value.length > FILTER_LIMITS.inValues)) {
        return `${f.operator} on ${f.fieldName} takes a list of at most ${FILTER_LIMITS.inValues} values`;
      }
      if (f.operator === 'containsAny' && (!Array.isArray(f.value) || f.value.length > FILTER_LIMITS.containsAnyValues)) {
        return `containsAny on ${f.fieldName} takes a list of at most ${FILTER_LIMITS.containsAnyValues} values`;
      }
      if (f.operator === 'between' && (!Array.isArray(f.value) || f.value.length !== 2)) {
        return `between on ${f.fieldName} takes a list of two values`;
      }
    }
  }
  return null;
}

function valueAt(payload: unknown, path: string): unknown {
  let current: unknown = payload;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function ordered(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function contains(container: unknown, value: unknown): boolean {
  if (typeof container === 'string' && typeof value === 'string') return container.includes(value);
  if (Array.isArray(container)) return container.some((item) => same(item, value));
  return false;
}

function test(actual: unknown, operator: SubscriptionFilterOperator, value: unknown): boolean {
  switch (operator) {
    case 'eq':
      return same(actual, value);
    case 'ne':
      return !same(actual, value);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const c = ordered(actual, value);
      if (c === null) return false;
      return operator === 'lt' ? c < 0 : operator === 'le' ? c <= 0 : operator === 'gt' ? c > 0 : c >= 0;
    }
    case 'contains':
      return contains(actual, value);
    case 'notContains':
      return actual !== undefined && actual !== null && !contains(actual, value);
    case 'beginsWith':
      return typeof actual === 'string' && typeof value === 'string' && actual.startsWith(value);
    case 'in':
      return Array.isArray(value) && value.some((v) => same(actual, v));
    case 'notIn':
      return Array.isArray(value) && !value.some((v) => same(actual, v));
    case 'between': {
      if (!Array.isArray(value)) return false;
      const lo = ordered(actual, value[0]);
      const hi = ordered(actual, value[1]);
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    case 'containsAny':
      return Array.isArray(value) && value.some((v) => contains(actual, v));
    default:
      // AppSync accepts an unknown operator and it never matches (APPSYNC-NOTES §5).
      return false;
  }
}

export function matchesFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  return filter.filterGroup.some((group) => group.filters.every((f) => test(valueAt(payload, f.fieldName), f.operator, f.value)));
}
