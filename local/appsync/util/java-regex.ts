// Java java.util.regex.Pattern syntax translated to a JavaScript RegExp (always the 'u' flag).
// APPSYNC_JS evaluates patterns with Java semantics (util.matches, String.replace/replaceAll), so
// every construct whose meaning differs is rewritten: ASCII \s, Java's '.', '^' and '$', \A \z \Z,
// \Q..\E, POSIX \p{Alpha} classes, inline flags (scoped ones too: case-insensitivity is applied by
// expanding ASCII letters, which is exactly Java's default ASCII-only CASE_INSENSITIVE).
// Approximations (JavaScript has no equivalent): possessive quantifiers act greedy, atomic groups
// act as non-capturing groups, case-insensitive backreferences compare case-sensitively.
import { utilFailure } from './errors.ts';

interface Flags { i: boolean; s: boolean; m: boolean; x: boolean; d: boolean; U: boolean }

const CACHE_LIMIT = 256;
const cache = new Map<string, RegExp>();

const SYNTAX_OUTSIDE = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const SYNTAX_INSIDE = new Set(['\\', ']', '[', '^', '-']);
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const HORIZONTAL = ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VERTICAL = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F', Space: JAVA_SPACE,
};
const BINARY_PROPERTIES: Record<string, string> = {
  alphabetic: 'Alphabetic', ideographic: 'Ideographic', letter: 'L', lowercase: 'Lowercase',
  uppercase: 'Uppercase', titlecase: 'Lt', punctuation: 'P', control: 'Cc', white_space: 'White_Space',
  whitespace: 'White_Space', digit: 'Nd', hex_digit: 'Hex_Digit', hexdigit: 'Hex_Digit',
  join_control: 'Join_Control', joincontrol: 'Join_Control', assigned: 'Assigned',
  noncharacter_code_point: 'Noncharacter_Code_Point', emoji: 'Emoji',
};
const JAVA_CHARACTER: Record<string, string> = {
  javaLowerCase: 'Lowercase', javaUpperCase: 'Uppercase', javaAlphabetic: 'Alphabetic',
  javaLetter: 'L', javaDigit: 'Nd', javaTitleCase: 'Lt', javaWhitespace: 'White_Space',
  javaIdeographic: 'Ideographic', javaLetterOrDigit: 'L',
};
const GENERAL_CATEGORY = /^(?:L[ulmtoC]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/;

function fail(pattern: string, reason: string): never {
  return utilFailure(`Invalid regular expression '${pattern}': ${reason}`);
}

/** Unicode property (\p{...}) in JS syntax, or null for the ASCII POSIX classes handled apart. */
function propertyName(pattern: string, raw: string): string {
  if (JAVA_CHARACTER[raw]) return JAVA_CHARACTER[raw];
  const eq = /^(script|sc|general_category|gc|block|blk)=(.+)$/i.exec(raw);
  if (eq) {
    const key = eq[1].toLowerCase();
    if (key === 'block' || key === 'blk') fail(pattern, `Unicode blocks are not supported (${raw})`);
    return key === 'script' || key === 'sc' ? `Script=${eq[2]}` : eq[2];
  }
  if (raw.startsWith('In')) fail(pattern, `Unicode blocks are not supported (${raw})`);
  const name = raw.startsWith('Is') ? raw.slice(2) : raw;
  const binary = BINARY_PROPERTIES[name.toLowerCase()];
  if (binary) return binary;
  if (name === 'L&') return 'LC';
  if (GENERAL_CATEGORY.test(name)) return name;
  if (raw.startsWith('Is')) return `Script=${name}`;
  return fail(pattern, `Unknown character property name {${raw}}`);
}

type ClassAtom = { kind: 'char'; cp: number } | { kind: 'set'; text: string };

class Translator {
  private pos = 0;
  private flags: Flags = { i: false, s: false, m: false, x: false, d: false, U: false };
  private readonly stack: Flags[] = [];
  private readonly cps: string[];

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern);
  }

  translate(): string {
    let out = '';
    while (this.pos < this.cps.length) out += this.next();
    if (this.stack.length > 0) fail(this.pattern, 'Unclosed group');
    return out;
  }

  private peek(offset = 0): string | undefined {
    return this.cps[this.pos + offset];
  }

  private terminators(): string {
    return this.flags.d ? '\\n' : '\\n\\r\\u0085\\u2028\\u2029';
  }

  private skipsCommentOrSpace(): boolean {
    const c = this.peek();
    if (!this.flags.x || c === undefined) return false;
    if (/[ \t\n\x0B\f\r]/.test(c)) {
      this.pos += 1;
      return true;
    }
    if (c === '#') {
      while (this.pos < this.cps.length && this.cps[this.pos] !== '\n') this.pos += 1;
      return true;
    }
    return false;
  }

  private next(): string {
    if (this.skipsCommentOrSpace()) return '';
    const c = this.cps[this.pos];
    switch (c) {
      case '\\':
        return this.escapeOutside();
      case '[': {
        const cls = this.parseClass();
        return `[${cls.negate ? '^' : ''}${cls.content}]`;
      }
      case '(':
        return this.openGroup();
      case ')': {
        const previous = this.stack.pop();
        if (!previous) fail(this.pattern, 'Unmatched closing \')\'');
        this.flags = previous;
        this.pos += 1;
        return ')';
      }
      case '|':
        this.pos += 1;
        return '|';
      case '.':
        this.pos += 1;
        return this.flags.s ? '[\\s\\S]' : `[^${this.terminators()}]`;
      case '^':
        this.pos += 1;
        return this.flags.m ? `(?<![^${this.terminators()}])` : '(?<![\\s\\S])';
      case '$':
        this.pos += 1;
        // Java's '$' also matches before a final line terminator.
        return this.flags.m
          ? `(?![^${this.terminators()}])`
          : `(?=(?:\\r\\n|[${this.terminators()}])?(?![\\s\\S]))`;
      case '*':
      case '+':
      case '?':
        this.pos += 1;
        return c + this.quantifierSuffix();
      case '{': {
        const rest = this.cps.slice(this.pos).join('');
        const m = /^\{\d+(?:,\d*)?\}/.exec(rest);
        if (!m) fail(this.pattern, 'Illegal repetition');
        this.pos += Array.from(m[0]).length;
        return m[0] + this.quantifierSuffix();
      }
      default:
        this.pos += 1;
        return this.literal(c.codePointAt(0) as number, false);
    }
  }

  /** Lazy '?' is kept; a possessive '+' is dropped (JavaScript has none). */
  private quantifierSuffix(): string {
    const s = this.peek();
    if (s === '?') {
      this.pos += 1;
      return '?';
    }
    if (s === '+') this.pos += 1;
    return '';
  }

  private openGroup(): string {
    this.pos += 1;
    if (this.peek() !== '?') {
      this.stack.push({ ...this.flags });
      return '(';
    }
    const rest = this.cps.slice(this.pos + 1).join('');
    const simple = /^(?::|=|!|<=|<!|<[A-Za-z][A-Za-z0-9]*>|>)/.exec(rest);
    if (simple) {
      this.pos += 1 + Array.from(simple[0]).length;
      this.stack.push({ ...this.flags });
      return simple[0] === '>' ? '(?:' : `(?${simple[0]}`;
    }
    const inline = /^([idmsuxU]*)(?:-([idmsuxU]*))?([):])/.exec(rest);
    if (!inline) fail(this.pattern, 'Unknown inline modifier');
    this.pos += 1 + inline[0].length;
    const updated = { ...this.flags };
    for (const f of inline[1]) this.setFlag(updated, f, true);
    for (const f of inline[2] ?? '') this.setFlag(updated, f, false);
    if (inline[3] === ')') {
      this.flags = updated;
      return '';
    }
    this.stack.push({ ...this.flags });
    this.flags = updated;
    return '(?:';
  }

  private setFlag(flags: Flags, f: string, on: boolean): void {
    // UNICODE_CASE is accepted; case-insensitivity stays ASCII-only (Java's default) here.
    if (f === 'u') return;
    flags[f as keyof Flags] = on;
  }

  /** A literal code point, escaped for JS and expanded to both cases under (?i). */
  private literal(cp: number, inClass: boolean): string {
    const ch = String.fromCodePoint(cp);
    const variants = this.flags.i && /^[A-Za-z]$/.test(ch) ? [ch.toLowerCase(), ch.toUpperCase()] : [ch];
    const escaped = variants.map((v) => escapeLiteral(v, inClass));
    if (inClass || escaped.length === 1) return escaped.join('');
    return `[${variants.map((v) => escapeLiteral(v, true)).join('')}]`;
  }

  private escapeOutside(): string {
    const atom = this.escape(false);
    if (atom.kind === 'set') return atom.text;
    return this.literal(atom.cp, false);
  }

  /** Reads the escape at this.pos ('\\' included). */
  private escape(inClass: boolean): ClassAtom {
    const n = this.peek(1);
    if (n === undefined) fail(this.pattern, 'Unexpected internal error: trailing backslash');
    this.pos += 2;
    const set = (text: string): ClassAtom => ({ kind: 'set', text });
    const ch = (cp: number): ClassAtom => ({ kind: 'char', cp });
    switch (n) {
      case 'd': return set(this.flags.U ? (inClass ? '\\p{Nd}' : '\\p{Nd}') : '\\d');
      case 'D': return set(this.flags.U ? '\\P{Nd}' : '\\D');
      case 'w': return set(this.flags.U ? (inClass ? '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}' : '[\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}]') : '\\w');
      case 'W': return set(this.flags.U ? (inClass ? this.unsupported('\\W in a class with (?U)') : '[^\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}]') : '\\W');
      case 's': return set(inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`);
      case 'S': return set(inClass ? this.unsupported('\\S inside a character class') : `[^${JAVA_SPACE}]`);
      case 'h': return set(inClass ? HORIZONTAL : `[${HORIZONTAL}]`);
      case 'H': return set(inClass ? this.unsupported('\\H inside a character class') : `[^${HORIZONTAL}]`);
      case 'v': return set(inClass ? VERTICAL : `[${VERTICAL}]`);
      case 'V': return set(inClass ? this.unsupported('\\V inside a character class') : `[^${VERTICAL}]`);
      case 'R': return inClass ? this.unsupported('\\R inside a character class') : set(`(?:\\r\\n|[${VERTICAL}])`);
      case 'b': case 'B':
        return inClass ? this.unsupported(`\\${n} inside a character class`) : set(`\\${n}`);
      case 'A': return inClass ? this.unsupported('\\A inside a character class') : set('(?<![\\s\\S])');
      case 'z': return inClass ? this.unsupported('\\z inside a character class') : set('(?![\\s\\S])');
      case 'Z':
        return inClass ? this.unsupported('\\Z inside a character class') : set(`(?=(?:\\r\\n|[${this.terminators()}])?(?![\\s\\S]))`);
      case 'G': return this.unsupported('\\G');
      case 't': return ch(9);
      case 'n': return ch(10);
      case 'r': return ch(13);
      case 'f': return ch(12);
      case 'a': return ch(7);
      case 'e': return ch(27);
      case 'c': {
        const c = this.peek();
        if (c === undefined) fail(this.pattern, 'Illegal control escape sequence');
        this.pos += 1;
        return ch((c.codePointAt(0) as number) ^ 64);
      }
      case 'x': return ch(this.hexEscape());
      case 'u': {
        const hex = this.cps.slice(this.pos, this.pos + 4).join('');
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(this.pattern, 'Illegal Unicode escape sequence');
        this.pos += 4;
        return ch(parseInt(hex, 16));
      }
      case '0': {
        let digits = '';
        while (digits.length < 3 && /[0-7]/.test(this.peek() ?? '') && parseInt(digits + this.peek(), 8) <= 0o377) {
          digits += this.peek();
          this.pos += 1;
        }
        if (digits === '') fail(this.pattern, 'Illegal octal escape sequence');
        return ch(parseInt(digits, 8));
      }
      case 'p': case 'P':
        return this.property(n === 'P', inClass);
      case 'Q': {
        let text = '';
        while (this.pos < this.cps.length && !(this.peek() === '\\' && this.peek(1) === 'E')) {
          text += this.literal(this.cps[this.pos].codePointAt(0) as number, inClass);
          this.pos += 1;
        }
        if (this.pos < this.cps.length) this.pos += 2;
        return set(text);
      }
      case 'E': return set('');
      case 'k': {
        if (inClass) return this.unsupported('\\k inside a character class');
        const m = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(this.cps.slice(this.pos).join(''));
        if (!m) fail(this.pattern, '\\k is not followed by \'<\' for named capturing group');
        this.pos += m[0].length;
        return set(`\\k<${m[1]}>`);
      }
      default:
        break;
    }
    if (/[1-9]/.test(n)) {
      if (inClass) return this.unsupported('a backreference inside a character class');
      let digits = n;
      while (/[0-9]/.test(this.peek() ?? '')) {
        digits += this.peek();
        this.pos += 1;
      }
      return set(`\\${digits}`);
    }
    if (/[A-Za-z0-9]/.test(n)) fail(this.pattern, `Illegal/unsupported escape sequence \\${n}`);
    return ch(n.codePointAt(0) as number);
  }

  private unsupported(what: string): never {
    return fail(this.pattern, `${what} is not supported by the local runtime`);
  }

  private hexEscape(): number {
    if (this.peek() === '{') {
      const end = this.cps.indexOf('}', this.pos);
      const hex = end < 0 ? '' : this.cps.slice(this.pos + 1, end).join('');
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
        fail(this.pattern, 'Illegal hexadecimal escape sequence');
      }
      this.pos = end + 1;
      return parseInt(hex, 16);
    }
    const hex = this.cps.slice(this.pos, this.pos + 2).join('');
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail(this.pattern, 'Illegal hexadecimal escape sequence');
    this.pos += 2;
    return parseInt(hex, 16);
  }

  private property(negated: boolean, inClass: boolean): ClassAtom {
    let raw: string;
    if (this.peek() === '{') {
      const end = this.cps.indexOf('}', this.pos);
      if (end < 0) fail(this.pattern, 'Unclosed character family');
      raw = this.cps.slice(this.pos + 1, end).join('');
      this.pos = end + 1;
    } else {
      raw = this.peek() ?? '';
      if (raw === '') fail(this.pattern, 'Illegal character family');
      this.pos += 1;
    }
    const posix = POSIX[raw.startsWith('Is') ? raw.slice(2) : raw];
    if (posix !== undefined) {
      if (inClass && negated) this.unsupported(`\\P{${raw}} inside a character class`);
      return { kind: 'set', text: inClass ? posix : `[${negated ? '^' : ''}${posix}]` };
    }
    return { kind: 'set', text: `\\${negated ? 'P' : 'p'}{${propertyName(this.pattern, raw)}}` };
  }

  /** A character class, '[' at this.pos; nested classes are unions (flattened). */
  private parseClass(): { negate: boolean; content: string } {
    this.pos += 1;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos += 1;
    }
    let content = '';
    let first = true;
    for (;;) {
      if (this.pos >= this.cps.length) fail(this.pattern, 'Unclosed character class');
      if (this.skipsCommentOrSpace()) continue;
      const c = this.cps[this.pos];
      if (c === ']' && !first) {
        this.pos += 1;
        return { negate, content };
      }
      first = false;
      if (c === '[') {
        const nested = this.parseClass();
        if (nested.negate) this.unsupported('a negated nested character class');
        content += nested.content;
        continue;
      }
      if (c === '&' && this.peek(1) === '&') this.unsupported('character class intersection (&&)');
      const atom = this.classAtom();
      if (atom.kind === 'set') {
        content += atom.text;
        continue;
      }
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']' && this.peek(1) !== '[') {
        this.pos += 1;
        const hi = this.classAtom();
        if (hi.kind !== 'char') fail(this.pattern, 'Illegal character range');
        if (hi.cp < atom.cp) fail(this.pattern, 'Illegal character range');
        content += this.range(atom.cp, hi.cp);
        continue;
      }
      content += this.literal(atom.cp, true);
    }
  }

  private classAtom(): ClassAtom {
    const c = this.cps[this.pos];
    if (c === '\\') return this.escape(true);
    this.pos += 1;
    return { kind: 'char', cp: c.codePointAt(0) as number };
  }

  private range(lo: number, hi: number): string {
    const text = `${escapeLiteral(String.fromCodePoint(lo), true)}-${escapeLiteral(String.fromCodePoint(hi), true)}`;
    if (!this.flags.i) return text;
    const a = String.fromCodePoint(lo);
    const b = String.fromCodePoint(hi);
    const letters = (x: string, y: string, re: RegExp) => re.test(x) && re.test(y);
    if (letters(a, b, /^[a-z]$/)) return `${text}${a.toUpperCase()}-${b.toUpperCase()}`;
    if (letters(a, b, /^[A-Z]$/)) return `${text}${a.toLowerCase()}-${b.toLowerCase()}`;
    return text;
  }
}

function escapeLiteral(ch: string, inClass: boolean): string {
  const special = inClass ? SYNTAX_INSIDE : SYNTAX_OUTSIDE;
  if (special.has(ch)) return `\\${ch}`;
  const cp = ch.codePointAt(0) as number;
  // Control and line-terminator characters are written as escapes so the source stays readable.
  if (cp < 0x20 || cp === 0x7f || cp === 0x2028 || cp === 0x2029) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** The JS source equivalent to a Java pattern (unanchored). */
export function translateJavaPattern(pattern: string): string {
  return new Translator(pattern).translate();
}

/**
 * A compiled RegExp for a Java pattern. `anchored` gives Matcher.matches() semantics (the whole
 * input must match). Cached: resolver code tends to use a few constant patterns per request.
 */
export function compileJavaPattern(pattern: string, options: { anchored?: boolean; global?: boolean } = {}): RegExp {
  if (typeof pattern !== 'string') utilFailure('A regular expression pattern must be a string');
  const key = `${options.anchored ? 'A' : '-'}${options.global ? 'G' : '-'}${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  const source = translateJavaPattern(pattern);
  let re: RegExp;
  try {
    re = new RegExp(options.anchored ? `^(?:${source})$` : source, options.global ? 'gu' : 'u');
  } catch (err) {
    return fail(pattern, (err as Error).message);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, re);
  return re;
}

/** util.matches(pattern, value): Java's Pattern.matches, i.e. the whole value must match. */
export function javaMatches(pattern: string, value: string): boolean {
  if (typeof value !== 'string') utilFailure('util.matches expects a string value');
  return compileJavaPattern(pattern, { anchored: true }).test(value);
}
