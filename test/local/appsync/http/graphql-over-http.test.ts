// The GraphQL-over-HTTP surface as AppSync answers it: request errors (400/405/413), document
// errors inside a 200, resolver error shapes, ctx.info, GET queries and mutations (AppSync runs both), and published
// mutations.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, PROVIDER, signedHeaders, startServer, type TestServer, readJson } from './support.ts';

let s: TestServer;
let key: Record<string, string>;
beforeAll(async () => {
  s = await startServer({ maxBodyBytes: 1024 * 1024 });
  key = { 'x-api-key': s.apiKey };
});
afterAll(() => s.close());

async function post(body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...key, ...headers }, body });
  return { status: res.status, body: await readJson(res) };
}

describe('malformed HTTP requests', () => {
  it('answers an empty body with 400 MalformedHttpRequestException', async () => {
    expect(await post('')).toEqual({
      status: 400,
      body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] },
    });
  });

  it.each(['meow', '{}', '{}}', '[]', '{"query": 42}'])('answers %s with 400 "Unable to parse GraphQL query."', async (body) => {
    expect(await post(body)).toEqual({
      status: 400,
      body: { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] },
    });
  });

  it('refuses a non-JSON content type', async () => {
    const r = await post('query=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].errorType).toBe('MalformedHttpRequestException');
    expect(r.body.errors[0].message).toContain('application/json');
  });

  it('refuses a body over 1 MB with 413 and keeps serving', async () => {
    const big = JSON.stringify({ query: `query { getProvider(id: "${'x'.repeat(1024 * 1024)}") { id } }` });
    const r = await post(big);
    expect(r.status).toBe(413);
    expect(r.body.errors[0].errorType).toBe('PayloadTooLargeException');
    const after = await gql(s.url, key, 'query { getProvider(id: "p1") { id } }');
    expect(after.body).toEqual({ data: { getProvider: { id: 'p1' } } });
  });

  it('accepts a body of exactly 1 MB', async () => {
    const json = JSON.stringify({ query: 'query { getProvider(id: "p1") { id } }' });
    const r = await post(json.padEnd(1024 * 1024, ' '));
    expect(r).toEqual({ status: 200, body: { data: { getProvider: { id: 'p1' } } } });
  });

  it('refuses a chunked body that grows past 1 MB without buffering it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...key } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 20; i += 1) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
  });

  it('refuses other methods with 405', async () => {
    const res = await fetch(s.url, { method: 'PUT', headers: key, body: '{}' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, OPTIONS');
    expect((await readJson(res)).errors).toEqual([{ errorType: 'MethodNotAllowedException', message: 'Method PUT is not allowed on /graphql: use POST or GET.' }]);
  });

  it('answers an unknown path with 404 in the same error shape', async () => {
    const res = await fetch(`${s.base}/nope`, { headers: key });
    expect(res.status).toBe(404);
    expect((await readJson(res)).errors[0].errorType).toBe('NotFoundException');
  });

  it('answers a request target that is not a URL with 400, and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(s.base).port), '127.0.0.1', () => socket.write(`GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"errorType":"BadRequestException"');
    expect((await gql(s.url, key, 'query { getProvider(id: "p1") { id } }')).status).toBe(200);
  });

  it('answers CORS preflight', async () => {
    const res = await fetch(s.url, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('x-api-key');
  });
});

describe('document errors (HTTP 200, path null, no errorType)', () => {
  it('reports an unknown field like AppSync', async () => {
    const r = await gql(s.url, key, '{badfield}');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 2, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'",
        },
      ],
    });
  });

  it('reports nested unknown fields, missing arguments and missing sub-selections with their paths', async () => {
    const r = await gql(s.url, key, 'query { getProvider { nope } listProviders }');
    const messages = r.body.errors.map((e: { message: string }) => e.message);
    expect(messages).toContain("Validation error of type FieldUndefined: Field 'nope' in type 'Provider' is undefined @ 'getProvider/nope'");
    expect(messages).toContain("Validation error of type MissingFieldArgument: Missing field argument id @ 'getProvider'");
    expect(messages).toContain(
      "Validation error of type SubSelectionRequired: Sub selection required for type null of field listProviders @ 'listProviders'",
    );
  });

  it('reports a syntax error with its location', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "p1") { id }');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0]).toEqual({
      path: null,
      locations: [{ line: 1, column: 37, sourceName: null }],
      message: "Invalid Syntax : offending token '<EOF>' at line 1 column 37",
    });
  });

  it('cancels a document nested past graphql-java\'s grammar depth, as AppSync\'s parser does', async () => {
    const r = await gql(s.url, key, `query { getProvider(id: "p1") ${'{ a '.repeat(2000)}${'}'.repeat(2000)} }`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 30 + 4 * 164 + 1, sourceName: null }],
          message: "Invalid Syntax : More than 500 deep 'grammar' rules have been entered. To prevent Denial Of Service attacks, parsing has been cancelled.",
        },
      ],
    });
    // Within the depth, the document parses and is validated as usual.
    const within = await gql(s.url, key, `query { getProvider(id: "p1") ${'{ a '.repeat(100)}${'}'.repeat(100)} }`);
    expect(within.body.errors[0].message).toMatch(/^Validation error of type FieldUndefined: Field 'a' in type 'Provider'/);
  });

  it('reports a missing non-null variable like AppSync', async () => {
    const r = await gql(s.url, key, 'query Q($id: ID!) { getProvider(id: $id) { id } }', {});
    expect(r.body).toEqual({
      data: null,
      errors: [{ path: null, locations: [{ line: 1, column: 9, sourceName: null }], message: "Variable 'id' has coerced Null value for NonNull type 'ID!'" }],
    });
  });

  it('refuses a subscription over HTTP', async () => {
    const r = await gql(s.url, key, 'subscription { onSlotChanged(providerId: "p1") { slotId } }');
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toEqual({ errorType: 'BadRequestException', message: 'Subscriptions over MQTT is not supported.' });
  });
});

describe('resolver results and errors', () => {
  it('shapes util.error like AppSync: path, data, errorType, errorInfo, locations, message', async () => {
    const r = await gql(s.url, key, 'query {\n  getProvider(id: "missing") { id }\n}');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      data: { getProvider: null },
      errors: [
        {
          path: ['getProvider'],
          data: null,
          errorType: 'NotFound',
          errorInfo: { id: 'missing' },
          locations: [{ line: 2, column: 3, sourceName: null }],
          message: 'Provider missing not found',
        },
      ],
    });
  });

  it('filters util.error data by the selection set; errorInfo is not filtered', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "with-data") { id } }');
    expect(r.body.errors).toEqual([
      expect.objectContaining({ data: { id: 'p1' }, errorType: 'Archived', errorInfo: { ...PROVIDER }, message: 'Provider is archived' }),
    ]);
  });

  it('filters error data through nested selections, aliases and fragments as graphql resolves them', async () => {
    const query = `query { listProviders(limit: 0) { first: items { id ...F } items { ownerId } nextToken also: nextToken } }
fragment F on Provider { name id }`;
    const r = await gql(s.url, key, query);
    expect(r.body.errors[0].data).toEqual({
      first: [
        { id: 'p1', name: 'Dr Who' },
        { id: 'p2', name: 'Dr Who' },
      ],
      items: [{ ownerId: 'owner-1' }, { ownerId: 'owner-1' }],
      nextToken: 'next',
      also: 'next',
    });
    // Where one field is selected twice, graphql merges the selections, and so does the filter.
    const merged = await gql(s.url, key, 'query { getProvider(id: "with-data") { id } getProvider(id: "with-data") { name } }');
    expect(merged.body.errors[0].data).toEqual({ id: 'p1', name: 'Dr Who' });
    // The same below the top: a nested field selected twice keeps both sub-selections.
    const nested = await gql(s.url, key, 'query { listProviders(limit: 0) { items { id } items { name } } }');
    expect(nested.body.errors[0].data).toEqual({
      items: [
        { id: 'p1', name: 'Dr Who' },
        { id: 'p2', name: 'Dr Who' },
      ],
    });
  });

  it('passes error data that is not an object unchanged', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "append-data") { id } }');
    expect(r.body.data).toEqual({ getProvider: { id: 'p1' } });
    expect(r.body.errors[0].data).toEqual(['not', 'an', 'object']);
  });

  it('returns data together with appended errors', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "partial") { id } }');
    expect(r.body.data).toEqual({ getProvider: { id: 'p1' } });
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ['getProvider'], errorType: 'Partial', message: 'description unavailable' })]);
  });

  it('reports an AWSDateTime the resolver cannot return like graphql-java', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "bad-date") { id createdAt } }');
    // createdAt is non-null, so the failure nulls getProvider as well.
    expect(r.body.data).toEqual({ getProvider: null });
    expect(r.body.errors).toEqual([
      {
        path: ['getProvider', 'createdAt'],
        locations: null,
        message: "Can't serialize value (/getProvider/createdAt) : Unable to serialize `yesterday` as a valid DateTime Object.",
      },
    ]);
  });

  it('nulls the parent of a null non-null field and says why', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "no-name") { id name } }');
    expect(r.body.data).toEqual({ getProvider: null });
    expect(r.body.errors[0].message).toBe("Cannot return null for non-nullable type: 'String' within parent 'Provider' (/getProvider/name)");
  });

  it('gives resolvers AppSync info: selectionSetList with nested paths and aliases, selectionSetGraphQL, variables', async () => {
    const query = `query L($n: Int) { listProviders(limit: $n) { first: items { id ...F } nextToken } }
fragment F on Provider { name }`;
    await gql(s.url, key, query, { n: 5 });
    const { invocation } = s.runner.calls.at(-1)!;
    expect(invocation.arguments).toEqual({ limit: 5 });
    expect(invocation.source).toBeNull();
    expect(invocation.info).toEqual({
      fieldName: 'listProviders',
      parentTypeName: 'Query',
      variables: { n: 5 },
      selectionSetList: ['first', 'first/id', 'first/name', 'nextToken'],
      selectionSetGraphQL: '{\n  first: items {\n    id\n    ...F\n  }\n  nextToken\n}',
    });
    expect(invocation.request.headers['x-api-key']).toBe(s.apiKey);
    expect(invocation.request.domainName).toBeNull();
  });

  it('reports a fault in the resolver runtime on the field and keeps serving', async () => {
    const r = await gql(s.url, key, 'query { getProvider(id: "crash") { id } }');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ getProvider: null });
    expect(r.body.errors[0]).toMatchObject({ path: ['getProvider'], errorType: 'InternalFailure', message: 'runtime crashed' });
    expect((await gql(s.url, key, 'query { getProvider(id: "p1") { id } }')).body).toEqual({ data: { getProvider: { id: 'p1' } } });
  });

  it('serves queries over GET', async () => {
    const q = new URLSearchParams({ query: 'query Q($id: ID!) { getProvider(id: $id) { id } }', variables: JSON.stringify({ id: 'g1' }) });
    const res = await fetch(`${s.url}?${q}`, { headers: key });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ data: { getProvider: { id: 'g1' } } });
  });

  it('runs a mutation over GET, as AppSync does (its team: "AppSync supports HTTP POST and GET for queries and mutations")', async () => {
    const before = s.runner.calls.length;
    const q = new URLSearchParams({ query: 'mutation { createProvider(input: {name: "N", timeZone: "UTC"}) { id } }' });
    const res = await fetch(`${s.url}?${q}`, { headers: { authorization: await s.token('erin', ['admins']) } });
    expect(res.status).toBe(200);
    expect((await readJson(res)).data.createProvider).toEqual({ id: expect.any(String) });
    expect(s.runner.calls.slice(before).map((c) => c.fieldName)).toContain('createProvider');
  });
});

describe('published mutations', () => {
  it('publishes a subscribed mutation result restricted to its selection set, aliases undone', async () => {
    const input = {
      providerId: 'p1',
      date: '2030-01-02',
      slotId: 's9',
      startTime: '2030-01-02T09:00:00Z',
      status: 'HELD',
      previousStatus: 'AVAILABLE',
      reason: 'HELD',
      at: '2030-01-02T08:00:00Z',
    };
    const body = JSON.stringify({ query: 'mutation M($i: SlotChangeInput!) { change: publishSlotChange(input: $i) { providerId slot: slotId status } }', variables: { i: input } });
    const before = s.published.length;
    const res = await fetch(s.url, { method: 'POST', headers: await signedHeaders(s.url, body), body });
    expect(res.status).toBe(200);
    expect(s.published.slice(before)).toEqual([
      {
        mutationField: 'publishSlotChange',
        result: { providerId: 'p1', slotId: 's9', status: 'HELD' },
        selectionSet: ['providerId', 'slotId', 'status'],
      },
    ]);
  });

  it('does not publish mutations without subscribers', async () => {
    const before = s.published.length;
    const r = await gql(s.url, { authorization: await s.token('erin', ['admins']) }, 'mutation { createProvider(input: {name: "N", timeZone: "UTC"}) { id } }');
    expect(r.body.data.createProvider.id).toBe('new');
    expect(s.published.length).toBe(before);
  });
});
