// util.escapeJavaScript, urlEncode/urlDecode, base64Encode/base64Decode with the Java semantics
// AppSync inherits (commons-lang escapeJavaScript, java.net.URLEncoder/URLDecoder, java.util.Base64).
import { utilFailure } from './errors.ts';

const NAMED_ESCAPES: Record<string, string> = {
  '\b': '\\b', '\n': '\\n', '\t': '\\t', '\f': '\\f', '\r': '\\r',
  "'": "\\'", '"': '\\"', '\\': '\\\\', '/': '\\/',
};

/** Escapes per UTF-16 code unit, like commons-lang: named escapes, else \uXXXX outside 32..0x7f. */
export function escapeJavaScript(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i];
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const code = value.charCodeAt(i);
    out += code < 32 || code > 0x7f ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : ch;
  }
  return out;
}

/** application/x-www-form-urlencoded, UTF-8: like URLEncoder, keeps [A-Za-z0-9.*_-] and maps space to '+'. */
export function urlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.*_-]/.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Like URLDecoder: '+' is a space, %XX runs are UTF-8 bytes; malformed escapes fail with its messages. */
export function urlDecode(value: string): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i];
    if (ch === '+') {
      out += ' ';
      i += 1;
    } else if (ch === '%') {
      const bytes: number[] = [];
      while (i < value.length && value[i] === '%') {
        if (value.length - i < 3) utilFailure('URLDecoder: Incomplete trailing escape (%) pattern');
        const hex = value.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) utilFailure('URLDecoder: Illegal hex characters in escape (%) pattern');
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += Buffer.from(bytes).toString('utf8');
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

export function base64Encode(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/** java.util.Base64 basic decoder: strict alphabet, optional padding; bytes read back as UTF-8. */
export function base64Decode(value: string): string {
  const bad = /[^A-Za-z0-9+/=]/.exec(value);
  if (bad) utilFailure(`Illegal base64 character ${bad[0].charCodeAt(0).toString(16)}`);
  const body = value.replace(/=+$/, '');
  const padded = value.length > body.length;
  if (body.includes('=') || value.length - body.length > 2 || body.length % 4 === 1 || (padded && value.length % 4 !== 0)) {
    utilFailure('Input byte array has wrong 4-byte ending unit');
  }
  return Buffer.from(body, 'base64').toString('utf8');
}
