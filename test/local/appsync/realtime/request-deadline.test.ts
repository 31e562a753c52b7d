// A `start` is a GraphQL request of its own: its subscription resolver runs within AppSync's
// execution deadline (30 s, shortened here), and one that runs out is refused with ExecutionTimeout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataSource } from '../../../../local/appsync/datasources/types.ts';
import { ackedClient, inlineRunner, PROVIDER_A, start, startHarness, type Harness } from './harness.ts';
import type { RawClient } from './ws-client.ts';

// Already-bundled APPSYNC_JS: the data source answers after request.delayMs.
const ON_SLOT_CHANGED = `export function request(ctx) {
  return { delayMs: ctx.args.date ? 1500 : 0 };
}
export function response(ctx) {
  return null;
}`;

const delay: DataSource = {
  invoke: (request) => new Promise((resolve) => setTimeout(() => resolve({ result: null }), (request as { delayMs: number }).delayMs)),
};

let h: Harness;
let client: RawClient;
beforeAll(async () => {
  h = await startHarness({ runner: inlineRunner({ onSlotChanged: ON_SLOT_CHANGED }, delay), requestTimeoutMs: 300 });
  client = await ackedClient(h);
});
afterAll(async () => {
  client.close();
  await h.close();
});

it('a subscription resolver still running at the deadline: the start is refused with ExecutionTimeout', async () => {
  const before = h.realtime.subscriptionCount;
  const { id, reply } = await start(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}", date: "2030-01-07") { slotId } }`);
  expect(reply).toEqual({ type: 'error', id, payload: { errors: [{ errorType: 'ExecutionTimeout', message: 'Execution timed out.' }] } });
  expect(h.realtime.subscriptionCount).toBe(before);
});

it('one that ends in time goes live', async () => {
  const { reply } = await start(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`);
  expect(reply.type).toBe('start_ack');
});
