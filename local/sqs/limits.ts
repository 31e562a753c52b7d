// SQS's quotas (SQS Developer Guide, "Amazon SQS quotas", and the limits stated in the service
// model of the installed @aws-sdk/client-sqs), plus the local emulator's own memory bounds.

export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_ENTRY_ID_LENGTH = 80;
export const MAX_RECEIVE_MESSAGES = 10;
export const MAX_WAIT_TIME_SECONDS = 20;
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;
export const MAX_DELAY_SECONDS = 900;
export const MIN_RETENTION_SECONDS = 60;
export const MAX_RETENTION_SECONDS = 1_209_600;
export const MIN_MESSAGE_SIZE = 1024;
/** 1 MiB: SQS raised the payload limit from 256 KiB in 2025; the SDK model documents 1 MiB. */
export const MAX_MESSAGE_SIZE = 1_048_576;
export const MAX_MESSAGE_ATTRIBUTES = 10;
export const MAX_ATTRIBUTE_NAME_LENGTH = 256;
export const MAX_QUEUE_NAME_LENGTH = 80;
export const MAX_RECEIVE_COUNT = 1000;
export const MAX_LIST_QUEUES_RESULTS = 1000;
/** In-flight messages per standard queue; SQS answers OverLimit beyond it. */
export const MAX_IN_FLIGHT = 120_000;
/** SQS refuses re-creating a deleted queue's name, and a second purge, within 60 s. */
export const QUEUE_NAME_REUSE_MS = 60_000;
export const PURGE_INTERVAL_MS = 60_000;
/** StartMessageMoveTask's MaxNumberOfMessagesPerSecond: at most 500 (the SDK model). */
export const MAX_MOVE_RATE = 500;
/** ListMessageMoveTasks: the most recent tasks of a source queue, at most 10 (the SDK model). */
export const MAX_LISTED_MOVE_TASKS = 10;

export const QUEUE_DEFAULTS = {
  DelaySeconds: 0,
  MaximumMessageSize: MAX_MESSAGE_SIZE,
  MessageRetentionPeriod: 345_600,
  ReceiveMessageWaitTimeSeconds: 0,
  VisibilityTimeout: 30,
} as const;

/**
 * Local memory bounds. SQS stores an unlimited backlog; one process cannot, so these refuse
 * further sends with OverLimit (never drop). Sized far above what the local stack produces.
 */
export interface LocalLimits {
  /** Messages stored per queue (visible, delayed and in flight together). */
  maxMessagesPerQueue: number;
  /** Bytes stored across all queues: each message's payload (body + attributes) plus 1 KiB. */
  maxTotalBytes: number;
  maxQueues: number;
  /** Largest HTTP request body accepted: 1 MiB of payload, JSON-escaped, fits well within. */
  maxRequestBytes: number;
}

export const DEFAULT_LOCAL_LIMITS: LocalLimits = {
  maxMessagesPerQueue: MAX_IN_FLIGHT,
  maxTotalBytes: 512 * 1024 * 1024,
  maxQueues: 1000,
  maxRequestBytes: 8 * 1024 * 1024,
};
