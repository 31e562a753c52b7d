// DynamoDB's JSON protocol spoken directly to DynamoDB Local, for the AppSync DynamoDB data source.
// AppSync calls DynamoDB service to service, not through the JavaScript SDK; the SDK's per-call
// pipeline (middleware stack, endpoint rules, schema serde, signing) cost ~0.5 ms of CPU per call
// on the server's event loop against ~0.15 ms for this (measured on DynamoDB Local, GetItem), and
// the API would pay it on every resolver. The stream pollers read DynamoDB Streams the same way
// (Lambda's pollers are not SDK clients either), and get records in the very form Lambda events
// carry. The SDK stays the client for everything else (table set-up, TTL, the Lambda handlers,
// the tests).
import http from 'node:http';
import type {
  AttributeValue as SdkAttributeValue,
  BatchGetItemCommandInput,
  BatchGetItemCommandOutput,
  BatchWriteItemCommandInput,
  BatchWriteItemCommandOutput,
  CancellationReason as SdkCancellationReason,
  DeleteItemCommandInput,
  DeleteItemCommandOutput,
  GetItemCommandInput,
  GetItemCommandOutput,
  PutItemCommandInput,
  PutItemCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactGetItemsCommandInput,
  TransactGetItemsCommandOutput,
  TransactWriteItemsCommandInput,
  TransactWriteItemsCommandOutput,
  UpdateItemCommandInput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type {
  DescribeStreamCommandInput,
  DescribeStreamCommandOutput,
  GetRecordsCommandInput,
  GetRecordsCommandOutput,
  GetShardIteratorCommandInput,
  GetShardIteratorCommandOutput,
} from '@aws-sdk/client-dynamodb-streams';

/** An SDK shape as it travels in JSON: binary values are base64 text, times epoch seconds, no response metadata. */
export type Wire<T> = T extends Uint8Array
  ? string
  : T extends Date
    ? number
    : T extends ReadonlyArray<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T as K extends '$metadata' ? never : K]: Wire<T[K]> }
      : T;

export type AttributeValue = Wire<SdkAttributeValue>;
export type CancellationReason = Wire<SdkCancellationReason>;

interface Operations {
  GetItem: [GetItemCommandInput, GetItemCommandOutput];
  PutItem: [PutItemCommandInput, PutItemCommandOutput];
  UpdateItem: [UpdateItemCommandInput, UpdateItemCommandOutput];
  DeleteItem: [DeleteItemCommandInput, DeleteItemCommandOutput];
  Query: [QueryCommandInput, QueryCommandOutput];
  Scan: [ScanCommandInput, ScanCommandOutput];
  BatchGetItem: [BatchGetItemCommandInput, BatchGetItemCommandOutput];
  BatchWriteItem: [BatchWriteItemCommandInput, BatchWriteItemCommandOutput];
  TransactGetItems: [TransactGetItemsCommandInput, TransactGetItemsCommandOutput];
  TransactWriteItems: [TransactWriteItemsCommandInput, TransactWriteItemsCommandOutput];
}
export type Operation = keyof Operations;

interface StreamsOperations {
  DescribeStream: [DescribeStreamCommandInput, DescribeStreamCommandOutput];
  GetShardIterator: [GetShardIteratorCommandInput, GetShardIteratorCommandOutput];
  GetRecords: [GetRecordsCommandInput, GetRecordsCommandOutput];
}
export type StreamsOperation = keyof StreamsOperations;

/** An error DynamoDB answered with: its code (ConditionalCheckFailedException, ...) and details. */
export class DynamoDbError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId: string,
    /** TransactionCanceledException: one reason per item, in request order. */
    readonly cancellationReasons?: CancellationReason[],
    /** ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure: the item. */
    readonly item?: Record<string, AttributeValue>,
  ) {
    super(message);
    this.name = code;
  }
}

export interface DynamoDbWire {
  call<O extends Operation>(operation: O, input: Wire<Operations[O][0]>): Promise<Wire<Operations[O][1]>>;
  close(): void;
}

export interface DynamoDbStreamsWire {
  call<O extends StreamsOperation>(operation: O, input: Wire<StreamsOperations[O][0]>): Promise<Wire<StreamsOperations[O][1]>>;
  close(): void;
}

/** DynamoDbError with this code (ResourceNotFoundException, ExpiredIteratorException, ...). */
export function isDynamoDbError(err: unknown, code: string): err is DynamoDbError {
  return err instanceof DynamoDbError && err.code === code;
}

export interface DynamoDbWireOptions {
  /** DynamoDB Local ignores signatures but wants a credential scope; any access key id will do (-sharedDb). */
  accessKeyId: string;
  region: string;
  /** Tries per call, the first included (the SDK's default is 3). */
  maxAttempts?: number;
  timeoutMs?: number;
  maxSockets?: number;
}

// Worth another try, as the SDK's standard retry mode judges: DynamoDB's server-side faults and
// throttling. A network error is retried too (a kept-alive socket the server had just closed).
const RETRYABLE_CODES = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);
const BACKOFF_BASE_MS = 25;

export function createDynamoDbWire(endpoint: string, options: DynamoDbWireOptions): DynamoDbWire {
  return jsonProtocolWire(endpoint, options, 'DynamoDB_20120810');
}

export function createDynamoDbStreamsWire(endpoint: string, options: DynamoDbWireOptions): DynamoDbStreamsWire {
  return jsonProtocolWire(endpoint, options, 'DynamoDBStreams_20120810');
}

/** AWS JSON 1.0 over keep-alive HTTP: `x-amz-target: <target>.<Operation>`, with retries. */
function jsonProtocolWire(
  endpoint: string,
  options: DynamoDbWireOptions,
  target: string,
): { call(operation: string, input: unknown): Promise<never>; close(): void } {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 50 });
  const maxAttempts = options.maxAttempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const authorization =
    `AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/${date}/${options.region}/dynamodb/aws4_request, ` +
    'SignedHeaders=content-type;host;x-amz-target, Signature=unsigned';

  function post(operation: string, body: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(body),
            'x-amz-target': `${target}.${operation}`,
            authorization,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: unknown;
            try {
              parsed = text === '' ? {} : JSON.parse(text);
            } catch {
              reject(new Error(`DynamoDB answered ${operation} with HTTP ${status} and a body that is not JSON`));
              return;
            }
            if (status === 200) resolve(parsed);
            else reject(errorOf(parsed, status, String(res.headers['x-amzn-requestid'] ?? 'unknown')));
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`DynamoDB did not answer ${operation} within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    async call(operation, input) {
      const body = JSON.stringify(input);
      for (let attempt = 1; ; attempt++) {
        try {
          return (await post(operation, body)) as never;
        } catch (err) {
          if (attempt >= maxAttempts || !retryable(err)) throw err;
          await new Promise((wake) => setTimeout(wake, Math.random() * BACKOFF_BASE_MS * 2 ** attempt));
        }
      }
    },
    close() {
      agent.destroy();
    },
  };
}

function errorOf(body: unknown, status: number, requestId: string): DynamoDbError {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"
  const code = String(fields.__type ?? `HTTP${status}`).split('#').pop() ?? 'UnknownError';
  const message = String(fields.message ?? fields.Message ?? code);
  return new DynamoDbError(
    code,
    message,
    status,
    requestId,
    fields.CancellationReasons as CancellationReason[] | undefined,
    fields.Item as Record<string, AttributeValue> | undefined,
  );
}

function retryable(err: unknown): boolean {
  if (err instanceof DynamoDbError) return err.status >= 500 || RETRYABLE_CODES.has(err.code);
  // No answer at all: a reset or refused connection, a hang-up. A timeout is not retried (the write
  // may be in progress).
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED' || (err as Error).message === 'socket hang up';
}
