// String.prototype.replace / replaceAll as APPSYNC_JS has them: the pattern is a string in Java
// `Pattern` syntax (supported-features.html: "Java-styled regular expression constructs are
// supported in the provided parameter"), so replaceAll is Java's String.replaceAll and replace is
// String.replaceFirst, replacement string included ($n and ${name} group references, a backslash
// escapes the next character; JS's $&, $$, $` and $' mean nothing special).
//
// Two halves. The host half translates a pattern with util.matches' translator (java-regex.ts)
// and answers with JSON text. The realm half is source text the bootstrap runs before the realm
// is locked: it keeps RegExp (gone from the realm's globals) in its closure and compiles each
// translated pattern once, in a bounded cache. Only primitives cross between the two.
import { UtilErrorSignal } from './state.ts';
import { compileJavaPattern } from '../util/java-regex.ts';

/** Host half: `{"source": <JS RegExp source, for the 'u' flag>}` or `{"error": <message>}`. */
export function javaPatternJson(pattern: string): string {
  try {
    return JSON.stringify({ source: compileJavaPattern(String(pattern)).source });
  } catch (err) {
    const message = err instanceof UtilErrorSignal ? err.entry.message : err instanceof Error ? err.message : String(err);
    return JSON.stringify({ error: message });
  }
}

/** Compiled patterns kept per sandbox (each flavour, replace and replaceAll, counts apart). */
export const PATTERN_CACHE_LIMIT = 256;

/**
 * Realm half: `(RegExp, nativeReplace, patternJson, parse) => { replace, replaceAll }`.
 * A bad pattern or replacement fails with a SyntaxError carrying Java's reason, at the resolver's
 * call, as any runtime fault does. A function as the replacement fails with a TypeError: APPSYNC_JS
 * cannot pass functions as arguments (the linter's no-function-passing), so AppSync would never
 * call it; running it as JavaScript does would hide that.
 */
export const JAVA_REPLACE_SOURCE = String.raw`(function (NativeRegExp, nativeReplace, patternJson, parse) {
  'use strict';
  const { hasOwn } = Object;
  const apply = Reflect.apply;
  const compiled = new Map();

  function compile(pattern, flags) {
    const key = flags + ':' + pattern;
    let re = compiled.get(key);
    if (re !== undefined) return re;
    const out = parse(patternJson(pattern));
    if (typeof out.error === 'string') throw new SyntaxError(out.error);
    re = new NativeRegExp(out.source, flags);
    if (compiled.size >= ${PATTERN_CACHE_LIMIT}) compiled.delete(compiled.keys().next().value);
    compiled.set(key, re);
    return re;
  }

  function digit(c) {
    return c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : -1;
  }
  function isAsciiAlnum(c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  // Java's Matcher.appendReplacement; args are native replace's callback arguments.
  function expand(template, args) {
    let groups = args[args.length - 1];
    let groupCount = args.length - 4;
    if (typeof groups !== 'object') {
      groups = undefined;
      groupCount += 1;
    }
    let out = '';
    let i = 0;
    while (i < template.length) {
      const c = template[i];
      i += 1;
      if (c === '\\') {
        if (i === template.length) throw new SyntaxError('character to be escaped is missing');
        out += template[i];
        i += 1;
        continue;
      }
      if (c !== '$') {
        out += c;
        continue;
      }
      if (i === template.length) throw new SyntaxError('Illegal group reference: group index is missing');
      let value;
      if (template[i] === '{') {
        i += 1;
        let name = '';
        while (i < template.length && isAsciiAlnum(template[i])) name += template[i++];
        if (name === '') throw new SyntaxError('named capturing group has 0 length name');
        if (template[i] !== '}') throw new SyntaxError("named capturing group is missing trailing '}'");
        if (digit(name[0]) >= 0) throw new SyntaxError('capturing group name {' + name + '} starts with digit character');
        if (groups === undefined || !hasOwn(groups, name)) throw new SyntaxError('No group with name {' + name + '}');
        i += 1;
        value = groups[name];
      } else {
        let ref = digit(template[i]);
        if (ref < 0) throw new SyntaxError('Illegal group reference');
        i += 1;
        // The longest reference that names an existing group, as Java reads it.
        while (i < template.length && digit(template[i]) >= 0 && ref * 10 + digit(template[i]) <= groupCount) {
          ref = ref * 10 + digit(template[i]);
          i += 1;
        }
        if (ref > groupCount) throw new SyntaxError('No group ' + ref);
        value = args[ref];
      }
      if (value !== undefined) out += value;
    }
    return out;
  }

  function run(name, self, pattern, replacement, flags) {
    if (self === null || self === undefined) throw new TypeError('String.prototype.' + name + ' called on null or undefined');
    if (typeof replacement === 'function') {
      throw new TypeError('String.prototype.' + name + ': a function cannot be the replacement in APPSYNC_JS (functions cannot be passed as arguments)');
    }
    const text = String(self);
    const re = compile(String(pattern), flags);
    const template = String(replacement);
    // Without '$' or '\' the template is literal text in Java and in JS alike.
    if (template.indexOf('$') < 0 && template.indexOf('\\') < 0) return apply(nativeReplace, text, [re, template]);
    return apply(nativeReplace, text, [re, (...args) => expand(template, args)]);
  }

  return {
    replace(pattern, replacement) {
      return run('replace', this, pattern, replacement, 'u');
    },
    replaceAll(pattern, replacement) {
      return run('replaceAll', this, pattern, replacement, 'gu');
    },
  };
})`;
