// The invocation record Lambda sends to a stream event source's on-failure destination when a
// batch has used up its retries. It describes the batch; the records stay in the stream.
import { randomUUID } from 'node:crypto';
import type { LambdaStreamRecord } from './record.ts';

export interface StreamOnFailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: 'RetryAttemptsExhausted'; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export function streamOnFailureRecord(args: {
  functionArn: string;
  shardId: string;
  streamArn: string;
  records: LambdaStreamRecord[];
  invokeCount: number;
  /** 'Unhandled' when the last attempt was a function error; absent for a partial batch failure. */
  functionError?: string;
  now: Date;
}): StreamOnFailureRecord {
  const first = args.records[0];
  const last = args.records[args.records.length - 1];
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: args.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: args.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(args.functionError ? { functionError: args.functionError } : {}),
    },
    version: '1.0',
    timestamp: args.now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: args.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: args.records.length,
      streamArn: args.streamArn,
    },
  };
}

/** Lambda writes these times to the second: 2019-11-14T00:13:19Z. */
function arrival(record: LambdaStreamRecord): string {
  const seconds = record.dynamodb.ApproximateCreationDateTime ?? Date.now() / 1000;
  return new Date(Math.floor(seconds) * 1000).toISOString().replace('.000Z', 'Z');
}
