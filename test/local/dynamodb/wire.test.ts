// The data source's DynamoDB connection: real calls on DynamoDB Local, and the failure paths
// (resets, server faults, silence) against a small HTTP server that misbehaves on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { localDynamoDbStreams, localDynamoDbWire } from '../../../local/dynamodb/client.ts';
import { createDynamoDbWire, DynamoDbError, isDynamoDbError, type DynamoDbWire } from '../../../local/dynamodb/wire.ts';
import { dynamodbEndpoint, freshTable } from '../../support/dynamodb.ts';

/** The DynamoDbError a call failed with (and a failed test when it did not fail so). */
async function failureOf(call: Promise<unknown>): Promise<DynamoDbError> {
  const outcome = await call.then(() => undefined, (err: unknown) => err);
  expect(outcome).toBeInstanceOf(DynamoDbError);
  return outcome as DynamoDbError;
}

describe('the DynamoDB wire connection on DynamoDB Local', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  let wire: DynamoDbWire;
  beforeAll(async () => {
    table = await freshTable('wire');
    wire = localDynamoDbWire(dynamodbEndpoint());
  });
  afterAll(async () => {
    wire.close();
    await table.drop();
  });

  it('writes and reads items, binary values as base64 text', async () => {
    const Item = { PK: { S: 'w#1' }, SK: { S: 'a' }, bin: { B: 'aGk=' }, n: { N: '4.5' }, set: { BS: ['AA==', 'AQ=='] } };
    await wire.call('PutItem', { TableName: table.tableName, Item });
    const { Item: read } = await wire.call('GetItem', { TableName: table.tableName, Key: { PK: Item.PK, SK: Item.SK }, ConsistentRead: true });
    expect(read?.bin).toEqual({ B: 'aGk=' });
    expect(read?.n).toEqual({ N: '4.5' });
    expect(read?.set?.BS?.slice().sort()).toEqual(['AA==', 'AQ==']);
  });

  it('a failed condition is a DynamoDbError with its code, status, request id and the current item', async () => {
    const Key = { PK: { S: 'w#2' }, SK: { S: 'a' } };
    await wire.call('PutItem', { TableName: table.tableName, Item: { ...Key, v: { N: '1' } } });
    const err = await failureOf(
      wire.call('DeleteItem', {
        TableName: table.tableName,
        Key,
        ConditionExpression: 'v = :two',
        ExpressionAttributeValues: { ':two': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    expect([err.code, err.name, err.status, err.message]).toEqual([
      'ConditionalCheckFailedException',
      'ConditionalCheckFailedException',
      400,
      'The conditional request failed',
    ]);
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.item).toEqual({ ...Key, v: { N: '1' } });
  });

  it('a cancelled transaction carries one reason per item, in request order', async () => {
    const taken = { PK: { S: 'w#3' }, SK: { S: 'a' } };
    await wire.call('PutItem', { TableName: table.tableName, Item: taken });
    const failure = await failureOf(
      wire.call('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: table.tableName, Item: { PK: { S: 'w#3' }, SK: { S: 'b' } } } },
          { Put: { TableName: table.tableName, Item: taken, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
    expect(failure.code).toBe('TransactionCanceledException');
    expect(failure.cancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    const { Item } = await wire.call('GetItem', { TableName: table.tableName, Key: { PK: { S: 'w#3' }, SK: { S: 'b' } }, ConsistentRead: true });
    expect(Item).toBeUndefined();
  });

  it('a request DynamoDB refuses is answered once, not retried', async () => {
    const failure = await failureOf(wire.call('GetItem', { TableName: 'no-such-table', Key: { PK: { S: 'x' } } }));
    expect([failure.code, failure.status]).toEqual(['ResourceNotFoundException', 400]);
  });
});

describe('the DynamoDB Streams wire connection on DynamoDB Local', () => {
  it('reads records as Lambda events carry them: binary as base64, creation time in epoch seconds', async () => {
    const table = await freshTable('wire-streams');
    const wire = localDynamoDbWire(dynamodbEndpoint());
    const streams = localDynamoDbStreams(dynamodbEndpoint());
    try {
      await wire.call('PutItem', { TableName: table.tableName, Item: { PK: { S: 's#1' }, SK: { S: 'a' }, bin: { B: 'AQID' } } });
      const { StreamDescription } = await streams.call('DescribeStream', { StreamArn: table.streamArn });
      const shardId = StreamDescription?.Shards?.[0]?.ShardId;
      expect(shardId).toBeDefined();
      const { ShardIterator } = await streams.call('GetShardIterator', { StreamArn: table.streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' });
      const { Records } = await streams.call('GetRecords', { ShardIterator });
      const insert = Records?.find((r) => r.eventName === 'INSERT');
      expect(insert?.dynamodb?.NewImage).toEqual({ PK: { S: 's#1' }, SK: { S: 'a' }, bin: { B: 'AQID' } });
      expect(typeof insert?.dynamodb?.ApproximateCreationDateTime).toBe('number');
      expect(Math.abs((insert?.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(3600);
      // The code the pollers act on: a stream that is gone is ResourceNotFoundException.
      const missing = await failureOf(streams.call('DescribeStream', { StreamArn: `${table.streamArn.split('/stream/')[0]}-gone/stream/2020-01-01T00:00:00.000` }));
      expect(isDynamoDbError(missing, 'ResourceNotFoundException')).toBe(true);
    } finally {
      streams.close();
      wire.close();
      await table.drop();
    }
  });
});

describe('the DynamoDB wire connection when the other end misbehaves', () => {
  type Behaviour = (req: http.IncomingMessage, res: http.ServerResponse, nth: number) => void;
  async function misbehaving(behave: Behaviour, options: { timeoutMs?: number } = {}) {
    let requests = 0;
    const targets: string[] = [];
    const server = http.createServer((req, res) => {
      requests += 1;
      targets.push(String(req.headers['x-amz-target']));
      req.resume();
      req.on('end', () => behave(req, res, requests));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    const wire = createDynamoDbWire(`http://127.0.0.1:${port}`, { accessKeyId: 'k', region: 'us-east-1', maxAttempts: 3, ...options });
    return {
      wire,
      requests: () => requests,
      targets,
      close: async () => {
        wire.close();
        server.closeAllConnections();
        await new Promise((ok) => server.close(ok));
      },
    };
  }
  /** Runs `check` against a peer that behaves so, and closes the peer whatever happens. */
  async function withPeer(behave: Behaviour, check: (peer: Awaited<ReturnType<typeof misbehaving>>) => Promise<void>, options: { timeoutMs?: number } = {}) {
    const peer = await misbehaving(behave, options);
    try {
      await check(peer);
    } finally {
      await peer.close();
    }
  }
  const answer = (res: http.ServerResponse, status: number, body: string) =>
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' }).end(body);

  it('retries a connection reset and answers with the retry', async () => {
    await withPeer((req, res, nth) => (nth === 1 ? req.socket.destroy() : answer(res, 200, '{"Item":{"a":{"S":"b"}}}')), async (peer) => {
      expect(await peer.wire.call('GetItem', { TableName: 't', Key: { a: { S: 'b' } } })).toEqual({ Item: { a: { S: 'b' } } });
      expect(peer.requests()).toBe(2);
      expect(peer.targets).toEqual(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.GetItem']);
    });
  });

  it('retries a server fault up to maxAttempts, then reports it', async () => {
    await withPeer((_req, res) => answer(res, 500, '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"boom"}'), async (peer) => {
      const failure = await failureOf(peer.wire.call('GetItem', { TableName: 't', Key: {} }));
      expect([failure.code, failure.status, failure.message, failure.requestId]).toEqual(['InternalServerError', 500, 'boom', 'req-1']);
      expect(peer.requests()).toBe(3);
    });
  });

  it('does not retry a client error', async () => {
    await withPeer((_req, res) => answer(res, 400, '{"__type":"com.amazon.coral.validate#ValidationException","Message":"bad"}'), async (peer) => {
      const failure = await failureOf(peer.wire.call('GetItem', { TableName: 't', Key: {} }));
      expect([failure.code, failure.message]).toEqual(['ValidationException', 'bad']);
      expect(peer.requests()).toBe(1);
    });
  });

  it('gives up on silence after the timeout, without a second try (the write may be under way)', async () => {
    await withPeer(() => undefined, async (peer) => {
      await expect(peer.wire.call('PutItem', { TableName: 't', Item: {} })).rejects.toThrow('DynamoDB did not answer PutItem within 150 ms');
      expect(peer.requests()).toBe(1);
    }, { timeoutMs: 150 });
  });

  it('reports an answer that is not JSON', async () => {
    await withPeer((_req, res) => answer(res, 200, '<html>'), async (peer) => {
      await expect(peer.wire.call('Scan', { TableName: 't' })).rejects.toThrow('DynamoDB answered Scan with HTTP 200 and a body that is not JSON');
    });
  });
});
