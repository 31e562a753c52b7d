import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { makeUtil, utilErrorOf } from './helpers.ts';

describe('util.http', () => {
  it('copyHeaders drops the restricted headers (AppSync documented list)', () => {
    const { util } = makeUtil();
    const headers = { Host: 'x', connection: 'keep-alive', 'content-length': '3', te: 'x', 'x-api-key': 'k', Accept: 'a' };
    expect(util.http.copyHeaders(headers)).toEqual({ 'x-api-key': 'k', Accept: 'a' });
  });

  it('addResponseHeader(s) writes values; objects as JSON, numbers as text', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('itemsCount', 7);
    util.http.addResponseHeaders({ headerString: 'stringValue', headerObject: { field1: 7 } });
    expect(state.responseHeaders).toEqual({ itemsCount: '7', headerString: 'stringValue', headerObject: '{"field1":7}' });
    expect(state.errors).toEqual([]);
  });

  it('ignores restricted names, null values and overflow with a ResponseHeaderError', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('x-amz-meta', '1');
    util.http.addResponseHeader('X-Amzn-Trace', '1');
    util.http.addResponseHeader('Content-Type', 'text/plain');
    util.http.addResponseHeader('empty', null);
    util.http.addResponseHeader('big', 'x'.repeat(4096));
    expect(state.responseHeaders).toEqual({});
    expect(state.errors.map((e) => e.errorType)).toEqual(Array(5).fill('ResponseHeaderError'));
  });

  it('refuses any name starting x-amzn-, whatever its case, as restricted', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('x-amzn-RequestId', '1');
    util.http.addResponseHeaders({ 'X-AMZN-ERRORTYPE': 'Boom' });
    util.http.addResponseHeader('my-x-amzn-id', '1');
    expect(state.responseHeaders).toEqual({ 'my-x-amzn-id': '1' });
    expect(state.errors).toEqual([
      { message: "Response header 'x-amzn-RequestId' is restricted", errorType: 'ResponseHeaderError', data: null, errorInfo: null },
      { message: "Response header 'X-AMZN-ERRORTYPE' is restricted", errorType: 'ResponseHeaderError', data: null, errorInfo: null },
    ]);
  });

  it('a header redefined keeps its latest value', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('h', 'a');
    util.http.addResponseHeader('h', 'b');
    expect(state.responseHeaders).toEqual({ h: 'b' });
  });
});

describe('util.xml', () => {
  const { util } = makeUtil();
  it('toMap: the AppSync documentation examples', () => {
    const one = '<?xml version="1.0" encoding="UTF-8"?>\n<posts>\n<post>\n  <id>1</id>\n  <title>Getting started with GraphQL</title>\n</post>\n</posts>';
    expect(util.xml.toMap(one)).toEqual({ posts: { post: { id: 1, title: 'Getting started with GraphQL' } } });
    const two = '<posts><post><id>1</id><title>A</title></post><post><id>2</id><title>B</title></post></posts>';
    expect(util.xml.toMap(two)).toEqual({ posts: { post: [{ id: 1, title: 'A' }, { id: 2, title: 'B' }] } });
  });

  it('attributes, content, entities, CDATA, empty elements', () => {
    const xml = '<a id="7" ok="true">x &amp; y<b/><c><![CDATA[<raw>]]></c><!-- skip --></a>';
    expect(util.xml.toMap(xml)).toEqual({ a: { id: 7, ok: true, b: '', c: '<raw>', content: 'x & y' } });
  });

  it('toJsonString, optionally string-encoded', () => {
    expect(util.xml.toJsonString('<a>1</a>')).toBe('{"a":1}');
    expect(util.xml.toJsonString('<a>1</a>', true)).toBe('"{\\"a\\":1}"');
  });

  it('rejects malformed XML', () => {
    expect(utilErrorOf(() => util.xml.toMap('<a><b></a>')).message).toMatch(/mismatched end tag/);
  });
});

describe('util.rds.toJsonObject', () => {
  const { util } = makeUtil();
  const result = {
    sqlStatementResults: [{
      numberOfRecordsUpdated: 0,
      records: [
        [{ stringValue: 'Mark Twain' }, { stringValue: 'Adventures of Huckleberry Finn' }, { stringValue: '978-1948132817' }],
        [{ stringValue: 'Jack London' }, { stringValue: 'The Call of the Wild' }, { stringValue: '978-1948132275' }],
      ],
      columnMetadata: [{ label: 'author', name: 'author' }, { label: 'title', name: 'title' }, { label: 'ISBN-13', name: 'ISBN-13' }],
    }, { numberOfRecordsUpdated: 1 }],
  };

  it('gives one list of records per statement (recorded AWS output), from a string or an object', () => {
    const expected = [[
      { author: 'Mark Twain', title: 'Adventures of Huckleberry Finn', 'ISBN-13': '978-1948132817' },
      { author: 'Jack London', title: 'The Call of the Wild', 'ISBN-13': '978-1948132275' },
    ], []];
    expect(util.rds.toJsonObject(JSON.stringify(result))).toEqual(expected);
    expect(util.rds.toJsonObject(result)).toEqual(expected);
  });

  it('types and nulls', () => {
    const out = util.rds.toJsonObject({ sqlStatementResults: [{ records: [[{ longValue: 3 }, { isNull: true }, { booleanValue: false }]], columnMetadata: [{ name: 'n' }, { name: 'z' }, { name: 'b' }] }] });
    expect(out).toEqual([[{ n: 3, z: null, b: false }]]);
  });
});

describe('util.math and util.str', () => {
  const { util } = makeUtil();
  it('roundNum, minVal, maxVal', () => {
    expect(util.math.roundNum(2.5)).toBe(3);
    expect(util.math.roundNum(-2.5)).toBe(-2);
    expect(util.math.minVal(3, 1.5)).toBe(1.5);
    expect(util.math.maxVal(3, 1.5)).toBe(3);
  });

  it('property: randomWithinRange stays within its bounds; randomDouble within [0, 1)', () => {
    fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (lo, span) => {
      const r = util.math.randomWithinRange(lo, lo + span);
      expect(Number.isInteger(r) && r >= lo && r <= lo + span).toBe(true);
      const d = util.math.randomDouble();
      expect(d >= 0 && d < 1).toBe(true);
    }));
  });

  // AWS documents randomWithinRange only as "within the specified range"; whether the end is
  // included is not said. The code reads it as the closed range [start, end] (an integer from
  // start to end, both possible), and these pin that reading at both ends.
  it('randomWithinRange(1, 6) can return either bound', () => {
    const random = vi.spyOn(Math, 'random');
    try {
      random.mockReturnValue(0.999999);
      expect(util.math.randomWithinRange(1, 6)).toBe(6);
      random.mockReturnValue(0);
      expect(util.math.randomWithinRange(1, 6)).toBe(1);
    } finally {
      random.mockRestore();
    }
  });

  it('str.normalize', () => {
    expect(util.str.normalize('e\u0301', 'nfc')).toBe('é');
    expect(util.str.normalize('é', 'nfd')).toBe('e\u0301');
    expect(util.str.normalize('ﬁ', 'nfkc')).toBe('fi');
    expect(utilErrorOf(() => util.str.normalize('x', 'nfx')).message).toMatch(/must be one of/);
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  const { util } = makeUtil();
  it('the AppSync documentation example', () => {
    const out = JSON.parse(util.transform.toElasticsearchQueryDSL({ upvotes: { ne: 15, range: [10, 20] }, title: { eq: 'hihihi', wildcard: 'h*i' } }));
    expect(out).toEqual({
      bool: {
        must: [
          { bool: { must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }] } },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });

  // Each filter object is a bool.must of its entries, at every level (members of or/not included).
  it('or, not, exists and the match family', () => {
    const out = JSON.parse(util.transform.toElasticsearchQueryDSL({ or: [{ a: { match: 'x' } }, { b: { exists: false } }], not: { c: { matchPhrasePrefix: 'y' } } }));
    expect(out).toEqual({
      bool: {
        must: [
          { bool: { should: [
            { bool: { must: [{ bool: { must: [{ match: { a: 'x' } }] } }] } },
            { bool: { must: [{ bool: { must: [{ bool: { must_not: { exists: { field: 'b' } } } }] } }] } },
          ] } },
          { bool: { must_not: { bool: { must: [{ bool: { must: [{ match_phrase_prefix: { c: 'y' } }] } }] } } } },
        ],
      },
    });
  });
});

describe('util.rds.toJsonObject: RDS Data API field kinds', () => {
  const { util } = makeUtil();
  // The Data API's Field union (stringValue, longValue, doubleValue, booleanValue, blobValue,
  // arrayValue, isNull). AppSync documents only string records; how it renders a blob, a nested
  // array and a column whose label differs from its name is not documented, so these pin the code:
  // the blob as the base64 text the Data API gives, arrays as nested lists, the column's name.
  it('blobs, nested arrays and the column name', () => {
    const out = util.rds.toJsonObject({
      sqlStatementResults: [{
        records: [[
          { blobValue: 'aGk=' },
          { arrayValue: { arrayValues: [{ longValues: [1, 2] }, { stringValues: ['a'] }] } },
          { doubleValue: 1.5 },
        ]],
        columnMetadata: [{ name: 'data', label: 'd' }, { name: 'grid', label: 'g' }, { name: 'ratio', label: 'r' }],
      }],
    });
    expect(out).toEqual([[{ data: 'aGk=', grid: [[1, 2], ['a']], ratio: 1.5 }]]);
  });
});

describe('util.xml entities and the response-header budget', () => {
  // XML 1.0 predefined entities (&apos; included) and character references, decimal and hex.
  it('decodes every predefined entity and both forms of character reference', () => {
    const { util } = makeUtil();
    expect(util.xml.toMap('<a>&apos;&quot;&lt;&gt;&amp; &#65;&#x42;&#x1F600;</a>')).toEqual({ a: '\'"<>& AB😀' });
  });

  // AppSync caps custom response headers at 4 KB in total; a total of exactly 4096 bytes (names
  // plus values, as the code counts) is within the cap. The exact counting is not documented.
  it('accepts headers totalling exactly 4096 bytes and rejects one byte more', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('h', 'x'.repeat(4095));
    expect(state.responseHeaders).toEqual({ h: 'x'.repeat(4095) });
    util.http.addResponseHeader('i', '');
    expect(state.responseHeaders).toEqual({ h: 'x'.repeat(4095) });
    expect(state.errors.map((e) => [e.errorType, e.message])).toEqual([['ResponseHeaderError', 'Response headers exceed the 4096 bytes limit']]);
  });
});
