// util.transform.toSubscriptionFilter. Behaviour recorded from AWS EvaluateCode (localstack/
// appsync-utils transform-subscription snapshots): every operator of a field, every member of an
// `or` and every rule is an alternative, so the groups multiply out (earlier keys vary slowest);
// `and` members and sibling fields are combined; operators and `not` are not interpreted (`not` is
// a field name); empty groups are dropped; a non-object filter gives null. A field with no operators
// contributes no alternative, which empties the product ({a:{}} gives no group, as recorded).
import { isPlainObject } from './errors.ts';
import type { SubscriptionFilter } from '../runtime/state.ts';

type Entry = { fieldName: string; operator: string; value: unknown };
type Groups = Entry[][];

/** Bound on the multiplied-out groups: a filter beyond this cannot be a valid AppSync filter anyway. */
const MAX_GROUPS = 1000;
const MAX_DEPTH = 32;

class Unreadable extends Error {}

function cross(left: Groups, right: Groups): Groups {
  const out: Groups = [];
  for (const l of left) {
    for (const r of right) {
      out.push([...l, ...r]);
      if (out.length > MAX_GROUPS) throw new Unreadable();
    }
  }
  return out;
}

function fieldAlternatives(name: string, ops: unknown): Groups {
  if (!isPlainObject(ops)) throw new Unreadable();
  return Object.entries(ops)
    .filter(([, value]) => value !== undefined)
    .map(([operator, value]) => [{ fieldName: name, operator, value }]);
}

function expand(filter: unknown, ignored: Set<string>, depth: number): Groups {
  if (!isPlainObject(filter) || depth > MAX_DEPTH) throw new Unreadable();
  let groups: Groups = [[]];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new Unreadable();
      if (key === 'and') {
        for (const member of value) groups = cross(groups, expand(member, ignored, depth + 1));
      } else {
        groups = cross(groups, value.flatMap((member) => expand(member, ignored, depth + 1)));
      }
    } else if (!ignored.has(key)) {
      groups = cross(groups, fieldAlternatives(key, value));
    }
  }
  return groups;
}

export function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  const ignored = new Set(Array.isArray(ignoredFields) ? ignoredFields.filter((f) => typeof f === 'string') : []);
  try {
    let groups = expand(filter, ignored, 0);
    if (isPlainObject(rules)) {
      const alternatives = Object.entries(rules).flatMap(([name, ops]) => fieldAlternatives(name, ops));
      if (alternatives.length > 0) groups = cross(groups, alternatives);
    }
    const filterGroup = groups.filter((g) => g.length > 0).map((filters) => ({ filters }));
    return { filterGroup } as SubscriptionFilter;
  } catch (err) {
    if (err instanceof Unreadable) return null;
    throw err;
  }
}
