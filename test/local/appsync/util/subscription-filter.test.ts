// util.transform.toSubscriptionFilter against outputs recorded from AWS EvaluateCode
// (localstack/appsync-utils __tests__/__snapshots__/transform-subscription.test.js.snap).
import { describe, expect, it } from 'vitest';
import { makeUtil } from './helpers.ts';

const { util } = makeUtil();
const f = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });
const groups = (...gs: unknown[][]) => ({ filterGroup: gs.map((filters) => ({ filters })) });

describe('toSubscriptionFilter, as recorded from AWS', () => {
  it.each<[string, unknown[], unknown]>([
    ['one operator', [{ a: { eq: 1 } }], groups([f('a', 'eq', 1)])],
    ['two fields', [{ a: { eq: 1 }, b: { eq: 2 } }], groups([f('a', 'eq', 1), f('b', 'eq', 2)])],
    ['an and combines', [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }], groups([f('a', 'eq', 1), f('b', 'eq', 2)])],
    ['a field beside an and', [{ z: { eq: 0 }, and: [{ a: { eq: 1 } }] }], groups([f('z', 'eq', 0), f('a', 'eq', 1)])],
    ['a field path kept as written', [{ 'loc.addr.country': { eq: 'USA' } }], groups([f('loc.addr.country', 'eq', 'USA')])],
    ['two operators are alternatives', [{ a: { eq: 1, ne: 2 } }], groups([f('a', 'eq', 1)], [f('a', 'ne', 2)])],
    ['an or splits', [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }], groups([f('a', 'eq', 1)], [f('b', 'eq', 2)])],
    ['an or nested in an and', [{ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] }],
      groups([f('a', 'eq', 1), f('b', 'eq', 2)], [f('a', 'eq', 1), f('c', 'eq', 3)])],
    ['membership', [{ a: { in: [1, 2] }, b: { notIn: ['x'] } }], groups([f('a', 'in', [1, 2]), f('b', 'notIn', ['x'])])],
    ['between', [{ a: { between: [1, 9] } }], groups([f('a', 'between', [1, 9])])],
    ['containsAny', [{ a: { containsAny: ['x', 'y'] } }], groups([f('a', 'containsAny', ['x', 'y'])])],
    ['a boolean value', [{ a: { eq: false } }], groups([f('a', 'eq', false)])],
    ['an unknown operator passes through', [{ a: { bogus: 1 } }], groups([f('a', 'bogus', 1)])],
    ['not is a field name', [{ not: { a: { eq: 1 } } }], groups([f('not', 'a', { eq: 1 })])],
    ['ignored field dropped', [{ a: { eq: 1 }, b: { eq: 2 } }, ['a']], groups([f('b', 'eq', 2)])],
    ['ignored field nested in an and', [{ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ['b']], groups([f('a', 'eq', 1)])],
    ['rules are alternatives', [{ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: 'p' } }],
      groups([f('a', 'eq', 1), f('r1', 'gte', 250)], [f('a', 'eq', 1), f('r2', 'eq', 'p')])],
    ['rules on their own', [{}, [], { r1: { eq: 1 } }], groups([f('r1', 'eq', 1)])],
    // rules are optional (AWS docs: an object "included when constructing" the filter): empty adds nothing.
    ['empty rules leave the filter as it is', [{ a: { eq: 1 } }, [], {}], groups([f('a', 'eq', 1)])],
    ['an empty filter', [{}], { filterGroup: [] }],
    ['a field with no operator', [{ a: {} }], { filterGroup: [] }],
    ['an empty and', [{ and: [] }], { filterGroup: [] }],
    ['null', [null], null],
    ['no filter', [], null],
    ['an array', [[]], null],
    ['a JSON string', ['{"a":{"eq":1}}'], null],
  ])('%s', (_name, args, expected) => {
    expect(util.transform.toSubscriptionFilter(...args)).toEqual(expected);
  });

  it('operators and groups multiply out, earlier keys varying slowest (AWS docs example)', () => {
    const out = util.transform.toSubscriptionFilter({
      percentageUp: { lte: 50, gte: 20 },
      and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }],
      or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
    });
    const common = [f('title', 'ne', 'Book1'), f('downvotes', 'gt', 2000)];
    expect(out).toEqual(groups(
      [f('percentageUp', 'lte', 50), ...common, f('author', 'eq', 'Admin')],
      [f('percentageUp', 'lte', 50), ...common, f('isPublished', 'eq', false)],
      [f('percentageUp', 'gte', 20), ...common, f('author', 'eq', 'Admin')],
      [f('percentageUp', 'gte', 20), ...common, f('isPublished', 'eq', false)],
    ));
  });
});
