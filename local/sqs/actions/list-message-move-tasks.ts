// ListMessageMoveTasks: a source queue's most recent tasks (MaxResults 1 to 10, default 1), most
// recent first. An entry carries TaskHandle only while RUNNING, DestinationArn and
// MaxNumberOfMessagesPerSecond only if the start gave them, FailureReason only if FAILED (the SDK
// model's documentation of ListMessageMoveTasksResultEntry).
import type { Action } from '../action.ts';
import { numberOutOfRange, parameterResourceNotFound } from '../errors.ts';
import { arnMember, optionalInteger, requiredString } from '../input.ts';
import { MAX_LISTED_MOVE_TASKS } from '../limits.ts';
import type { MoveTask } from '../move-tasks.ts';

function entry(task: MoveTask): object {
  return {
    ...(task.status === 'RUNNING' ? { TaskHandle: task.handle } : {}),
    Status: task.status,
    SourceArn: task.source.arn,
    ...(task.destinationArn !== undefined ? { DestinationArn: task.destinationArn } : {}),
    ...(task.rate !== undefined ? { MaxNumberOfMessagesPerSecond: task.rate } : {}),
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    ...(task.status === 'FAILED' ? { FailureReason: task.failureReason } : {}),
    StartedTimestamp: task.startedAt,
  };
}

export const listMessageMoveTasks: Action = (input, { registry }) => {
  const sourceArn = arnMember(requiredString(input, 'SourceArn'), 'SourceArn');
  const maxResults = optionalInteger(input, 'MaxResults');
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_LISTED_MOVE_TASKS)) {
    throw numberOutOfRange('MaxResults', MAX_LISTED_MOVE_TASKS);
  }
  const source = registry.byArn(sourceArn);
  // [UNCONFIRMED for this action: the answer SQS gives CancelMessageMoveTask for a missing source]
  if (!source) throw parameterResourceNotFound('SourceArn');
  return { Results: registry.moveTasks.list(source, maxResults ?? 1).map(entry) };
};
