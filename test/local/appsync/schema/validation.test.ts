// Document validation and variable checks in AppSync's (graphql-java's) wording, message for message.
import { describe, expect, it } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { buildAppSyncSchemaFromSDL } from '../../../../local/appsync/schema/build.ts';
import { VALIDATION_ABORTED_MESSAGE, validateDocument } from '../../../../local/appsync/schema/validation.ts';
import { checkVariables } from '../../../../local/appsync/schema/variables.ts';

const sdl = `${readFileSync('schema/appsync.graphql', 'utf8')}
input Inner { a: Int }
input Outer { inner: Inner, b: Int }
type Item { id: ID!, name: String, tags: [String], related(n: Int!): Item }
type Query {
  item(id: ID!): Item
  items: [Item]
  count(n: Int!): Int
  find(outer: Outer): Item
}`;
const { schema } = buildAppSyncSchemaFromSDL(sdl, 'API_KEY');

const messages = (query: string): string[] => validateDocument(schema, parse(query)).map((e) => e.message);

describe('validation messages', () => {
  it('VariableTypeMismatch: the variable type first, then the expected one, at the field using the variable', () => {
    expect(messages('query Q($id: String) { item(id: $id) { id } }')).toEqual([
      "Validation error of type VariableTypeMismatch: Variable type 'String' doesn't match expected type 'ID!' @ 'item'",
    ]);
    expect(messages('query Q($id: ID) { item(id: $id) { id } }')).toEqual([
      "Validation error of type VariableTypeMismatch: Variable type 'ID' doesn't match expected type 'ID!' @ 'item'",
    ]);
    expect(messages('query Q($n: Int) { item(id: "1") { related(n: $n) { id } } }')).toEqual([
      "Validation error of type VariableTypeMismatch: Variable type 'Int' doesn't match expected type 'Int!' @ 'item/related'",
    ]);
  });

  it('WrongType for a field not in the input type names the object holding it, not the field', () => {
    expect(messages('{ find(outer: {b: 1, extra: 2}) { id } }')).toEqual([
      "Validation error of type WrongType: argument 'outer' with value 'ObjectValue{objectFields=[ObjectField{name='b', value=IntValue{value=1}}, ObjectField{name='extra', value=IntValue{value=2}}]}' contains a field not in 'Outer': 'extra' @ 'find'",
    ]);
    expect(messages('{ find(outer: {inner: {a: 1, zz: 2}}) { id } }')).toEqual([
      "Validation error of type WrongType: argument 'outer.inner' with value 'ObjectValue{objectFields=[ObjectField{name='a', value=IntValue{value=1}}, ObjectField{name='zz', value=IntValue{value=2}}]}' contains a field not in 'Inner': 'zz' @ 'find'",
    ]);
  });

  it.each([
    ['UnknownArgument', '{ item(id: "1", foo: 1) { id } }', "Validation error of type UnknownArgument: Unknown field argument foo @ 'item'"],
    ['SubSelectionNotAllowed', '{ item(id: "1") { name { x } } }', "Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type String of field name @ 'item/name'"],
    ['SubSelectionNotAllowed (list)', '{ item(id: "1") { tags { x } } }', "Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type null of field tags @ 'item/tags'"],
    ['SubSelectionRequired', '{ item(id: "1") }', "Validation error of type SubSelectionRequired: Sub selection required for type Item of field item @ 'item'"],
    // graphql-java names a list or non-null type by its name, which a wrapper does not have.
    ['SubSelectionRequired (list)', '{ items }', "Validation error of type SubSelectionRequired: Sub selection required for type null of field items @ 'items'"],
    ['UnknownType', 'query Q($x: Nope) { count(n: $x) }', 'Validation error of type UnknownType: Unknown type Nope'],
    ['UndefinedVariable', 'query Q { count(n: $n) }', "Validation error of type UndefinedVariable: Undefined variable n @ 'count'"],
    ['UndefinedVariable (nested)', '{ item(id: "1") { related(n: $n) { id } } }', "Validation error of type UndefinedVariable: Undefined variable n @ 'item/related'"],
    ['UnusedVariable', 'query Q($n: Int) { count(n: 1) }', 'Validation error of type UnusedVariable: Unused variable n'],
  ])('%s', (_type, query, message) => {
    expect(messages(query)).toEqual([message]);
  });
});

describe('variable checks', () => {
  const check = (query: string, inputs: Record<string, unknown>) =>
    checkVariables(schema, parse(query).definitions[0] as OperationDefinitionNode, inputs).map((e) => e.message);

  it('lets the default stand in for an omitted non-null variable, but not for an explicit null', () => {
    const query = 'query Q($n: Int! = 5) { count(n: $n) }';
    expect(check(query, {})).toEqual([]);
    expect(check(query, { n: null })).toEqual(["Variable 'n' has coerced Null value for NonNull type 'Int!'"]);
    expect(check('query Q($n: Int!) { count(n: $n) }', {})).toEqual(["Variable 'n' has coerced Null value for NonNull type 'Int!'"]);
  });

  it('says plainly why graphql-js gave up comparing a thousand repeats of one field, instead of "Validation aborted."', () => {
    expect(messages(`{ ${'items { id name } '.repeat(1000)} }`)).toEqual([VALIDATION_ABORTED_MESSAGE]);
    // Far below graphql-js's budget, repeats are merged and valid.
    expect(messages(`{ ${'items { id name } '.repeat(50)} }`)).toEqual([]);
  });
});
