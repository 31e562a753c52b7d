// The AWS JSON 1.0 wire protocol as @aws-sdk/client-sqs speaks it: POST, `x-amz-target:
// AmazonSQS.<Action>`, `content-type: application/x-amz-json-1.0`, a JSON body; errors with the
// `x-amzn-query-error` header the SDK's query-compatible error mapping reads.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { actionContext, type Action, type Input } from './action.ts';
import { invalidAction, malformedInput, SqsError, unsupportedOperation } from './errors.ts';
import type { QueueRegistry } from './registry.ts';

const TARGET_PREFIX = 'AmazonSQS.';
/** Every action of the SQS API (2012-11-05), implemented locally or not. */
const SQS_ACTIONS: ReadonlySet<string> = new Set([
  'AddPermission', 'CancelMessageMoveTask', 'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch', 'CreateQueue',
  'DeleteMessage', 'DeleteMessageBatch', 'DeleteQueue', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues',
  'ListMessageMoveTasks', 'ListQueueTags', 'ListQueues', 'PurgeQueue', 'ReceiveMessage', 'RemovePermission', 'SendMessage',
  'SendMessageBatch', 'SetQueueAttributes', 'StartMessageMoveTask', 'TagQueue', 'UntagQueue',
]);
const CONTENT_TYPE = 'application/x-amz-json-1.0';

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (response.writableEnded || response.destroyed) return;
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(payload);
}

function sendError(response: ServerResponse, error: SqsError): void {
  send(
    response,
    error.status,
    { __type: error.type, message: error.message },
    { 'x-amzn-query-error': `${error.code};${error.senderFault ? 'Sender' : 'Receiver'}` }
  );
}

export interface RouterOptions {
  registry: QueueRegistry;
  actions: ReadonlyMap<string, Action>;
  maxRequestBytes: number;
}

export function createSqsRequestHandler(options: RouterOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void handle(options, request, response);
  };
}

async function handle(options: RouterOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const aborted = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) aborted.abort();
  });
  try {
    if (request.method !== 'POST') throw new SqsError('InvalidAction', 'InvalidAction', 'The local SQS accepts only POST requests.', 405);
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith(CONTENT_TYPE)) {
      throw new SqsError(
        'InvalidAction',
        'InvalidAction',
        `The local SQS speaks only the AWS JSON protocol (${CONTENT_TYPE}), as current @aws-sdk/client-sqs does.`
      );
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const action = name === undefined ? undefined : options.actions.get(name);
    if (!action) {
      // A real SQS action the local one lacks is not "not valid for this web service".
      if (name !== undefined && SQS_ACTIONS.has(name)) {
        throw unsupportedOperation(`${name} is not supported by the local SQS (slotsync does not use it).`);
      }
      throw invalidAction(target || '(no x-amz-target)');
    }
    let body: Buffer;
    try {
      body = await readBody(request, options.maxRequestBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        throw new SqsError(
          'RequestEntityTooLarge',
          'RequestEntityTooLarge',
          `Request bodies are limited to ${options.maxRequestBytes} bytes.`,
          413
        );
      }
      throw error;
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw malformedInput('The request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw malformedInput('The request body must be a JSON object.');
    send(response, 200, await action(input as Input, actionContext(options.registry, aborted.signal)));
  } catch (error) {
    if (error instanceof SqsError) sendError(response, error);
    else
      send(
        response,
        500,
        { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) },
        {
          'x-amzn-query-error': 'InternalFailure;Receiver',
        }
      );
  }
}
