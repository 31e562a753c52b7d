// The grammar-depth guard on the document's text (local/appsync/http/nesting.ts): its count per
// nesting level and where it stops counting (comments, strings), checked on the text alone.
import { describe, expect, it } from 'vitest';
import { MAX_RULE_DEPTH, nestingError } from '../../../../local/appsync/http/nesting.ts';

/** 3 rules at the top, 3 per `{` or `(`, 2 per `[`: `braces` of `{` and `lists` of `[` reach this. */
const rulesOf = (braces: number, lists: number) => 3 + 3 * braces + 2 * lists;
const nested = (braces: number, lists = 0, inner = '') => `${'{'.repeat(braces)}${'['.repeat(lists)}${inner}${']'.repeat(lists)}${'}'.repeat(braces)}`;

describe('nestingError', () => {
  it(`allows exactly ${MAX_RULE_DEPTH} rules and refuses one level more, counting a list as 2 rules and a selection as 3`, () => {
    expect(rulesOf(165, 1)).toBe(MAX_RULE_DEPTH);
    expect(nestingError(nested(165, 1))).toBeNull();
    expect(rulesOf(165, 2)).toBe(MAX_RULE_DEPTH + 2);
    expect(nestingError(nested(165, 2))).toMatchObject({ locations: [{ line: 1, column: 167, sourceName: null }] });
    expect(nestingError(nested(166))).not.toBeNull();
  });

  it('counts depth, not breadth: closed selections, arguments and lists give their rules back', () => {
    const siblings = Array.from({ length: 300 }, (_, i) => `f${i}(a: [1], b: [[2]]) { x { y } }`).join(' ');
    expect(nestingError(`query { ${siblings} }`)).toBeNull();
  });

  it('does not count brackets in comments or strings, block strings and escaped quotes included', () => {
    const deep = '{'.repeat(200);
    const wrap = (inner: string) => `query { a(x: ${inner}) { id } }`;
    expect(nestingError(`query { # ${deep}\n a { id } }`)).toBeNull();
    expect(nestingError(wrap(`"${deep}"`))).toBeNull();
    expect(nestingError(wrap(`"\\"${deep}"`))).toBeNull();
    expect(nestingError(wrap(`"""${deep}"""`))).toBeNull();
    expect(nestingError(wrap(`"""\\"""${deep}"""`))).toBeNull();
    // What follows a string is counted again.
    expect(nestingError(wrap(`"\\"" ${deep}`))).not.toBeNull();
  });
});
