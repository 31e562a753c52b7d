// Live subscriptions by field, and the fan-out of published mutation results. Subscribers whose
// operation text and variables are the same get the same payload, so it is built once per event.
import { executeSync, type GraphQLSchema } from 'graphql';
import { executionError } from '../http/errors.ts';
import { matchesFilter } from './filter.ts';
import type { StartedSubscription } from './start.ts';

export interface Subscriber {
  /** Sends an already-serialized frame; false when the subscriber's connection refused it. */
  sendFrame(frame: string): boolean;
  invalidate(id: string): void;
}

export interface LiveSubscription extends StartedSubscription {
  id: string;
  subscriber: Subscriber;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** Subscription arguments match top-level fields of the published result; null/omitted match all. */
function argumentsMatch(args: Record<string, unknown>, result: unknown): boolean {
  const fields = (result ?? {}) as Record<string, unknown>;
  return Object.entries(args).every(([name, value]) => value === null || value === undefined || same(fields[name], value));
}

export class SubscriptionRegistry {
  private readonly byField = new Map<string, Set<LiveSubscription>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxPayloadBytes: number,
  ) {}

  add(sub: LiveSubscription): void {
    let set = this.byField.get(sub.field);
    if (!set) this.byField.set(sub.field, (set = new Set()));
    set.add(sub);
  }

  remove(sub: LiveSubscription): void {
    this.byField.get(sub.field)?.delete(sub);
  }

  get size(): number {
    let n = 0;
    for (const set of this.byField.values()) n += set.size;
    return n;
  }

  /** Delivers `result` (keyed by field name, limited to the mutation's selection) to matching subscribers. */
  publish(subscriptionFields: readonly string[], result: unknown): number {
    let delivered = 0;
    for (const field of subscriptionFields) {
      const subs = this.byField.get(field);
      if (!subs || subs.size === 0) continue;
      const payloads = new Map<string, string | null>();
      // Copy: a slow subscriber may be dropped (and removed) while we iterate.
      for (const sub of [...subs]) {
        if (!argumentsMatch(sub.arguments, result)) continue;
        if (sub.filter && !matchesFilter(sub.filter, result)) continue;
        let payload = payloads.get(sub.executionKey);
        if (payload === undefined) {
          payload = this.payloadFor(sub, result);
          payloads.set(sub.executionKey, payload);
        }
        if (payload === null) continue;
        if (sub.subscriber.sendFrame(`{"type":"data","id":${JSON.stringify(sub.id)},"payload":${payload}}`)) delivered += 1;
      }
    }
    return delivered;
  }

  /** extensions.invalidateSubscriptions: closes subscriptions whose invalidation filter matches. */
  invalidate(subscriptionField: string, payload: Record<string, unknown>): number {
    let closed = 0;
    for (const sub of [...(this.byField.get(subscriptionField) ?? [])]) {
      if (sub.invalidationFilter && matchesFilter(sub.invalidationFilter, payload)) {
        sub.subscriber.invalidate(sub.id);
        closed += 1;
      }
    }
    return closed;
  }

  /**
   * The subscriber's own selection executed over the published result: fields the mutation did not
   * select are null, and a null in a non-null field is an error worded as AppSync's HTTP responses
   * word it ("Cannot return null for non-nullable type: …"). Over the payload limit the event is
   * dropped, as AppSync drops it.
   */
  private payloadFor(sub: LiveSubscription, result: unknown): string | null {
    const executed = executeSync({
      schema: this.schema,
      document: sub.document,
      operationName: sub.operationName,
      variableValues: sub.variables,
      rootValue: { [sub.field]: result },
    });
    const body: Record<string, unknown> = { data: executed.data ?? null };
    if (executed.errors?.length) {
      body.errors = executed.errors.flatMap((e) => {
        const converted = executionError(this.schema, e);
        return converted ? [converted] : [];
      });
    }
    const text = JSON.stringify(body);
    return Buffer.byteLength(text) > this.maxPayloadBytes ? null : text;
  }
}
