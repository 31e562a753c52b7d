// The wiring, declared once. The CDK stack (infra/stack.ts) and the local server (local/server.ts)
// both read this module; neither declares a table, queue, function, event source or API variable
// of its own. Resolvers declare themselves by file name (infra/resolvers.ts).
import { API_SETTINGS } from '../functions/shared/model.ts';
import type { ApiLimits } from './api-limits.ts';

/** A value resolved by each target: the table's name, a queue's URL, the API's GraphQL URL. */
export type Ref =
  | { ref: 'table'; attr: 'name' | 'arn' | 'streamArn' }
  | { ref: 'queue'; queue: QueueName; attr: 'url' | 'arn' }
  | { ref: 'api'; attr: 'graphqlUrl' };

export type EnvValue = string | Ref;

export interface KeySchema {
  partitionKey: string;
  sortKey: string;
}

export interface TableWiring extends KeySchema {
  /** Logical name; the deployed table gets a generated physical name. */
  name: string;
  ttlAttribute: string;
  streamView: 'NEW_AND_OLD_IMAGES';
  globalSecondaryIndexes: Array<KeySchema & { indexName: string }>;
}

export const table: TableWiring = {
  name: 'slotsync',
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  streamView: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
};

export type QueueName = 'bookings' | 'stream-failures';

export interface QueueWiring {
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  /** Messages received this many times without being deleted move to the queue's DLQ; 0: no DLQ. */
  maxReceiveCount: number;
  dlqRetentionSeconds: number;
}

export const queues: Record<QueueName, QueueWiring> = {
  bookings: {
    visibilityTimeoutSeconds: 60,
    retentionSeconds: 4 * 24 * 3600,
    maxReceiveCount: 3,
    dlqRetentionSeconds: 14 * 24 * 3600,
  },
  // On-failure destination of the stream event sources: batches that exhausted their retries.
  'stream-failures': {
    visibilityTimeoutSeconds: 30,
    retentionSeconds: 14 * 24 * 3600,
    maxReceiveCount: 0,
    dlqRetentionSeconds: 0,
  },
};

export type FunctionName =
  | 'generate-slots'
  | 'enqueue-booking'
  | 'booking-processor'
  | 'expiry-processor'
  | 'change-publisher';

/** What a function may touch: the stack turns these into least-privilege grants. */
export type Grant =
  | 'table:read'
  | 'table:write'
  | 'queue:bookings:send'
  | 'api:publish';

export interface FunctionWiring {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Concurrent invocations allowed (reserved concurrency in AWS, a semaphore locally). */
  concurrency: number;
  environment: Record<string, EnvValue>;
  grants: Grant[];
}

const tableName: Ref = { ref: 'table', attr: 'name' };

export const functions: Record<FunctionName, FunctionWiring> = {
  'generate-slots': {
    entry: 'functions/generate-slots/handler.ts',
    // Under AppSync's 30 s request limit: a run AppSync has already given up on would still write
    // and announce slots the caller was told failed.
    timeoutSeconds: 25,
    memoryMb: 512,
    concurrency: 10,
    environment: { TABLE_NAME: tableName },
    grants: ['table:read', 'table:write'],
  },
  'enqueue-booking': {
    entry: 'functions/enqueue-booking/handler.ts',
    timeoutSeconds: 10,
    memoryMb: 256,
    concurrency: 50,
    environment: { BOOKING_QUEUE_URL: { ref: 'queue', queue: 'bookings', attr: 'url' } },
    grants: ['queue:bookings:send'],
  },
  'booking-processor': {
    entry: 'functions/booking-processor/handler.ts',
    // A batch is at most ten messages of a few DynamoDB calls each. Kept short because AWS advises
    // a queue visibility timeout of six times the function's, and a failed message waits that long.
    timeoutSeconds: 10,
    memoryMb: 256,
    concurrency: 10,
    environment: { TABLE_NAME: tableName },
    grants: ['table:read', 'table:write'],
  },
  'expiry-processor': {
    entry: 'functions/expiry-processor/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    concurrency: 5,
    environment: { TABLE_NAME: tableName },
    grants: ['table:read', 'table:write'],
  },
  'change-publisher': {
    entry: 'functions/change-publisher/handler.ts',
    timeoutSeconds: 30,
    memoryMb: 256,
    concurrency: 5,
    environment: { GRAPHQL_URL: { ref: 'api', attr: 'graphqlUrl' } },
    grants: ['api:publish'],
  },
};

/**
 * Lambda event filter patterns (the FilterCriteria pattern language), applied by Lambda in AWS
 * and by local/streams locally.
 */
export type FilterPattern = Record<string, unknown>;

export type EventSourceWiring =
  | {
      kind: 'sqs';
      function: FunctionName;
      queue: QueueName;
      batchSize: number;
      maxBatchingWindowSeconds: number;
      /**
       * Batches in flight at most (2–1000). At or below the function's reserved concurrency: a
       * throttled delivery counts toward the queue's maxReceiveCount, so a burst beyond it would
       * move messages that never ran to the DLQ.
       */
      maxConcurrency: number;
      reportBatchItemFailures: true;
    }
  | {
      kind: 'dynamodb-stream';
      function: FunctionName;
      batchSize: number;
      maxBatchingWindowSeconds: number;
      startingPosition: 'LATEST' | 'TRIM_HORIZON';
      filters: FilterPattern[];
      bisectBatchOnError: boolean;
      retryAttempts: number;
      /** Where a batch goes after its retries are exhausted. */
      onFailureQueue: QueueName;
      reportBatchItemFailures: boolean;
    };

export const eventSources: EventSourceWiring[] = [
  {
    kind: 'sqs',
    function: 'booking-processor',
    queue: 'bookings',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxConcurrency: 10,
    reportBatchItemFailures: true,
  },
  {
    // The backstop for holds whose deadline message is late or lost: TTL deletions of hold markers.
    kind: 'dynamodb-stream',
    function: 'expiry-processor',
    batchSize: 25,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'LATEST',
    filters: [
      {
        eventName: ['REMOVE'],
        userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
        dynamodb: { Keys: { PK: { S: [{ prefix: 'HOLD#' }] } } },
      },
    ],
    bisectBatchOnError: true,
    retryAttempts: 5,
    onFailureQueue: 'stream-failures',
    reportBatchItemFailures: true,
  },
  {
    // Slot and booking items only: their status changes become subscription events.
    kind: 'dynamodb-stream',
    function: 'change-publisher',
    batchSize: 100,
    maxBatchingWindowSeconds: 0,
    startingPosition: 'LATEST',
    filters: [
      { dynamodb: { Keys: { SK: { S: [{ prefix: 'SLOT#' }] } } } },
      { dynamodb: { Keys: { SK: { S: ['BOOKING'] } } } },
    ],
    bisectBatchOnError: true,
    retryAttempts: 5,
    onFailureQueue: 'stream-failures',
    reportBatchItemFailures: true,
  },
];

export type DataSourceWiring =
  | { kind: 'AMAZON_DYNAMODB' }
  | { kind: 'AWS_LAMBDA'; function: FunctionName }
  | { kind: 'NONE' };

/** Data source names as resolver file names spell them: `Query.getSlot.[table].ts`. */
export const dataSources: Record<string, DataSourceWiring> = {
  table: { kind: 'AMAZON_DYNAMODB' },
  NONE: { kind: 'NONE' },
  generateSlots: { kind: 'AWS_LAMBDA', function: 'generate-slots' },
  enqueueBooking: { kind: 'AWS_LAMBDA', function: 'enqueue-booking' },
};

export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'API_KEY' | 'AWS_IAM';

export interface ApiWiring {
  name: string;
  defaultAuth: AuthMode;
  additionalAuth: AuthMode[];
  /** API environment variables (ctx.env); each target resolves refs to strings. */
  environment: Record<string, EnvValue>;
  /**
   * Per-client-IP rate-based rules (WAF in AWS, the local server locally): `limit` for clients,
   * `signedLimit` for SigV4-signed requests. Those come from the backend's own Lambdas
   * (change-publisher's IAM-only publishes), through a few shared AWS egress IPs, and one rule of
   * 1,000 requests would throttle the backend's own events (a 2,000-slot rule publishes 2,000).
   * A forged signature still gets only the signed limit, and AppSync refuses it.
   */
  rateLimit: { limit: number; windowSeconds: number; signedLimit: number };
  /** AppSync's execution limits (infra/api-limits.ts), deployed and enforced locally alike. */
  limits: ApiLimits;
  userPoolGroups: string[];
}

export const api: ApiWiring = {
  name: 'slotsync',
  defaultAuth: 'AMAZON_COGNITO_USER_POOLS',
  additionalAuth: ['API_KEY', 'AWS_IAM'],
  environment: {
    TABLE_NAME: tableName,
    HOLD_SECONDS: String(API_SETTINGS.HOLD_SECONDS.fallback),
    MAX_ACTIVE_HOLDS: String(API_SETTINGS.MAX_ACTIVE_HOLDS.fallback),
  },
  rateLimit: { limit: 1000, windowSeconds: 300, signedLimit: 100_000 },
  limits: {
    // The client's operations nest 3 deep, graphql-js's introspection query (GraphiQL, codegen) 15:
    // 20 keeps both, with room for a deeper TypeRef in a later graphql-js.
    queryDepthLimit: 20,
    // Every resolver is on a root field (resolvers/), so a request runs one per root field it
    // selects: 25 lets a client batch a screen's reads, where 10,000 aliased reads would pass.
    resolverCountLimit: 25,
    // GraphiQL on the local server and graphql-codegen read the schema by introspection.
    introspection: 'ENABLED',
  },
  userPoolGroups: ['providers', 'admins'],
};

/** How an `Authorization` header signed with SigV4 starts: such requests get the signed limit. */
export const SIGV4_AUTHORIZATION_PREFIX = 'AWS4-HMAC-SHA256';

/**
 * What a client over the rate limit receives: HTTP 429 with this JSON body, shaped like a GraphQL
 * error so clients handle it like any other. The WAF rule answers with it in AWS, the local server
 * locally.
 */
export const rateLimitedResponse = {
  statusCode: 429,
  body: {
    errors: [
      {
        errorType: 'RateLimited',
        message: 'Too many requests from this IP address; wait a moment and retry.',
      },
    ],
  },
} as const;
