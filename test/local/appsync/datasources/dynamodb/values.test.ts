import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AttributeValue } from '../../../../../local/dynamodb/wire.ts';
import {
  identity,
  sameItem,
  toPlainItem,
  toWireItem,
  toWireValue,
  typedItem,
} from '../../../../../local/appsync/datasources/dynamodb/values.ts';
import { MappingTemplateError } from '../../../../../local/appsync/datasources/dynamodb/errors.ts';

describe('AppSync typed values → DynamoDB wire AttributeValues', () => {
  it('turns N numbers into strings and accepts numeric strings', () => {
    expect(toWireValue({ N: 10 }, '$[v]')).toEqual({ N: '10' });
    expect(toWireValue({ N: 4.56 }, '$[v]')).toEqual({ N: '4.56' });
    expect(toWireValue({ N: '12' }, '$[v]')).toEqual({ N: '12' });
    expect(toWireValue({ NS: [1, 23, 4.56] }, '$[v]')).toEqual({ NS: ['1', '23', '4.56'] });
  });

  it('reads toNull(), base64 binaries, sets, lists and maps', () => {
    expect(toWireValue({ NULL: null }, '$[v]')).toEqual({ NULL: true });
    expect(toWireValue({ B: 'aGk=' }, '$[v]')).toEqual({ B: 'aGk=' });
    expect(toWireValue({ BS: ['aGk=', ''] }, '$[v]')).toEqual({ BS: ['aGk=', ''] });
    expect(toWireValue({ SS: ['a', 'b'] }, '$[v]')).toEqual({ SS: ['a', 'b'] });
    expect(toWireItem({ foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] }, m: { M: { x: { BOOL: true } } } }, '$[a]')).toEqual({
      foo: { S: 'bar' },
      baz: { N: '1234' },
      beep: { L: [{ S: 'boop' }] },
      m: { M: { x: { BOOL: true } } },
    });
  });

  it('rejects malformed typed values with AppSync-style MappingTemplate messages', () => {
    const message = (value: unknown) => {
      try {
        toWireValue(value, '$[key][id]');
      } catch (err) {
        expect(err).toBeInstanceOf(MappingTemplateError);
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(message('abc')).toBe("Expected JSON object for attribute value '$[key][id]' but got 'STRING' instead.");
    expect(message({ S: 1 })).toBe("Expected a string for attribute value '$[key][id][S]' but got 'NUMBER' instead.");
    expect(message({ N: 'ten' })).toBe("Expected a number for attribute value '$[key][id][N]' but got 'STRING' instead.");
    expect(message({ X: 1 })).toBe("Unsupported element '$[key][id][X]'.");
    expect(message({ S: 'a', N: 1 })).toMatch(/exactly one type descriptor/);
    expect(message({ B: 'not base64!' })).toMatch(/base64/);
    expect(message({ N: Number.NaN })).toMatch(/a number/);
  });
});

describe('DynamoDB answers → plain JSON', () => {
  it('converts N to numbers, sets to arrays, B to base64 and NULL to null', () => {
    expect(
      toPlainItem({
        s: { S: 'x' },
        n: { N: '10.5' },
        b: { B: 'aGk=' },
        ss: { SS: ['a'] },
        ns: { NS: ['1', '2'] },
        bs: { BS: ['aGk='] },
        nul: { NULL: true },
        bool: { BOOL: false },
        l: { L: [{ N: '1' }, { S: 'y' }] },
        m: { M: { k: { N: '3' } } },
      }),
    ).toEqual({ s: 'x', n: 10.5, b: 'aGk=', ss: ['a'], ns: [1, 2], bs: ['aGk='], nul: null, bool: false, l: [1, 'y'], m: { k: 3 } });
  });
});

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string().map((S) => ({ S })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => ({ N: String(n) })),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => ({ B: Buffer.from(bytes).toString('base64') })),
  fc.boolean().map((BOOL) => ({ BOOL })),
  fc.constant({ NULL: true }),
  fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
  fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }).map((ns) => ({ NS: ns.map(String) })),
);
const attribute: fc.Arbitrary<AttributeValue> = fc.letrec<{ value: AttributeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }).map((L) => ({ L })),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tie('value'), { maxKeys: 3 }).map((M) => ({ M })),
  ),
})).value;
const item = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), attribute, { maxKeys: 5 });

describe('typed JSON round trip (the form nextTokens carry)', () => {
  it('wire item → typed JSON text → wire item is lossless', () => {
    fc.assert(
      fc.property(item, (original) => {
        const back = toWireItem(JSON.parse(JSON.stringify(typedItem(original))), '$');
        expect(identity(back)).toBe(identity(original));
      }),
    );
  });

  it('item equality ignores attribute order, set order and number spelling', () => {
    expect(sameItem({ a: { N: '1.0' }, s: { SS: ['x', 'y'] } }, { s: { SS: ['y', 'x'] }, a: { N: '1' } })).toBe(true);
    expect(sameItem({ a: { N: '1' } }, { a: { S: '1' } })).toBe(false);
    // 'aGk=' and 'aGl=' differ only in bits base64 leaves unused: both are the bytes of 'hi'.
    expect(sameItem({ b: { B: 'aGk=' } }, { b: { B: 'aGl=' } })).toBe(true);
    expect(sameItem({ b: { B: 'aGk=' } }, { b: { B: 'aGo=' } })).toBe(false);
    expect(sameItem({ a: { N: '1' }, at: { S: 'x' } }, { a: { N: '1' }, at: { S: 'y' } }, ['at'])).toBe(true);
    fc.assert(
      fc.property(item, (original) => {
        const reversed = Object.fromEntries(Object.entries(original).reverse());
        expect(sameItem(original, reversed)).toBe(true);
      }),
    );
  });
});
