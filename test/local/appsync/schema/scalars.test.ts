// AppSync's scalars: what each accepts and refuses (APPSYNC-NOTES §7), and the messages AppSync
// gives for bad literals and bad variables.
import { describe, expect, it } from 'vitest';
import { execute, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { buildAppSyncSchemaFromSDL } from '../../../../local/appsync/schema/build.ts';
import { coerceAWSScalar, type AWSScalarName } from '../../../../local/appsync/schema/scalars.ts';
import { validateDocument } from '../../../../local/appsync/schema/validation.ts';
import { checkVariables } from '../../../../local/appsync/schema/variables.ts';

const CASES: Record<AWSScalarName, { valid: unknown[]; invalid: unknown[] }> = {
  AWSDate: {
    valid: ['1970-01-01', '1970-01-01Z', '1970-01-01-07:00', '1970-01-01+05:30', '2024-02-29', '1970-01-01+05:30:15'],
    invalid: ['1970-1-1', '2023-02-29', '1970-13-01', '1970-01-01T00:00Z', '19700101', '', 20240101, '1970-01-01+19:00'],
  },
  AWSTime: {
    valid: ['12:30', '12:30Z', '12:30:24-07:00', '12:30:24.500+05:30', '12:00:00.123456789', '23:59:59'],
    invalid: ['24:00', '12:60', '12:30:24.1234567890', '1230', '12:30:24.', 'noon', 1230],
  },
  AWSDateTime: {
    valid: ['1970-01-01T12:00:00.2Z', '1970-01-01T12:00Z', '2030-01-02T09:00:00+05:30', '-2017-01-01T00:00Z', '1970-01-01T12:00:00.123456789-07:00:30'],
    invalid: ['1970-01-01T12:00:00', '1970-01-01', '1970-01-01 12:00:00Z', '2030-02-30T00:00Z', 'yesterday', 0],
  },
  AWSTimestamp: {
    valid: [0, 1700000000, -123],
    invalid: [1.5, '1700000000', null, Number.MAX_SAFE_INTEGER + 2],
  },
  AWSEmail: {
    valid: ['a@b', 'jeff@amazon.com', 'first.last+tag@example.co.uk'],
    invalid: ['plainaddress', '@example.com', 'a@', 'a b@c.com', 42],
  },
  AWSJSON: {
    valid: ['{"upvotes": 10}', '[1,2,3]', '"AWSJSON example string"', '1', 'true', 'null'],
    invalid: ['{a: 1}', "{'a': 1}", 'unquoted', '', { a: 1 }],
  },
  AWSPhone: {
    valid: ['+1 206 555 0100', '206-555-0100', '2065550100', '+44 20 7946 0958', '1 206 555 0100'],
    invalid: ['1110004444', '555-0100', 'call me', '+1 206 555 01000', '206--555-0100', '(206) 555-0100'],
  },
  AWSURL: {
    valid: ['https://www.amazon.com/dp/B000NZW3KC/', 'mailto:jeff@amazon.com', 'http://localhost:3000/graphql', 'ftp://x.y/z'],
    invalid: ['www.amazon.com', 'https://example.com//double', 'no scheme', '/relative/path', 'http://exa mple.com'],
  },
  AWSIPAddress: {
    valid: ['127.0.0.1', '10.0.0.0/16', '::1', '2001:db8::1', '1a2b:3c4b::/64'],
    invalid: ['256.0.0.1', '[::1]', '10.0.0.0/33', '::1/129', 'localhost', '1.2.3'],
  },
};

describe.each(Object.entries(CASES))('%s', (name, { valid, invalid }) => {
  it.each(valid)('accepts %j', (value) => {
    expect(coerceAWSScalar(name as AWSScalarName, value).ok).toBe(true);
  });
  it.each(invalid)('refuses %j', (value) => {
    expect(coerceAWSScalar(name as AWSScalarName, value).ok).toBe(false);
  });
});

const sdl = `${readFileSync('schema/appsync.graphql', 'utf8')}
input Contact { email: AWSEmail!, phone: AWSPhone }
type Query {
  echo(date: AWSDate, time: AWSTime, at: AWSDateTime, ts: AWSTimestamp, email: AWSEmail, json: AWSJSON,
       phone: AWSPhone, url: AWSURL, ip: AWSIPAddress, contact: Contact): AWSJSON
  when: AWSDateTime
}`;
const model = buildAppSyncSchemaFromSDL(sdl, 'API_KEY');

function validationMessages(query: string): string[] {
  return validateDocument(model.schema, parse(query)).map((e) => e.message);
}

describe('scalar literals in documents', () => {
  it('refuses a bad literal with AppSync WrongType wording', () => {
    expect(validationMessages('{ echo(date: "2024-13-01") }')).toEqual([
      "Validation error of type WrongType: argument 'date' with value 'StringValue{value='2024-13-01'}' is not a valid 'AWSDate' @ 'echo'",
    ]);
  });

  it('names the input field path and refuses an object for AWSJSON', () => {
    expect(validationMessages('{ echo(contact: {email: "nope"}, json: {upvotes: 10}) }')).toEqual([
      "Validation error of type WrongType: argument 'contact.email' with value 'StringValue{value='nope'}' is not a valid 'AWSEmail' @ 'echo'",
      "Validation error of type WrongType: argument 'json' with value 'ObjectValue{objectFields=[ObjectField{name='upvotes', value=IntValue{value=10}}]}' is not a valid 'AWSJSON' @ 'echo'",
    ]);
  });

  it('accepts good literals of every scalar', () => {
    const query = `{ echo(date: "2024-01-31", time: "12:30Z", at: "2024-01-31T12:30:00Z", ts: 1700000000, email: "a@b.co",
      json: "{\\"a\\":1}", phone: "+1 206 555 0100", url: "https://x.y", ip: "10.0.0.1/8", contact: {email: "a@b"}) }`;
    expect(validationMessages(query)).toEqual([]);
  });
});

describe('scalar variables', () => {
  const op = (query: string) => {
    const doc = parse(query);
    return { doc, operation: doc.definitions[0] as never };
  };

  it('names the innermost field and says what the value should be', () => {
    const { operation } = op('query Q($c: Contact, $d: AWSDate, $at: AWSDateTime) { echo(contact: $c, date: $d, at: $at) }');
    const errors = checkVariables(model.schema, operation, { c: { email: 'a@b', phone: '1110004444' }, d: '2019-12-24T04:15:57.798Z', at: '2019' });
    expect(errors.map((e) => e.message)).toEqual([
      "Variable 'phone' has an invalid value. Unable to parse `1110004444` as a valid phone number.",
      "Variable 'd' has an invalid value. Unable to parse `2019-12-24T04:15:57.798Z` as a valid date.",
      "Variable 'at' has an invalid value. Unable to parse `2019` as a valid DateTime Object.",
    ]);
    expect(errors[0].locations).toEqual([{ line: 1, column: 9 }]);
  });

  it('reports unknown and missing input fields like AppSync', () => {
    const { operation } = op('query Q($c: Contact!) { echo(contact: $c) }');
    expect(checkVariables(model.schema, operation, { c: { phone: '+1 206 555 0100', extra: 1 } }).map((e) => e.message)).toEqual([
      "Variable 'c' has coerced Null value for NonNull type 'AWSEmail!'",
      "Variable 'c' has an invalid value. The variables input contains a field name 'extra' that is not defined for input object type 'Contact'",
    ]);
  });

  it('parses AWSJSON into values before resolvers see them and serializes results back to JSON text', async () => {
    const { doc } = op('query Q($j: AWSJSON) { echo(json: $j) }');
    const seen: unknown[] = [];
    const result = await execute({
      schema: model.schema,
      document: doc,
      variableValues: { j: '{"upvotes": 10, "tags": ["a"]}' },
      fieldResolver: (_s, args) => {
        seen.push(args.json);
        return args.json;
      },
    });
    expect(seen).toEqual([{ upvotes: 10, tags: ['a'] }]);
    expect(result.data).toEqual({ echo: '{"upvotes":10,"tags":["a"]}' });
  });

  it('refuses to serialize an invalid AWSDateTime result', async () => {
    const result = await execute({ schema: model.schema, document: parse('{ when }'), fieldResolver: () => '2030-01-01 10:00' });
    expect(result.errors?.[0].message).toBe('Unable to serialize `2030-01-01 10:00` as a valid DateTime Object.');
  });
});
