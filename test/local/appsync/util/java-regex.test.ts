import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileJavaPattern } from '../../../../local/appsync/util/java-regex.ts';
import { makeUtil, utilErrorOf } from './helpers.ts';

const { util } = makeUtil();

describe('util.matches: Java Pattern.matches semantics', () => {
  it.each<[string, string, boolean]>([
    ['a*b', 'aaaaab', true], // the AppSync documentation example
    ['a*b', 'aaaaabc', false], // the whole value must match
    ['a|ab', 'ab', true], // alternation backtracks to cover the whole value
    ['[a-z]+', 'abc1', false],
    ['\\d{3}-\\d{4}', '555-1234', true],
    ['^[\\w.+-]+@[\\w-]+\\.[\\w.]+$', 'jane.doe+x@example.co.uk', true],
    ['(?i)hello', 'HeLLo', true],
    ['(?i:ab)c', 'ABc', true],
    ['(?i:ab)c', 'ABC', false], // a scoped flag ends with its group
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['(?i)[a-c]+', 'AbC', true],
    ['(?i)é', 'É', false], // Java's CASE_INSENSITIVE is ASCII-only by default
    ['\\p{Alpha}+', 'abcXYZ', true],
    ['\\p{Alpha}+', 'abc1', false],
    ['\\p{Lu}\\p{Ll}+', 'Émile', true],
    ['\\p{IsLatin}+', 'abc', true],
    ['[\\p{Digit}a]+', 'a1a2', true],
    ['\\Qa.b*\\E', 'a.b*', true],
    ['\\Qa.b*\\E', 'axbb', false],
    ['[]a]+', ']a]', true],
    ['[a-c[x-z]]+', 'abxz', true],
    ['a++b', 'aab', true],
    ['(?x) a b # a comment\n c', 'abc', true],
    ['.*', 'a\nb', false], // '.' excludes line terminators
    ['(?s).*', 'a\nb', true],
    ['.', '\u0085', false], // NEL is a Java line terminator
    ['\\s+', ' \t\n', true],
    ['\\s', '\u00a0', false], // \s is ASCII-only in Java
    ['\\h', '\u00a0', true],
    ['\\Aab\\z', 'ab', true],
    ['ab$', 'ab', true],
    ['(?m)a$\\nb', 'a\nb', true],
    ['\\x{1F600}', '😀', true],
    ['\\0101', 'A', true],
    ['\\e', '\u001b', true],
    ['(?<year>\\d{4})-\\k<year>', '2024-2024', true],
    ['(a)\\1', 'aa', true],
    ['(?>ab|a)c', 'abc', true],
    ['x{2,3}', 'xxx', true],
    ['\\.\\-\\#', '.-#', true],
  ])('matches(%j, %j) is %s', (pattern, value, expected) => {
    expect(util.matches(pattern, value)).toBe(expected);
  });

  it('reports invalid patterns as util errors', () => {
    expect(utilErrorOf(() => util.matches('(ab', 'ab')).message).toMatch(/Unclosed group/);
    expect(utilErrorOf(() => util.matches('a{', 'a')).message).toMatch(/Illegal repetition/);
    expect(utilErrorOf(() => util.matches('\\y', 'y')).message).toMatch(/Illegal\/unsupported escape/);
    expect(utilErrorOf(() => util.matches('[a&&b]', 'a')).message).toMatch(/intersection/);
  });

  it('caches compiled patterns', () => {
    expect(compileJavaPattern('abc+', { anchored: true })).toBe(compileJavaPattern('abc+', { anchored: true }));
  });

  it('property: a quoted literal matches exactly itself', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 20 }).filter((s) => !s.includes('\\E')), (s) => {
      expect(util.matches(`\\Q${s}\\E`, s)).toBe(true);
      expect(util.matches(`\\Q${s}\\E`, `${s}x`)).toBe(false);
    }));
  });

  it('property: on plain ASCII letter patterns, Java and JS agree', () => {
    const word = fc.stringMatching(/^[a-c]{0,6}$/);
    fc.assert(fc.property(word, word, (p, v) => {
      expect(util.matches(`${p}[a-c]*`, v)).toBe(new RegExp(`^(?:${p}[a-c]*)$`).test(v));
    }));
  });
});

describe('util.matches: Java constructs whose JavaScript look-alike differs', () => {
  // java.util.regex.Pattern javadoc: \s is [ \t\n\x0B\f\r], \p{Punct} is one of !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~,
  // \cX is the control character X ^ 64, (?-i) turns a flag off, (?>X) is an independent
  // non-capturing group, and a range whose end is below its start is an error.
  it.each<[string, string, boolean]>([
    ['\\s', '\u000b', true], // vertical tab: in Java's \s
    ['[\\s]', '\u000b', true],
    ['\\p{Punct}+', '{|}~', true],
    ['\\p{Punct}', 'a', false],
    ['\\cA', '\u0001', true],
    ['\\cA', 'a', false],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['(?i:a(?-i:b))', 'AB', false],
    ['(?>a)(b)\\1', 'abb', true], // the atomic group does not capture: \1 is (b)
  ])('matches(%j, %j) is %s', (pattern, value, expected) => {
    expect(util.matches(pattern, value)).toBe(expected);
  });

  it('rejects a character range whose end is below its start', () => {
    expect(utilErrorOf(() => util.matches('[z-a]', 'a')).message).toMatch(/Illegal character range/);
  });
});
