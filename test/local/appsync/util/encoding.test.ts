import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeUtil, utilErrorOf } from './helpers.ts';

const { util } = makeUtil();

describe('util.escapeJavaScript', () => {
  it('escapes quotes, backslash, slash and control characters like commons-lang', () => {
    expect(util.escapeJavaScript(`He said "it's" a/b\\c`)).toBe(`He said \\"it\\'s\\" a\\/b\\\\c`);
    expect(util.escapeJavaScript('a\nb\tc\r\f\b')).toBe('a\\nb\\tc\\r\\f\\b');
    expect(util.escapeJavaScript('\u0001')).toBe('\\u0001');
  });

  it('writes non-ASCII characters as uppercase \\uXXXX per UTF-16 unit', () => {
    expect(util.escapeJavaScript('é')).toBe('\\u00E9');
    expect(util.escapeJavaScript('😀')).toBe('\\uD83D\\uDE00');
  });

  it('leaves DEL (U+007F) as it is; U+0080 is the first unit escaped', () => {
    expect(util.escapeJavaScript('\u007f')).toBe('\u007f');
    expect(util.escapeJavaScript('\u0080')).toBe('\\u0080');
  });

  it('property: the escaped string is a JS string literal body for the same text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(new Function(`return '${util.escapeJavaScript(s)}';`)()).toBe(s);
    }));
  });
});

describe('util.urlEncode / urlDecode', () => {
  it('encodes like java.net.URLEncoder (space as +, uppercase hex, UTF-8)', () => {
    expect(util.urlEncode('a b&c=d/é*~')).toBe('a+b%26c%3Dd%2F%C3%A9*%7E');
    expect(util.urlEncode('Hello-World_1.0')).toBe('Hello-World_1.0');
  });

  it('decodes + and %XX', () => {
    expect(util.urlDecode('a+b%26c%3Dd%2F%C3%A9')).toBe('a b&c=d/é');
  });

  it('rejects malformed escapes with URLDecoder\'s messages', () => {
    expect(utilErrorOf(() => util.urlDecode('abc%')).message).toBe('URLDecoder: Incomplete trailing escape (%) pattern');
    expect(utilErrorOf(() => util.urlDecode('%zz')).message).toBe('URLDecoder: Illegal hex characters in escape (%) pattern');
  });

  it('property: decode(encode(s)) === s', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(util.urlDecode(util.urlEncode(s))).toBe(s);
    }));
  });
});

describe('util.base64Encode / base64Decode', () => {
  it('encodes UTF-8 with padding', () => {
    expect(util.base64Encode('hello')).toBe('aGVsbG8=');
    expect(util.base64Decode('aGVsbG8=')).toBe('hello');
    expect(util.base64Decode('aGVsbG8')).toBe('hello');
  });

  it('rejects characters outside the basic alphabet', () => {
    expect(utilErrorOf(() => util.base64Decode('aGV-bG8=')).message).toBe('Illegal base64 character 2d');
  });

  it('property: decode(encode(s)) === s', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(util.base64Decode(util.base64Encode(s))).toBe(s);
    }));
  });
});

describe('util.autoId / autoUlid / autoKsuid', () => {
  it('autoId is a v4 UUID, different each call', () => {
    const a = util.autoId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(util.autoId()).not.toBe(a);
  });

  it('autoUlid is 26 Crockford base32 characters that sort by time', () => {
    const u = util.autoUlid();
    expect(u).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(u.slice(0, 10) >= '01'.padEnd(10, '0')).toBe(true);
  });

  it('autoKsuid is 27 base62 characters', () => {
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });
});

describe('util.base64Decode padding', () => {
  it('rejects padding that does not complete a 4-character unit', () => {
    expect(utilErrorOf(() => util.base64Decode('YQ=')).message).toBe('Input byte array has wrong 4-byte ending unit');
    expect(util.base64Decode('YQ==')).toBe('a');
  });

  // java.util.Base64.Decoder (decodedOutLength, decode0): where it fails and with which message.
  it.each<[string, string]>([
    ['QUJDR', 'Last unit does not have enough valid bits'],
    ['QUJDR=', 'Last unit does not have enough valid bits'],
    ['Q', 'Input byte[] should at least have 2 bytes for base64 bytes'],
    ['QUJD=', 'Input byte array has wrong 4-byte ending unit'],
    ['YQ=x', 'Input byte array has wrong 4-byte ending unit'],
    ['YQ===', 'Input byte array has incorrect ending byte at 4'],
    ['YQ==YQ==', 'Input byte array has incorrect ending byte at 4'],
    ['QUI==', 'Input byte array has incorrect ending byte at 4'],
    ['QUJD\u00e9', 'Illegal base64 character -17'],
    ['QUJD\u20ac', 'Illegal base64 character 3f'],
  ])('%s: %s', (input, message) => {
    expect(utilErrorOf(() => util.base64Decode(input)).message).toBe(message);
  });

  it('accepts unpadded units of two or three characters, and the empty string', () => {
    expect(util.base64Decode('QUJDRA')).toBe('ABCD');
    expect(util.base64Decode('QUJDREU')).toBe('ABCDE');
    expect(util.base64Decode('QUI=')).toBe('AB');
    expect(util.base64Decode('')).toBe('');
  });
});
