// The `extensions` global. Each method is legal only where AppSync allows it (extensions.html):
// subscription filters in a subscription resolver's response handler, invalidateSubscriptions in a
// mutation resolver's response handler (at most 5 distinct calls per GraphQL request),
// evictFromApiCache in mutations.
// An illegal call fails like util.error, with a message naming the rule.
import type { EvaluationState, SubscriptionFilter } from '../runtime/state.ts';
import { isPlainObject, utilFailure } from './errors.ts';

export const MAX_INVALIDATIONS = 5;
// Limits for enhanced filters as collected in APPSYNC-NOTES §5. Unknown operators are kept: AppSync
// accepts them and they simply never match (APPSYNC-NOTES §5), which the matcher reproduces.
const MAX_IN_VALUES = 5;
const MAX_CONTAINS_ANY_VALUES = 20;
const MAX_FIELD_DEPTH = 5;
const MAX_FIELD_LENGTH = 256;

function requireHandler(state: EvaluationState, method: string, parentTypeName: string, kind: 'request' | 'response' | 'any'): void {
  const here = state.handler;
  if (here.parentTypeName !== parentTypeName || (kind !== 'any' && here.kind !== kind)) {
    const where = kind === 'any' ? `a ${parentTypeName} resolver` : `the ${kind} handler of a ${parentTypeName} resolver`;
    utilFailure(`extensions.${method} can only be used in ${where}`);
  }
}

function validateFilter(method: string, filter: unknown): SubscriptionFilter {
  const invalid = (why: string): never => utilFailure(`extensions.${method}: invalid filter: ${why}`);
  if (!isPlainObject(filter) || !Array.isArray(filter.filterGroup)) return invalid('expected {filterGroup: [...]}');
  for (const group of filter.filterGroup) {
    if (!isPlainObject(group) || !Array.isArray(group.filters)) return invalid('each filterGroup entry needs a filters list');
    for (const f of group.filters) {
      if (!isPlainObject(f) || typeof f.fieldName !== 'string' || typeof f.operator !== 'string') {
        return invalid('each filter needs fieldName and operator');
      }
      if (f.fieldName.length > MAX_FIELD_LENGTH || f.fieldName.split('.').length > MAX_FIELD_DEPTH) {
        invalid(`field name '${f.fieldName.slice(0, 40)}' is too long or too deeply nested`);
      }
      const list = ['in', 'notIn', 'between', 'containsAny'].includes(f.operator);
      if (list && !Array.isArray(f.value)) invalid(`operator '${f.operator}' needs a list value`);
      if (f.operator === 'between' && (f.value as unknown[]).length !== 2) invalid("'between' needs exactly two values");
      if ((f.operator === 'in' || f.operator === 'notIn') && (f.value as unknown[]).length > MAX_IN_VALUES) {
        invalid(`'${f.operator}' takes at most ${MAX_IN_VALUES} values`);
      }
      if (f.operator === 'containsAny' && (f.value as unknown[]).length > MAX_CONTAINS_ANY_VALUES) {
        invalid(`'containsAny' takes at most ${MAX_CONTAINS_ANY_VALUES} values`);
      }
    }
  }
  // A structured copy: the sandbox's object must not be shared with the executor.
  return JSON.parse(JSON.stringify(filter)) as SubscriptionFilter;
}

export function createExtensions(state: EvaluationState): Record<string, unknown> {
  return {
    evictFromApiCache: (typeName: unknown, fieldName: unknown, keyValues: unknown) => {
      requireHandler(state, 'evictFromApiCache', 'Mutation', 'any');
      if (typeof typeName !== 'string' || typeof fieldName !== 'string' || !isPlainObject(keyValues)) {
        utilFailure('extensions.evictFromApiCache expects (typeName, fieldName, keyValuePair)');
      }
      state.evictions.push({ typeName, fieldName, keyValues: JSON.parse(JSON.stringify(keyValues)) });
    },
    setSubscriptionFilter: (filter: unknown) => {
      requireHandler(state, 'setSubscriptionFilter', 'Subscription', 'response');
      state.subscriptionFilter = validateFilter('setSubscriptionFilter', filter);
    },
    setSubscriptionInvalidationFilter: (filter: unknown) => {
      requireHandler(state, 'setSubscriptionInvalidationFilter', 'Subscription', 'response');
      state.subscriptionInvalidationFilter = validateFilter('setSubscriptionInvalidationFilter', filter);
    },
    invalidateSubscriptions: (invalidation: unknown) => {
      requireHandler(state, 'invalidateSubscriptions', 'Mutation', 'response');
      if (!isPlainObject(invalidation) || typeof invalidation.subscriptionField !== 'string' || !isPlainObject(invalidation.payload)) {
        utilFailure('extensions.invalidateSubscriptions expects {subscriptionField, payload}');
      }
      const entry = { subscriptionField: invalidation.subscriptionField, payload: JSON.parse(JSON.stringify(invalidation.payload)) };
      const key = JSON.stringify(entry);
      // The limit counts distinct calls across the whole GraphQL request (every field, every
      // handler of a pipeline); repeating an identical call adds nothing.
      const made = state.request.invalidations;
      if (made.has(key)) return;
      if (made.size >= MAX_INVALIDATIONS) {
        utilFailure(`extensions.invalidateSubscriptions can be called at most ${MAX_INVALIDATIONS} times per request`);
      }
      made.add(key);
      state.invalidations.push(entry);
    },
  };
}
