// The shape every action handler has (one file per action under actions/, as in dynalite).
import type { QueueRegistry } from './registry.ts';

/** The decoded JSON request body. */
export type Input = Record<string, unknown>;

export interface ActionContext {
  registry: QueueRegistry;
  now: () => number;
  /** Aborts when the client goes away: a long poll must then not take messages. */
  signal: AbortSignal;
  /** SenderId of sent messages: the account, as SQS reports for the account's root principal. */
  senderId: string;
}

export type Action = (input: Input, context: ActionContext) => object | Promise<object>;

/** The context an action runs in, over HTTP (router.ts) or in process (LocalSqs.call). */
export function actionContext(registry: QueueRegistry, signal: AbortSignal): ActionContext {
  return { registry, now: () => Date.now(), signal, senderId: registry.accountId };
}
