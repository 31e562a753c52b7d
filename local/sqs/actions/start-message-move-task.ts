// StartMessageMoveTask: DLQ redrive (move-tasks.ts). Checks in SQS's words: the source must be a
// dead-letter queue of another queue, the queues must exist (ResourceNotFoundException, not
// QueueDoesNotExist), one task a source at a time. Messages as SQS answered them in LocalStack's
// AWS-recorded tests (test_sqs_move_task), but where marked.
import type { Action } from '../action.ts';
import { invalidParameterValue, numberOutOfRange, parameterResourceNotFound } from '../errors.ts';
import { arnMember, optionalInteger, optionalString, requiredString } from '../input.ts';
import { MAX_MOVE_RATE } from '../limits.ts';

export const startMessageMoveTask: Action = (input, { registry, now }) => {
  const sourceArn = arnMember(requiredString(input, 'SourceArn'), 'SourceArn');
  const destinationArn = optionalString(input, 'DestinationArn');
  if (destinationArn !== undefined) arnMember(destinationArn, 'DestinationArn');
  const rate = optionalInteger(input, 'MaxNumberOfMessagesPerSecond');
  if (rate !== undefined && (rate < 1 || rate > MAX_MOVE_RATE)) {
    throw numberOutOfRange('MaxNumberOfMessagesPerSecond', MAX_MOVE_RATE);
  }
  const source = registry.byArn(sourceArn);
  // [UNCONFIRMED for this action: the words SQS answers CancelMessageMoveTask with for a missing source]
  if (!source) throw parameterResourceNotFound('SourceArn');
  if (registry.deadLetterSources(source).length === 0) throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
  if (destinationArn !== undefined) {
    const destination = registry.byArn(destinationArn);
    if (!destination) throw parameterResourceNotFound('DestinationArn');
    // [message UNCONFIRMED against AWS: local-sqs's wording]
    if (destination === source) throw invalidParameterValue('Source queue arn and destination queue arn cannot be the same.');
  }
  if (registry.moveTasks.active(source)) {
    throw invalidParameterValue('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
  }
  return { TaskHandle: registry.moveTasks.start(source, { destinationArn, rate }, now()).handle };
};
