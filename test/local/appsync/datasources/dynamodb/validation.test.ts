// Malformed request objects: rejected before DynamoDB is called, with AppSync's MappingTemplate errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOnFreshTable, typed } from './support.ts';

let env: Awaited<ReturnType<typeof dataSourceOnFreshTable>>;
beforeAll(async () => {
  env = await dataSourceOnFreshTable('valid');
});
afterAll(async () => {
  await env.table.drop();
});

const key = typed({ PK: 'v', SK: '1' });

async function rejection(request: unknown): Promise<string> {
  const outcome = await env.invoke(request);
  expect(outcome.result).toBeNull();
  expect(outcome.error?.type).toBe('MappingTemplate');
  return outcome.error?.message ?? '';
}

describe('request validation', () => {
  it('needs an operation AppSync knows', async () => {
    expect(await rejection({ payload: {} })).toBe("Value for field '$[operation]' not found.");
    expect(await rejection('GetItem')).toBe("Value for field '$[operation]' not found.");
    expect(await rejection({ operation: 'Frobnicate', key })).toBe("Unsupported operation 'Frobnicate'.");
    // Names every object has are not operations.
    for (const operation of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(await rejection({ operation, key })).toBe(`Unsupported operation '${operation}'.`);
    }
    expect(await rejection({ operation: 'Sync' })).toMatch(/versioned data source/);
    expect(await rejection({ operation: 'GetItem', version: '2099-01-01', key })).toMatch(/Unsupported version/);
  });

  it('accepts the template versions AppSync knows', async () => {
    const outcome = await env.invoke({ operation: 'GetItem', version: '2018-05-29', key });
    expect(outcome).toEqual({ result: null });
  });

  it('refuses elements the operation does not have, and writes nothing', async () => {
    expect(await rejection({ operation: 'UpdateItem', key, update: { expression: 'SET a = :a', expressionValues: { ':a': { N: 1 } } }, returnValues: 'ALL_OLD' })).toBe(
      "Unsupported element '$[returnValues]'.",
    );
    expect(await rejection({ operation: 'PutItem', key, attributeValues: {}, item: typed({ a: 1 }) })).toBe("Unsupported element '$[item]'.");
    expect(await rejection({ operation: 'Scan', scanIndexForward: true })).toBe("Unsupported element '$[scanIndexForward]'.");
    expect(await rejection({ operation: 'GetItem', key, projection: { expression: 'a', expressionValues: {} } })).toBe(
      "Unsupported element '$[projection][expressionValues]'.",
    );
    expect(await env.read('v', '1')).toBeUndefined();
  });

  it('needs the required fields', async () => {
    expect(await rejection({ operation: 'GetItem' })).toBe("Value for field '$[key]' not found.");
    expect(await rejection({ operation: 'PutItem', key })).toBe("Value for field '$[attributeValues]' not found.");
    expect(await rejection({ operation: 'UpdateItem', key })).toBe("Value for field '$[update]' not found.");
    expect(await rejection({ operation: 'UpdateItem', key, update: {} })).toBe("Value for field '$[update][expression]' not found.");
    expect(await rejection({ operation: 'Query' })).toBe("Value for field '$[query]' not found.");
    expect(await rejection({ operation: 'BatchGetItem' })).toBe("Value for field '$[tables]' not found.");
    expect(await rejection({ operation: 'BatchGetItem', tables: { T1: {} } })).toBe("Value for field '$[tables][T1][keys]' not found.");
    expect(await rejection({ operation: 'TransactGetItems', transactItems: [{ key }] })).toBe("Value for field '$[transactItems][0][table]' not found.");
  });

  it('rejects empty collections', async () => {
    expect(await rejection({ operation: 'GetItem', key: {} })).toMatch(/'\$\[key\]' must not be empty/);
    expect(await rejection({ operation: 'BatchPutItem', tables: {} })).toMatch(/at least one table/);
    expect(await rejection({ operation: 'TransactWriteItems', transactItems: [] })).toMatch(/at least one item/);
  });

  it('rejects values of the wrong type', async () => {
    expect(await rejection({ operation: 'GetItem', key: { PK: 'v', SK: { S: '1' } } })).toBe(
      "Expected JSON object for attribute value '$[key][PK]' but got 'STRING' instead.",
    );
    expect(await rejection({ operation: 'GetItem', key, consistentRead: 'yes' })).toBe(
      "Expected a boolean for field '$[consistentRead]' but got 'STRING' instead.",
    );
    expect(await rejection({ operation: 'Scan', limit: '10' })).toBe("Expected an integer for field '$[limit]' but got 'STRING' instead.");
    expect(await rejection({ operation: 'Scan', limit: 2.5 })).toBe("Expected an integer for field '$[limit]' but got 'NUMBER' instead.");
    expect(await rejection({ operation: 'Scan', select: 'COUNT' })).toMatch(/'\$\[select\]' must be one of ALL_ATTRIBUTES/);
    expect(await rejection({ operation: 'Query', query: { expression: 'PK = :p', expressionValues: { ':p': 'v' } } })).toBe(
      "Expected JSON object for attribute value '$[query][expressionValues][:p]' but got 'STRING' instead.",
    );
    expect(await rejection({ operation: 'BatchPutItem', tables: { T1: typed({ a: 1 }) } })).toBe(
      "Expected a JSON array for field '$[tables][T1]' but got 'OBJECT' instead.",
    );
  });

  it('refuses one placeholder defined two ways by two expressions of a request', async () => {
    const message = await rejection({
      operation: 'Query',
      query: { expression: 'PK = :v', expressionValues: { ':v': { S: 'a' } } },
      filter: { expression: 'x = :v', expressionValues: { ':v': { S: 'b' } } },
    });
    expect(message).toBe("Expression placeholder ':v' is defined twice with different values.");
  });

  it('refuses conflict-detection fields of versioned data sources', async () => {
    expect(await rejection({ operation: 'PutItem', key, attributeValues: {}, _version: 1 })).toMatch(
      /'\$\[_version\]' needs a versioned data source/,
    );
  });
});
