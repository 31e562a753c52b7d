// util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression against outputs recorded
// from AWS EvaluateCode (localstack/appsync-utils __tests__/__snapshots__/transform.test.js.snap).
import { describe, expect, it } from 'vitest';
import { toDynamoDBFilterExpression } from '../../../../local/appsync/util/filter-expression.ts';
import { makeUtil } from './helpers.ts';

const { util } = makeUtil();
const render = (filter: unknown) => {
  const out = util.transform.toDynamoDBFilterExpression(filter);
  return out === null ? null : JSON.parse(out);
};

type Case = [string, unknown, string, Record<string, string>, Record<string, unknown>];
const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: n });

const RECORDED: Case[] = [
  ['eq', { v: { eq: 'x' } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': S('x') }],
  ['ne', { v: { ne: 'x' } }, '(#v <> :v_ne)', { '#v': 'v' }, { ':v_ne': S('x') }],
  ['lt', { v: { lt: 'x' } }, '(#v < :v_lt)', { '#v': 'v' }, { ':v_lt': S('x') }],
  ['le', { v: { le: 'x' } }, '(#v <= :v_le)', { '#v': 'v' }, { ':v_le': S('x') }],
  ['gt', { v: { gt: 'x' } }, '(#v > :v_gt)', { '#v': 'v' }, { ':v_gt': S('x') }],
  ['ge', { v: { ge: 'x' } }, '(#v >= :v_ge)', { '#v': 'v' }, { ':v_ge': S('x') }],
  ['number operand', { v: { eq: 10 } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': N(10) }],
  ['fractional operand', { v: { eq: 1.5 } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': N(1.5) }],
  ['boolean operand', { v: { eq: true } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { BOOL: true } }],
  ['null operand', { v: { eq: null } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { NULL: null } }],
  ['object operand', { v: { eq: { a: 1 } } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { M: { a: N(1) } } }],
  ['list operand', { v: { eq: [1, 2] } }, '(#v = :v_eq)', { '#v': 'v' }, { ':v_eq': { L: [N(1), N(2)] } }],
  ['contains', { v: { contains: 'x' } }, '(contains(#v,:v_contains))', { '#v': 'v' }, { ':v_contains': S('x') }],
  ['notContains', { v: { notContains: 'x' } }, '(NOT contains(#v,:v_notContains))', { '#v': 'v' }, { ':v_notContains': S('x') }],
  ['beginsWith', { v: { beginsWith: 'x' } }, '(begins_with(#v,:v_beginsWith))', { '#v': 'v' }, { ':v_beginsWith': S('x') }],
  ['between', { v: { between: ['1', '9'] } }, '(#v BETWEEN :v_between_start AND :v_between_end)', { '#v': 'v' }, { ':v_between_start': S('1'), ':v_between_end': S('9') }],
  ['between numbers', { v: { between: [1, 9] } }, '(#v BETWEEN :v_between_start AND :v_between_end)', { '#v': 'v' }, { ':v_between_start': N(1), ':v_between_end': N(9) }],
  ['between ignores a third bound', { v: { between: ['1', '9', '3'] } }, '(#v BETWEEN :v_between_start AND :v_between_end)', { '#v': 'v' }, { ':v_between_start': S('1'), ':v_between_end': S('9') }],
  ['in', { v: { in: ['a', 'b'] } }, '(#v IN (:v_in_0, :v_in_1))', { '#v': 'v' }, { ':v_in_0': S('a'), ':v_in_1': S('b') }],
  ['in single', { v: { in: ['a'] } }, '(#v IN (:v_in_0))', { '#v': 'v' }, { ':v_in_0': S('a') }],
  ['attributeExists true', { v: { attributeExists: true } }, '(attribute_exists(#v))', { '#v': 'v' }, {}],
  ['attributeExists false', { v: { attributeExists: false } }, '(attribute_not_exists(#v))', { '#v': 'v' }, {}],
  ['size gt', { v: { size: { gt: 2 } } }, '(size(#v) > :v_size_gt)', { '#v': 'v' }, { ':v_size_gt': N(2) }],
  ['size between', { v: { size: { between: [1, 3] } } }, '(size(#v) BETWEEN :v_size_between_start AND :v_size_between_end)', { '#v': 'v' }, { ':v_size_between_start': N(1), ':v_size_between_end': N(3) }],
  ['size contains', { v: { size: { contains: 'x' } } }, '(contains(size(#v),:v_size_contains))', { '#v': 'v' }, { ':v_size_contains': S('x') }],
  ['size attributeExists', { v: { size: { attributeExists: true } } }, '(attribute_exists(size(#v)))', { '#v': 'v' }, {}],
  ['two comparisons on one size', { v: { size: { gt: 2, lt: 5 } } }, '((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))', { '#v': 'v' }, { ':v_size_gt': N(2), ':v_size_lt': N(5) }],
  ['nested size', { v: { size: { size: { gt: 1 } } } }, '(size(#v) > :v_size_size_gt)', { '#v': 'v' }, { ':v_size_size_gt': N(1) }],
  ['two top-level fields', { a: { eq: 1 }, b: { eq: 2 } }, '(#a = :a_eq) AND (#b = :b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': N(1), ':b_eq': N(2) }],
  ['a field with two operators', { v: { ge: 1, le: 5 } }, '((#v >= :v_ge) AND (#v <= :v_le))', { '#v': 'v' }, { ':v_ge': N(1), ':v_le': N(5) }],
  ['and of one member', { and: [{ a: { eq: 1 } }] }, '(#a = :and_0_a_eq)', { '#a': 'a' }, { ':and_0_a_eq': N(1) }],
  ['and of two members', { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, '((#a = :and_0_a_eq) AND (#b = :and_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':and_0_a_eq': N(1), ':and_1_b_eq': N(2) }],
  ['or of two members', { or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, '((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':or_0_a_eq': N(1), ':or_1_b_eq': N(2) }],
  ['not', { not: { a: { eq: 1 } } }, '(NOT (#a = :not_a_eq))', { '#a': 'a' }, { ':not_a_eq': N(1) }],
  ['not of a group', { not: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] } }, '(NOT ((#a = :not_and_0_a_eq) AND (#b = :not_and_1_b_eq)))', { '#a': 'a', '#b': 'b' }, { ':not_and_0_a_eq': N(1), ':not_and_1_b_eq': N(2) }],
  ['not of not', { not: { not: { a: { eq: 1 } } } }, '(NOT (NOT (#a = :not_not_a_eq)))', { '#a': 'a' }, { ':not_not_a_eq': N(1) }],
  ['not inside and', { and: [{ not: { a: { eq: 1 } } }, { b: { eq: 2 } }] }, '((NOT (#a = :and_0_not_a_eq)) AND (#b = :and_1_b_eq))', { '#a': 'a', '#b': 'b' }, { ':and_0_not_a_eq': N(1), ':and_1_b_eq': N(2) }],
  ['and inside or', { or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }, '(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))', { '#a': 'a', '#b': 'b', '#c': 'c' }, { ':or_0_and_0_a_eq': N(1), ':or_0_and_1_b_eq': N(2), ':or_1_c_eq': N(3) }],
  ['or inside and', { and: [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }, '(((#a = :and_0_or_0_a_eq) OR (#b = :and_0_or_1_b_eq)) AND (#c = :and_1_c_eq))', { '#a': 'a', '#b': 'b', '#c': 'c' }, { ':and_0_or_0_a_eq': N(1), ':and_0_or_1_b_eq': N(2), ':and_1_c_eq': N(3) }],
  ['nesting in value names', { and: [{ or: [{ and: [{ a: { eq: 1 } }] }] }] }, '(#a = :and_0_or_0_and_0_a_eq)', { '#a': 'a' }, { ':and_0_or_0_and_0_a_eq': N(1) }],
  ['field beside a group', { a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, '(#a = :a_eq) AND (#b = :and_0_b_eq)', { '#a': 'a', '#b': 'b' }, { ':a_eq': N(1), ':and_0_b_eq': N(2) }],
  ['dotted field name verbatim', { 'a.b': { eq: 1 } }, '(#a.b = :a.b_eq)', { '#a.b': 'a.b' }, { ':a.b_eq': N(1) }],
  ['empty filter', {}, '', {}, {}],
  ['empty group', { and: [] }, '', {}, {}],
  ['field without operators keeps its name', { v: {} }, '', { '#v': 'v' }, {}],
  ['size without operators', { v: { size: {} } }, '', { '#v': 'v' }, {}],
  ['not of empty', { not: {} }, '(NOT )', {}, {}],
  ['empty in list', { v: { in: [] } }, '(null)', { '#v': 'v' }, {}],
  ['empty field beside a comparison', { a: { eq: 1 }, b: {} }, '(#a = :a_eq) AND ', { '#a': 'a', '#b': 'b' }, { ':a_eq': N(1) }],
  ['empty member of a group', { and: [{ a: { eq: 1 } }, {}] }, '((#a = :and_0_a_eq) AND )', { '#a': 'a' }, { ':and_0_a_eq': N(1) }],
  ['Amplify update guard', { and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }] }, '((attribute_exists(#id)) AND (#_version = :and_1__version_eq))', { '#id': 'id', '#_version': '_version' }, { ':and_1__version_eq': N(1) }],
  ['Amplify prefix or range', { or: [{ content: { beginsWith: 'a' } }, { id: { between: ['1', '9'] } }] }, '((begins_with(#content,:or_0_content_beginsWith)) OR (#id BETWEEN :or_1_id_between_start AND :or_1_id_between_end))', { '#content': 'content', '#id': 'id' }, { ':or_0_content_beginsWith': S('a'), ':or_1_id_between_start': S('1'), ':or_1_id_between_end': S('9') }],
];

describe('toDynamoDBFilterExpression, as recorded from AWS', () => {
  it.each(RECORDED)('%s', (_name, filter, expression, expressionNames, expressionValues) => {
    expect(render(filter)).toEqual({ expression, expressionNames, expressionValues });
  });

  it('every attributeType name becomes its DynamoDB type code', () => {
    const names = ['_null', 'string', 'stringSet', 'number', 'numberSet', 'binary', 'binarySet', 'boolean', 'list', 'map'];
    const codes = ['NULL', 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'L', 'M'];
    const fields = 'abcdefghij'.split('');
    const out = render(Object.fromEntries(fields.map((f, i) => [f, { attributeType: names[i] }])));
    expect(out.expression).toBe(fields.map((f) => `(attribute_type(#${f},:${f}_attributeType))`).join(' AND '));
    fields.forEach((f, i) => expect(out.expressionValues[`:${f}_attributeType`]).toEqual({ S: codes[i] }));
  });

  it('the result is the JSON string AWS returns', () => {
    expect(util.transform.toDynamoDBConditionExpression({ and: [{ id: { attributeExists: false } }] }))
      .toBe('{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}');
  });

  it('both entry points render alike', () => {
    for (const filter of [{ content: { eq: 'x' } }, { not: { id: { between: ['1', '9'] } } }]) {
      expect(util.transform.toDynamoDBConditionExpression(filter)).toBe(util.transform.toDynamoDBFilterExpression(filter));
    }
  });
});

describe('filters AWS answers with null', () => {
  it.each([
    ['no filter', undefined],
    ['null', null],
    ['an array', []],
    ['a string', 'string'],
    ['an unknown operator', { v: { foo: 1 } }],
    ['a value instead of operators', { v: 'x' }],
    ['a field nested in a field', { a: { b: { eq: 1 } } }],
    ['an and given a map', { and: { a: { eq: 1 } } }],
    ['an and given null', { and: null }],
    ['a null group member', { and: [{ a: { eq: 1 } }, null] }],
    ['a not given a list', { not: [{ a: { eq: 1 } }] }],
    ['a range with a single bound', { v: { between: [1] } }],
    ['a range that is not a list', { v: { between: 'x' } }],
    ['an in that is not a list', { v: { in: 'x' } }],
    ['attributeExists not boolean', { v: { attributeExists: 'yes' } }],
    ['attributeType given a code', { v: { attributeType: 'S' } }],
    ['attributeType unknown', { v: { attributeType: 'bogus' } }],
    ['size given a value', { v: { size: 3 } }],
  ])('%s', (_name, filter) => {
    expect(toDynamoDBFilterExpression(filter)).toBeNull();
  });
});
