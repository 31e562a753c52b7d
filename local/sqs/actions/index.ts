// The actions this local SQS implements, by the name in `x-amz-target: AmazonSQS.<Action>`.
import type { Action } from '../action.ts';
import { cancelMessageMoveTask } from './cancel-message-move-task.ts';
import { changeMessageVisibility } from './change-message-visibility.ts';
import { changeMessageVisibilityBatch } from './change-message-visibility-batch.ts';
import { createQueue } from './create-queue.ts';
import { deleteMessage } from './delete-message.ts';
import { deleteMessageBatch } from './delete-message-batch.ts';
import { deleteQueue } from './delete-queue.ts';
import { getQueueAttributes } from './get-queue-attributes.ts';
import { getQueueUrl } from './get-queue-url.ts';
import { listDeadLetterSourceQueues } from './list-dead-letter-source-queues.ts';
import { listMessageMoveTasks } from './list-message-move-tasks.ts';
import { listQueues } from './list-queues.ts';
import { purgeQueue } from './purge-queue.ts';
import { receiveMessage } from './receive-message.ts';
import { sendMessage } from './send-message.ts';
import { sendMessageBatch } from './send-message-batch.ts';
import { setQueueAttributes } from './set-queue-attributes.ts';
import { startMessageMoveTask } from './start-message-move-task.ts';

export const actions: ReadonlyMap<string, Action> = new Map<string, Action>([
  ['CreateQueue', createQueue],
  ['GetQueueUrl', getQueueUrl],
  ['ListQueues', listQueues],
  ['GetQueueAttributes', getQueueAttributes],
  ['SetQueueAttributes', setQueueAttributes],
  ['DeleteQueue', deleteQueue],
  ['PurgeQueue', purgeQueue],
  ['SendMessage', sendMessage],
  ['SendMessageBatch', sendMessageBatch],
  ['ReceiveMessage', receiveMessage],
  ['DeleteMessage', deleteMessage],
  ['DeleteMessageBatch', deleteMessageBatch],
  ['ChangeMessageVisibility', changeMessageVisibility],
  ['ChangeMessageVisibilityBatch', changeMessageVisibilityBatch],
  ['ListDeadLetterSourceQueues', listDeadLetterSourceQueues],
  ['StartMessageMoveTask', startMessageMoveTask],
  ['ListMessageMoveTasks', listMessageMoveTasks],
  ['CancelMessageMoveTask', cancelMessageMoveTask],
]);
