// Dead-letter queue redrive: StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask and
// ListDeadLetterSourceQueues through the SDK. Tasks run in the background, so the tests wait for
// states (a bounded poll), never for elapsed time; where a task must stay RUNNING, a message held
// in flight in the dead-letter queue keeps it so (a task moves what the queue held at its start).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type StartMessageMoveTaskCommandInput,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalSqs } from '../../../local/sqs/index.ts';
import { keepQueuedMessages } from '../../../local/sqs/keeper.ts';
import { counts, createQueue, eventually, failure, startSqsFixture, type SqsFixture } from './fixture.ts';

let f: SqsFixture;
beforeAll(async () => {
  f = await startSqsFixture();
});
afterAll(async () => {
  await f.stop();
});
afterEach(() => {
  vi.useRealTimers();
});

const nameOf = (url: string) => url.split('/').pop() as string;
const arnOf = (url: string) => f.sqs.queueArn(nameOf(url));

/** A dead-letter queue and `sources` queues that move a message to it on its second receive. */
async function dlqWith(sources: number) {
  const dlqUrl = await createQueue(f.client, {}, 'dlq');
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: arnOf(dlqUrl), maxReceiveCount: 1 });
  const sourceUrls: string[] = [];
  for (let i = 0; i < sources; i++) sourceUrls.push(await createQueue(f.client, { RedrivePolicy }, 'src'));
  return { dlqUrl, dlqArn: arnOf(dlqUrl), sourceUrls };
}

/** Sends `bodies` to a source queue and receives until all are in its dead-letter queue, in send order. */
async function deadLetter(QueueUrl: string, dlqUrl: string, bodies: string[], fx = f): Promise<void> {
  const before = (await counts(fx.client, dlqUrl)).visible;
  for (const MessageBody of bodies) await fx.client.send(new SendMessageCommand({ QueueUrl, MessageBody }));
  await eventually(async () => {
    await fx.client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    return (await counts(fx.client, dlqUrl)).visible === before + bodies.length ? true : undefined;
  }, 'the messages to reach the dead-letter queue');
}

/** Takes the DLQ's oldest message in flight for 10 minutes: a task started now waits for it. */
async function holdInFlight(dlqUrl: string): Promise<string> {
  const { Messages = [] } = await f.client.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, VisibilityTimeout: 600 }));
  expect(Messages).toHaveLength(1);
  return Messages[0].ReceiptHandle as string;
}

const release = (QueueUrl: string, ReceiptHandle: string) =>
  f.client.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 }));

const start = async (input: StartMessageMoveTaskCommandInput, fx = f) => {
  const { TaskHandle } = await fx.client.send(new StartMessageMoveTaskCommand(input));
  if (!TaskHandle) throw new Error('StartMessageMoveTask returned no TaskHandle');
  return TaskHandle;
};

const tasks = async (SourceArn: string, MaxResults?: number, fx = f): Promise<ListMessageMoveTasksResultEntry[]> =>
  (await fx.client.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults }))).Results ?? [];

/** Waits for the source's latest task to be in a state `accept` takes; answers it. */
const latest = (SourceArn: string, accept: (task: ListMessageMoveTasksResultEntry) => boolean, what: string, fx = f) =>
  eventually(async () => {
    const [task] = await tasks(SourceArn, 1, fx);
    return task && accept(task) ? task : undefined;
  }, what);

const ended = (SourceArn: string, fx = f) => latest(SourceArn, (task) => task.Status !== 'RUNNING', 'the move task to end', fx);

/** A queue's messages as the server holds them, oldest first (read in process, so none is received). */
const held = (url: string, fx = f) => fx.sqs.snapshot().queues.find((q) => q.name === nameOf(url))?.messages ?? [];
const bodiesIn = (url: string, fx = f) => held(url, fx).map((m) => m.body);

describe('StartMessageMoveTask', () => {
  it('redrives each message back to the queue it was dead-lettered from, two sources sharing one DLQ, as new messages', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(2);
    await deadLetter(sourceUrls[0], dlqUrl, ['a1', 'a2']);
    await deadLetter(sourceUrls[1], dlqUrl, ['b1']);
    const deadLettered = held(dlqUrl);
    expect(deadLettered.map((m) => m.deadLetterSourceArn)).toEqual([arnOf(sourceUrls[0]), arnOf(sourceUrls[0]), arnOf(sourceUrls[1])]);
    const before = Date.now();
    const TaskHandle = await start({ SourceArn: dlqArn });
    // SQS's own handle form: base64 of {"taskId","sourceArn"}.
    expect(JSON.parse(Buffer.from(TaskHandle, 'base64').toString('utf8'))).toEqual({ taskId: expect.any(String), sourceArn: dlqArn });
    const task = await ended(dlqArn);
    expect(task).toEqual({
      Status: 'COMPLETED',
      SourceArn: dlqArn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
      StartedTimestamp: expect.any(Number),
    });
    expect(task.StartedTimestamp).toBeGreaterThanOrEqual(before);
    expect(task.StartedTimestamp).toBeLessThanOrEqual(Date.now());
    expect(bodiesIn(dlqUrl)).toEqual([]);
    expect(bodiesIn(sourceUrls[0])).toEqual(['a1', 'a2']);
    expect(bodiesIn(sourceUrls[1])).toEqual(['b1']);
    // New messages: new ids, sent at the move, never received, from no dead-letter source.
    const moved = [...held(sourceUrls[0]), ...held(sourceUrls[1])];
    for (const m of moved) {
      expect(deadLettered.map((d) => d.id)).not.toContain(m.id);
      expect(m).toMatchObject({ receiveCount: 0, deadLetterSourceArn: undefined, firstReceivedAt: undefined });
      expect(m.sentAt).toBeGreaterThanOrEqual(task.StartedTimestamp as number);
    }
  });

  it('moves to an explicit DestinationArn; the moved message is receivable with its body and attributes, a new id, sent anew', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    const [QueueUrl] = sourceUrls;
    const sent = await f.client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'poison',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' }, n: { DataType: 'Number', StringValue: '7' } },
      })
    );
    expect((await f.client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0 }))).Messages).toHaveLength(1);
    expect((await f.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    expect((await counts(f.client, dlqUrl)).visible).toBe(1);
    const destinationUrl = await createQueue(f.client, {}, 'dest');
    await start({ SourceArn: dlqArn, DestinationArn: arnOf(destinationUrl) });
    const task = await ended(dlqArn);
    expect(task).toMatchObject({ Status: 'COMPLETED', DestinationArn: arnOf(destinationUrl), ApproximateNumberOfMessagesMoved: 1 });
    expect(task.MaxNumberOfMessagesPerSecond).toBeUndefined();
    expect(await counts(f.client, QueueUrl)).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
    const { Messages = [] } = await f.client.send(
      new ReceiveMessageCommand({ QueueUrl: destinationUrl, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] })
    );
    expect(Messages).toHaveLength(1);
    const [moved] = Messages;
    expect(moved).toMatchObject({
      Body: 'poison',
      MD5OfBody: sent.MD5OfMessageBody,
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'bad' }, n: { DataType: 'Number', StringValue: '7' } },
    });
    expect(moved.MessageId).not.toBe(sent.MessageId);
    expect(moved.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(moved.Attributes?.DeadLetterQueueSourceArn).toBeUndefined();
    expect(Number(moved.Attributes?.SentTimestamp)).toBeGreaterThanOrEqual(task.StartedTimestamp as number);
  });

  it('gives a moved message a fresh receive count: back in its source it is delivered again before being dead-lettered again', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    const [QueueUrl] = sourceUrls;
    await deadLetter(QueueUrl, dlqUrl, ['again']);
    await start({ SourceArn: dlqArn });
    expect((await ended(dlqArn)).Status).toBe('COMPLETED');
    // With its old count (1, the policy's maxReceiveCount) this receive would move it straight back.
    const first = await f.client.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }));
    expect(first.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['again', '1']]);
    expect((await f.client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    expect(held(dlqUrl).map((m) => [m.body, m.deadLetterSourceArn])).toEqual([['again', arnOf(QueueUrl)]]);
  });

  it('moves only what the DLQ held at the start: an in-flight message waits until visible, a message sent later stays', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    await deadLetter(sourceUrls[0], dlqUrl, ['held', 'm2', 'm3']);
    const handle = await holdInFlight(dlqUrl);
    await start({ SourceArn: dlqArn });
    const waiting = await latest(dlqArn, (task) => task.ApproximateNumberOfMessagesMoved === 2, 'the visible messages to move');
    expect(waiting).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesToMove: 3 });
    expect(await counts(f.client, dlqUrl)).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    // Sent to the DLQ directly, it has no source to go back to: moving it would fail the task.
    await f.client.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'late' }));
    expect((await tasks(dlqArn))[0].Status).toBe('RUNNING');
    await release(dlqUrl, handle);
    const task = await ended(dlqArn);
    expect(task).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 });
    expect(bodiesIn(dlqUrl)).toEqual(['late']);
    expect(bodiesIn(sourceUrls[0])).toEqual(['m2', 'm3', 'held']);
  });

  it('honours MaxNumberOfMessagesPerSecond: at 1, never more than one move a second since the start', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    await deadLetter(sourceUrls[0], dlqUrl, ['r1', 'r2', 'r3', 'r4']);
    await start({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const observed: Array<[number, number]> = [];
    // Each look bounds what may have moved by then: the first move at the start, one more a second
    // (100 ms of slack for the clocks' rounding). Only a task faster than its rate can fail this,
    // however slowly the look comes.
    const task = await eventually(
      async () => {
        const [entry] = await tasks(dlqArn);
        const seconds = Math.floor((Date.now() + 100 - (entry.StartedTimestamp as number)) / 1000);
        observed.push([entry.ApproximateNumberOfMessagesMoved as number, seconds]);
        expect(entry.ApproximateNumberOfMessagesMoved).toBeLessThanOrEqual(1 + seconds);
        return entry.Status === 'RUNNING' ? undefined : entry;
      },
      'the rate-limited task to end',
      30_000
    );
    expect(task).toMatchObject({ Status: 'COMPLETED', MaxNumberOfMessagesPerSecond: 1, ApproximateNumberOfMessagesMoved: 4 });
    expect(observed.length).toBeGreaterThan(1);
    expect(bodiesIn(sourceUrls[0])).toEqual(['r1', 'r2', 'r3', 'r4']);
  }, 40_000);

  it('allows one active task per source queue', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    await deadLetter(sourceUrls[0], dlqUrl, ['one']);
    const handle = await holdInFlight(dlqUrl);
    const destinationUrl = await createQueue(f.client, {}, 'dest');
    const TaskHandle = await start({ SourceArn: dlqArn });
    await expect(f.client.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: arnOf(destinationUrl) }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });
    // Another DLQ's tasks are its own.
    const other = await dlqWith(1);
    await start({ SourceArn: other.dlqArn });
    expect((await ended(other.dlqArn)).Status).toBe('COMPLETED');
    await f.client.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    await release(dlqUrl, handle);
    await start({ SourceArn: dlqArn, DestinationArn: arnOf(destinationUrl) });
    expect(await ended(dlqArn)).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1 });
    expect(bodiesIn(destinationUrl)).toEqual(['one']);
  });

  it('fails with CouldNotDetermineMessageSource on a message sent to the DLQ directly when no DestinationArn is given; it stays', async () => {
    const { dlqUrl, dlqArn } = await dlqWith(1);
    await f.client.send(new SendMessageCommand({ QueueUrl: dlqUrl, MessageBody: 'direct' }));
    await start({ SourceArn: dlqArn });
    expect(await ended(dlqArn)).toEqual({
      Status: 'FAILED',
      FailureReason: 'CouldNotDetermineMessageSource',
      SourceArn: dlqArn,
      ApproximateNumberOfMessagesMoved: 0,
      ApproximateNumberOfMessagesToMove: 1,
      StartedTimestamp: expect.any(Number),
    });
    expect(bodiesIn(dlqUrl)).toEqual(['direct']);
    // With a destination it moves.
    const destinationUrl = await createQueue(f.client, {}, 'dest');
    await start({ SourceArn: dlqArn, DestinationArn: arnOf(destinationUrl) });
    expect((await ended(dlqArn)).Status).toBe('COMPLETED');
    expect(bodiesIn(destinationUrl)).toEqual(['direct']);
  });

  it('fails with AWS.SimpleQueueService.NonExistentQueue when a message\'s original source queue is gone; it stays', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(2);
    await deadLetter(sourceUrls[0], dlqUrl, ['orphan']);
    await f.client.send(new DeleteQueueCommand({ QueueUrl: sourceUrls[0] }));
    // The other source keeps the queue a dead-letter queue.
    await start({ SourceArn: dlqArn });
    expect(await ended(dlqArn)).toMatchObject({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 0 });
    expect(bodiesIn(dlqUrl)).toEqual(['orphan']);
  });

  it('fails with AWS.SimpleQueueService.NonExistentQueue when the destination is deleted mid-task; what is left stays', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    await deadLetter(sourceUrls[0], dlqUrl, ['held', 'm2']);
    const handle = await holdInFlight(dlqUrl);
    const destinationUrl = await createQueue(f.client, {}, 'dest');
    await start({ SourceArn: dlqArn, DestinationArn: arnOf(destinationUrl) });
    await latest(dlqArn, (task) => task.ApproximateNumberOfMessagesMoved === 1, 'the visible message to move');
    await f.client.send(new DeleteQueueCommand({ QueueUrl: destinationUrl }));
    await release(dlqUrl, handle);
    expect(await ended(dlqArn)).toMatchObject({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 1 });
    expect(bodiesIn(dlqUrl)).toEqual(['held']);
  });

  it('refuses what SQS refuses, with its errors', async () => {
    const { dlqArn } = await dlqWith(1);
    const plainUrl = await createQueue(f.client);
    const refused = (input: Record<string, unknown>) => failure(f.client.send(new StartMessageMoveTaskCommand(input as never)));
    expect(await refused({})).toMatchObject({ name: 'MissingParameter', message: 'The request must contain the parameter SourceArn.' });
    expect(await refused({ SourceArn: 'not-an-arn' })).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>',
    });
    const absent = await refused({ SourceArn: f.sqs.queueArn('no-such-queue') });
    expect(absent).toBeInstanceOf(ResourceNotFoundException);
    expect(absent).toMatchObject({ message: "The resource that you specified for the SourceArn parameter doesn't exist.", $metadata: { httpStatusCode: 404 } });
    // Another account's or region's queue is not one of this endpoint's.
    expect(await refused({ SourceArn: dlqArn.replace(':us-east-1:', ':eu-west-1:') })).toBeInstanceOf(ResourceNotFoundException);
    expect(await refused({ SourceArn: arnOf(plainUrl) })).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    const noDestination = await refused({ SourceArn: dlqArn, DestinationArn: f.sqs.queueArn('no-such-queue') });
    expect(noDestination).toBeInstanceOf(ResourceNotFoundException);
    expect(noDestination.message).toBe("The resource that you specified for the DestinationArn parameter doesn't exist.");
    expect(await refused({ SourceArn: dlqArn, DestinationArn: 'arn' })).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await refused({ SourceArn: dlqArn, DestinationArn: dlqArn })).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Source queue arn and destination queue arn cannot be the same.',
    });
    for (const rate of [0, 501]) {
      expect(await refused({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: rate })).toMatchObject({
        name: 'InvalidParameterValue',
        message: "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.",
      });
    }
    // Nothing refused started a task; 500 is within the range.
    expect(await tasks(dlqArn)).toEqual([]);
    await start({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 500 });
    expect(await ended(dlqArn)).toMatchObject({ Status: 'COMPLETED', MaxNumberOfMessagesPerSecond: 500, ApproximateNumberOfMessagesToMove: 0 });
  });
});

describe('CancelMessageMoveTask', () => {
  it('cancels a running task; what it moved stays moved, the rest stays in the DLQ', async () => {
    const { dlqUrl, dlqArn, sourceUrls } = await dlqWith(1);
    await deadLetter(sourceUrls[0], dlqUrl, ['c1', 'c2', 'c3']);
    const handle = await holdInFlight(dlqUrl);
    const destinationUrl = await createQueue(f.client, {}, 'dest');
    const TaskHandle = await start({ SourceArn: dlqArn, DestinationArn: arnOf(destinationUrl) });
    const running = await latest(dlqArn, (task) => task.ApproximateNumberOfMessagesMoved === 2, 'the visible messages to move');
    expect(running).toMatchObject({ Status: 'RUNNING', TaskHandle });
    expect(await f.client.send(new CancelMessageMoveTaskCommand({ TaskHandle }))).toMatchObject({ ApproximateNumberOfMessagesMoved: 2 });
    const [cancelled] = await tasks(dlqArn);
    expect(cancelled).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 3 });
    expect(cancelled.TaskHandle).toBeUndefined();
    // Visible again, the held message is not moved: the task is over (a running one looks every 200 ms).
    await release(dlqUrl, handle);
    await sleep(600);
    expect(bodiesIn(dlqUrl)).toEqual(['c1']);
    expect(bodiesIn(destinationUrl)).toEqual(['c2', 'c3']);
    expect((await tasks(dlqArn))[0]).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 2 });
    // Only a running task can be cancelled.
    expect(await failure(f.client.send(new CancelMessageMoveTaskCommand({ TaskHandle })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Only active tasks can be cancelled.',
    });
  });

  it('refuses a handle that is not one, one whose source is gone, and one of no task', async () => {
    const { dlqArn } = await dlqWith(1);
    const cancel = (TaskHandle: string) => failure(f.client.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
    expect(await cancel('foobared')).toMatchObject({ name: 'InvalidParameterValue', message: 'Value for parameter TaskHandle is invalid.' });
    const handle = (taskId: string, sourceArn: string) => Buffer.from(JSON.stringify({ taskId, sourceArn })).toString('base64');
    const noSource = await cancel(handle('10f57157-fc38-4da9-a113-4de7e12d05dd', f.sqs.queueArn('no-such-queue')));
    expect(noSource).toBeInstanceOf(ResourceNotFoundException);
    expect(noSource.message).toBe("The resource that you specified for the SourceArn parameter doesn't exist.");
    const noTask = await cancel(handle('10f57157-fc38-4da9-a113-4de7e12d05aa', dlqArn));
    expect(noTask).toBeInstanceOf(ResourceNotFoundException);
    expect(noTask.message).toBe('Task does not exist.');
    expect(await failure(f.client.send(new CancelMessageMoveTaskCommand({} as never)))).toMatchObject({ name: 'MissingParameter' });
  });
});

describe('ListMessageMoveTasks', () => {
  it('lists the most recent first, one by default, up to MaxResults, and keeps the last 10', async () => {
    const { dlqArn } = await dlqWith(1);
    expect(await tasks(dlqArn, 10)).toEqual([]);
    // Eleven tasks on an empty DLQ, told apart by their rates; each ends before the next starts.
    for (let rate = 1; rate <= 11; rate++) {
      await start({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: rate });
      await latest(dlqArn, (task) => task.MaxNumberOfMessagesPerSecond === rate && task.Status === 'COMPLETED', `task ${rate} to complete`);
    }
    expect((await tasks(dlqArn)).map((task) => task.MaxNumberOfMessagesPerSecond)).toEqual([11]);
    expect((await tasks(dlqArn, 3)).map((task) => task.MaxNumberOfMessagesPerSecond)).toEqual([11, 10, 9]);
    const all = await tasks(dlqArn, 10);
    expect(all.map((task) => task.MaxNumberOfMessagesPerSecond)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    const started = all.map((task) => task.StartedTimestamp as number);
    expect(started).toEqual([...started].sort((a, b) => b - a));
    expect(all.every((task) => task.Status === 'COMPLETED' && task.ApproximateNumberOfMessagesToMove === 0)).toBe(true);
  });

  it('refuses a MaxResults out of 1 to 10, a source that does not exist and a malformed ARN', async () => {
    const { dlqArn } = await dlqWith(1);
    for (const MaxResults of [0, 11]) {
      expect(await failure(f.client.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults })))).toMatchObject({
        name: 'InvalidParameterValue',
        message: "Value for parameter MaxResults is invalid. Reason: You must enter a number that's between 1 and 10.",
      });
    }
    const absent = await failure(f.client.send(new ListMessageMoveTasksCommand({ SourceArn: f.sqs.queueArn('no-such-queue') })));
    expect(absent).toBeInstanceOf(ResourceNotFoundException);
    expect(absent.message).toBe("The resource that you specified for the SourceArn parameter doesn't exist.");
    expect(await failure(f.client.send(new ListMessageMoveTasksCommand({ SourceArn: 'sqs:queue' })))).toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('forgets the tasks of a deleted queue', async () => {
    const { dlqUrl, dlqArn } = await dlqWith(1);
    await start({ SourceArn: dlqArn });
    await ended(dlqArn);
    await f.client.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    expect(await failure(tasks(dlqArn))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('ListDeadLetterSourceQueues', () => {
  it('lists the queues whose RedrivePolicy targets the queue, by name, paged with MaxResults and NextToken', async () => {
    const { dlqUrl, sourceUrls } = await dlqWith(3);
    // A queue dead-lettering elsewhere is not one of them.
    const elsewhere = await dlqWith(1);
    const expected = [...sourceUrls].sort();
    const list = (input: { MaxResults?: number; NextToken?: string } = {}) =>
      f.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, ...input }));
    const all = await list();
    expect(all.queueUrls).toEqual(expected);
    expect(all.NextToken).toBeUndefined();
    const first = await list({ MaxResults: 2 });
    expect(first.queueUrls).toEqual(expected.slice(0, 2));
    expect(first.NextToken).toBeDefined();
    const second = await list({ MaxResults: 2, NextToken: first.NextToken });
    expect(second.queueUrls).toEqual(expected.slice(2));
    expect(second.NextToken).toBeUndefined();
    expect((await f.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: elsewhere.dlqUrl }))).queueUrls).toEqual(elsewhere.sourceUrls);
    // Removing a RedrivePolicy removes the queue from the list; a queue no one targets has none.
    await f.client.send(new SetQueueAttributesCommand({ QueueUrl: expected[0], Attributes: { RedrivePolicy: '' } }));
    expect((await list()).queueUrls).toEqual(expected.slice(1));
    expect((await f.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: expected[1] }))).queueUrls).toEqual([]);
  });

  it('refuses a queue that does not exist, a MaxResults out of range, and a NextToken without MaxResults', async () => {
    const { dlqUrl } = await dlqWith(1);
    expect(await failure(f.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: f.sqs.queueUrl('no-such-queue') })))).toBeInstanceOf(QueueDoesNotExist);
    expect(await failure(f.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, MaxResults: 0 })))).toMatchObject({
      name: 'InvalidParameterValue',
    });
    expect(await failure(f.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, NextToken: 'eA' })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'MaxResults is a mandatory parameter when you provide a value for NextToken.',
    });
  });
});

describe('the endpoint', () => {
  it('leaves no timer behind: a task cancelled, a task whose queue is deleted, a task running when it stops', async () => {
    // In process (LocalSqs.call), with the timers faked so that they can be counted.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const sqs = await startLocalSqs();
    try {
      const dlq = async (QueueName: string) => {
        await sqs.call('CreateQueue', { QueueName });
        const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: sqs.queueArn(QueueName), maxReceiveCount: 1 });
        await sqs.call('CreateQueue', { QueueName: `${QueueName}-source`, Attributes: { RedrivePolicy } });
        for (const MessageBody of ['one', 'two']) await sqs.call('SendMessage', { QueueUrl: sqs.queueUrl(QueueName), MessageBody });
      };
      await dlq('dlq');
      await dlq('doomed');
      await sqs.call('CreateQueue', { QueueName: 'work' });
      const startTask = (source: string) =>
        sqs.call('StartMessageMoveTask', { SourceArn: sqs.queueArn(source), DestinationArn: sqs.queueArn('work'), MaxNumberOfMessagesPerSecond: 1 });
      // The retention sweep's interval alone.
      expect(vi.getTimerCount()).toBe(1);
      const { TaskHandle } = (await startTask('dlq')) as { TaskHandle: string };
      expect(vi.getTimerCount()).toBe(2);
      await sqs.call('CancelMessageMoveTask', { TaskHandle });
      expect(vi.getTimerCount()).toBe(1);
      await startTask('doomed');
      expect(vi.getTimerCount()).toBe(2);
      await sqs.call('DeleteQueue', { QueueUrl: sqs.queueUrl('doomed') });
      expect(vi.getTimerCount()).toBe(1);
      await startTask('dlq');
      // Its first turn moves one message (the rate allows one at the start) and waits a second for the next.
      vi.advanceTimersByTime(0);
      expect(vi.getTimerCount()).toBe(2);
      await sqs.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      await sqs.stop();
    }
  });
});

describe('kept across a crash', () => {
  let dir: string;
  let file: string;
  const started: SqsFixture[] = [];
  const keepers: Array<{ close(): number }> = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slotsync-sqs-move-'));
    file = join(dir, 'sqs-messages.json');
  });
  afterEach(async () => {
    keepers.splice(0).reverse().forEach((k) => k.close());
    await Promise.all(started.splice(0).map((fx) => fx.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A server with the same two queues each time: the journal names queues. */
  const server = async () => {
    const fx = await startSqsFixture();
    started.push(fx);
    const dlqUrl = (await fx.client.send(new CreateQueueCommand({ QueueName: 'dlq' }))).QueueUrl as string;
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: fx.sqs.queueArn('dlq'), maxReceiveCount: 1 });
    const workUrl = (await fx.client.send(new CreateQueueCommand({ QueueName: 'work', Attributes: { RedrivePolicy } }))).QueueUrl as string;
    return { fx, dlqUrl, workUrl, dlqArn: fx.sqs.queueArn('dlq') };
  };
  /** A crash is a keeper never closed: the next one reads the files as the first left them. */
  const keep = (fx: SqsFixture, logs: string[] = []) => keepers.push(keepQueuedMessages({ file, sqs: fx.sqs, log: (line) => logs.push(line) }));

  it('a move is journaled: after a crash the moved message is in its new queue, new, and no longer in the DLQ', async () => {
    const before = await server();
    await deadLetter(before.workUrl, before.dlqUrl, ['kept'], before.fx);
    const [deadLettered] = held(before.dlqUrl, before.fx);
    // The keeper's first snapshot holds the message in the DLQ; the move is in the journal only.
    keep(before.fx);
    await start({ SourceArn: before.dlqArn }, before.fx);
    expect((await ended(before.dlqArn, before.fx)).Status).toBe('COMPLETED');
    const [moved] = held(before.workUrl, before.fx);
    const lines = readFileSync(join(dir, 'sqs-messages.journal'), 'utf8').trim().split('\n').slice(1);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([expect.objectContaining({ op: 'move', queue: 'dlq', to: 'work', id: deadLettered.id })]);
    const after = await server();
    const logs: string[] = [];
    keep(after.fx, logs);
    expect(held(after.dlqUrl, after.fx)).toEqual([]);
    expect(held(after.workUrl, after.fx)).toEqual([
      expect.objectContaining({ id: moved.id, body: 'kept', receiveCount: 0, sentAt: moved.sentAt, deadLetterSourceArn: undefined }),
    ]);
    expect(logs.join('\n')).toMatch(/put back 1 message/);
  });

  it('a journaled move whose destination is gone at the next start leaves the message in the DLQ', async () => {
    const before = await server();
    await deadLetter(before.workUrl, before.dlqUrl, ['stays'], before.fx);
    keep(before.fx);
    await start({ SourceArn: before.dlqArn }, before.fx);
    expect((await ended(before.dlqArn, before.fx)).Status).toBe('COMPLETED');
    // The next start has the dead-letter queue only.
    const fx = await startSqsFixture();
    started.push(fx);
    const dlqUrl = (await fx.client.send(new CreateQueueCommand({ QueueName: 'dlq' }))).QueueUrl as string;
    keep(fx);
    expect(bodiesIn(dlqUrl, fx)).toEqual(['stays']);
  });

  it('a move renews the message: after a crash it is kept though the send that first brought it is past retention', async () => {
    const DAY = 86_400_000;
    const before = await server();
    keep(before.fx);
    // Sent 3.9 days ago (both queues keep messages 4 days), dead-lettered then; moved back now.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 3.9 * DAY);
    await deadLetter(before.workUrl, before.dlqUrl, ['old'], before.fx);
    vi.useRealTimers();
    await start({ SourceArn: before.dlqArn }, before.fx);
    expect((await ended(before.dlqArn, before.fx)).Status).toBe('COMPLETED');
    // Read 0.2 days later: the journaled send is past retention and dropped; the move stands alone.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 0.2 * DAY);
    const after = await server();
    const logs: string[] = [];
    keep(after.fx, logs);
    expect(bodiesIn(after.workUrl, after.fx)).toEqual(['old']);
    expect(bodiesIn(after.dlqUrl, after.fx)).toEqual([]);
    expect(logs.join('\n')).toMatch(/put back 1 message.*dropped 1/);
  });
});
