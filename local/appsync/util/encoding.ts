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

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 0x3d;

/**
 * java.util.Base64.getDecoder().decode(String), step for step (Decoder.decodedOutLength and
 * decode0), so malformed input fails where and with the message Java's does; bytes read as UTF-8.
 */
export function base64Decode(value: string): string {
  // decode(String) takes the ISO-8859-1 bytes of the text: a character beyond U+00FF becomes '?'.
  const src = Array.from(value, (ch) => {
    const cp = ch.codePointAt(0) as number;
    return cp <= 0xff ? cp : 0x3f;
  });
  if (src.length === 0) return '';
  if (src.length < 2) utilFailure('Input byte[] should at least have 2 bytes for base64 bytes');
  const out: number[] = [];
  let bits = 0;
  let shiftto = 18;
  let sp = 0;
  while (sp < src.length) {
    const c = src[sp++];
    if (c === PAD) {
      // '=' opening a unit, or a single '=' after two characters, is a bad ending; after three it ends.
      if ((shiftto === 6 && (sp === src.length || src[sp++] !== PAD)) || shiftto === 18) {
        utilFailure('Input byte array has wrong 4-byte ending unit');
      }
      break;
    }
    const b = BASE64_ALPHABET.indexOf(String.fromCharCode(c));
    // Java prints the (signed) byte in hex.
    if (b < 0) utilFailure(`Illegal base64 character ${(c > 0x7f ? c - 0x100 : c).toString(16)}`);
    bits |= b << shiftto;
    shiftto -= 6;
    if (shiftto < 0) {
      out.push((bits >> 16) & 0xff, (bits >> 8) & 0xff, bits & 0xff);
      shiftto = 18;
      bits = 0;
    }
  }
  if (shiftto === 6) out.push((bits >> 16) & 0xff);
  else if (shiftto === 0) out.push((bits >> 16) & 0xff, (bits >> 8) & 0xff);
  else if (shiftto === 12) utilFailure('Last unit does not have enough valid bits');
  if (sp < src.length) utilFailure(`Input byte array has incorrect ending byte at ${sp}`);
  return Buffer.from(out).toString('utf8');
}
