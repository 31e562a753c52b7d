// Built-ins that behave differently in APPSYNC_JS than in JavaScript (supported-features.html):
// JSON.parse of bad JSON is '', and replace / replaceAll take a Java regular expression.
import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../../../local/appsync/evaluate-code.ts';
import { PATTERN_CACHE_LIMIT } from '../../../../local/appsync/runtime/java-replace.ts';

/** Evaluates `return <expression>;` in a request handler (line 2, column 10 on) with ctx.args. */
function evaluate(expression: string, args: Record<string, unknown> = {}) {
  const code = `export function request(ctx) {\n  return ${expression};\n}`;
  const out = evaluateCode({ code, context: { arguments: args }, function: 'request' });
  if (out.error) return { error: out.error.message };
  return { value: out.evaluationResult === undefined ? undefined : JSON.parse(out.evaluationResult) };
}

describe('JSON.parse', () => {
  it('returns a blank string for text that is not JSON', () => {
    expect(evaluate("[JSON.parse('{nope'), JSON.parse(''), JSON.parse(undefined), JSON.parse('[1,')]")).toEqual({ value: ['', '', '', ''] });
  });

  it('parses JSON as before', () => {
    expect(evaluate(`[JSON.parse('{"a":[1,true,null]}'), JSON.parse(' "s" '), JSON.parse(7)]`)).toEqual({ value: [{ a: [1, true, null] }, 's', 7] });
  });

  it('leaves faults in resolver code alone', () => {
    expect(evaluate('JSON.parse({ toString: () => ctx.args.missing.x })')).toEqual({
      error: "code.js:2:56: TypeError: Cannot read properties of undefined (reading 'x')",
    });
  });
});

describe('String.prototype.replace / replaceAll with a Java pattern', () => {
  it.each([
    ["'a.b'.replaceAll('.', '_')", '___'],
    ["'x1y22'.replaceAll('[0-9]+', '#')", 'x#y#'],
    ["'x1y22'.replace('[0-9]+', '#')", 'x#y22'],
    ["'a+b'.replace('a+b', 'c')", 'a+b'],
    ["'a+b'.replace('\\\\Qa+b\\\\E', 'c')", 'c'],
    ["'Line one\\nline two'.replaceAll('(?im)^line', 'L')", 'L one\nL two'],
    ["'a1'.replaceAll('\\\\p{Alpha}', '*')", '*1'],
    ["'abc'.replaceAll('', '-')", '-a-b-c-'],
  ])('%s is %j', (expression, expected) => {
    expect(evaluate(expression)).toEqual({ value: expected });
  });

  it('reads the replacement as Java does: $n, ${name}, backslash escapes', () => {
    expect(evaluate(`[
      'John Smith'.replaceAll('(\\\\w+) (\\\\w+)', '$2, $1'),
      '2024-01-02'.replace('(?<y>\\\\d+)-(?<m>\\\\d+)-(?<d>\\\\d+)', '\${d}/\${m}/\${y}'),
      'ab'.replaceAll('(a)|(b)', '[$1$2]'),
      'x'.replace('(x)', '$10'),
      'x'.replace('x', '\\\\$1 costs \\\\\\\\ 5'),
      'x'.replace('x', '$0$0'),
    ]`)).toEqual({ value: ['Smith, John', '02/01/2024', '[a][b]', 'x0', '$1 costs \\ 5', 'xx'] });
  });

  // Matcher.appendReplacement reads the longest group number that exists: with ten groups $10 is
  // group 10, with one group it is group 1 followed by '0'.
  it('reads a multi-digit group reference as far as the group count allows', () => {
    expect(evaluate(`[
      'abcdefghij'.replace('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', '$10'),
      'abcdefghij'.replace('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)', '$11'),
    ]`)).toEqual({ value: ['j', 'a1'] });
  });

  it("gives JavaScript's $&, $$, $` and $' no meaning: Java refuses them", () => {
    for (const ref of ['$&', '$$', '$`', "$'"]) {
      expect(evaluate(`'abc'.replace('b', ${JSON.stringify(ref)})`)).toEqual({ error: 'code.js:2:16: SyntaxError: Illegal group reference' });
    }
  });

  it('fails the evaluation, at the call, on a bad pattern or replacement', () => {
    expect(evaluate("'abc'.replace('[b', 'x')")).toEqual({ error: "code.js:2:16: SyntaxError: Invalid regular expression '[b': Unclosed character class" });
    expect(evaluate("'abc'.replaceAll('b', '$1')")).toEqual({ error: 'code.js:2:16: SyntaxError: No group 1' });
    expect(evaluate("'abc'.replaceAll('(b)', '${x}')")).toEqual({ error: 'code.js:2:16: SyntaxError: No group with name {x}' });
    expect(evaluate("'abc'.replaceAll('b', 'x\\\\')")).toEqual({ error: 'code.js:2:16: SyntaxError: character to be escaped is missing' });
    // Java checks the replacement only when there is something to replace.
    expect(evaluate("'abc'.replaceAll('z', '$9')")).toEqual({ value: 'abc' });
  });

  it('refuses a function as the replacement (APPSYNC_JS passes no functions as arguments)', () => {
    expect(evaluate("'abc'.replaceAll('b', (m) => m + m)")).toEqual({
      error: 'code.js:2:16: TypeError: String.prototype.replaceAll: a function cannot be the replacement in APPSYNC_JS (functions cannot be passed as arguments)',
    });
  });

  it('converts other arguments to strings, as JavaScript does', () => {
    expect(evaluate("['a1b'.replace(1, 2), 'a.b'.replaceAll(ctx.args.dot, ctx.args.n)]", { dot: '.', n: 7 })).toEqual({ value: ['a2b', '777'] });
  });

  it('stays correct once the compiled-pattern cache is full', () => {
    const args = { words: Array.from({ length: PATTERN_CACHE_LIMIT + 10 }, (_, i) => `w${i}`) };
    expect(evaluate("ctx.args.words.map((w) => (w + '!').replace(w, 'x')).join('')", args)).toEqual({ value: 'x!'.repeat(PATTERN_CACHE_LIMIT + 10) });
    expect(evaluate("'w1'.replace('w1', 'y')")).toEqual({ value: 'y' });
  });
});
