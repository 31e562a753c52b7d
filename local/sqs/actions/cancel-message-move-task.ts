// CancelMessageMoveTask: only a RUNNING task can be cancelled; what it moved stays moved. Answers as
// SQS gave them in LocalStack's AWS-recorded tests (test_sqs_move_task), but where marked.
import type { Action } from '../action.ts';
import { invalidParameterValue, parameterResourceNotFound, resourceNotFound } from '../errors.ts';
import { requiredString } from '../input.ts';
import { decodeTaskHandle } from '../move-tasks.ts';

export const cancelMessageMoveTask: Action = (input, { registry }) => {
  const handle = decodeTaskHandle(requiredString(input, 'TaskHandle'));
  if (!handle) throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
  const source = registry.byArn(handle.sourceArn);
  if (!source) throw parameterResourceNotFound('SourceArn');
  const task = registry.moveTasks.find(source, handle.taskId);
  if (!task) throw resourceNotFound('Task does not exist.');
  // [message UNCONFIRMED against AWS: local-sqs's wording]
  if (task.status !== 'RUNNING') throw invalidParameterValue('Only active tasks can be cancelled.');
  registry.moveTasks.cancel(task);
  return { ApproximateNumberOfMessagesMoved: task.moved };
};
