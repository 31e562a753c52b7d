// DESIGN §4/§8 subscription rules on the whole local stack, with the events the real pipeline
// publishes (stream → change-publisher → IAM publish mutation): onMyBookingChanged delivers a
// user's own booking changes and never another user's, and is refused to the API key;
// onSlotReleased delivers only changes back to AVAILABLE; the API key may watch slots.
// "Never delivered" is shown by order, not by waiting: a later event the subscriber should get
// arrives first.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  CreateAvailabilityDocument,
  CreateBookingDocument,
  CreateProviderDocument,
  DeleteSlotDocument,
  ListSlotsDocument,
  OnMyBookingChangedDocument,
  OnSlotChangedDocument,
  OnSlotReleasedDocument,
  type OnMyBookingChangedSubscription,
  type OnSlotChangedSubscription,
} from '../../../client/generated/operations.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import { RawClient, type Frame } from '../../local/appsync/realtime/ws-client.ts';
import { apiKeyAuth, dateInDays, EVERY_DAY, ok, providerWithSlots, subOf, userAuth, type Auth, type ProviderWithSlots } from '../flows/fixture.ts';

/** Events travel stream → Lambda → HTTP → WebSocket: give them time on a busy machine. */
const EVENT_WAIT_MS = 20_000;

let server: TestServer;
let schedule: ProviderWithSlots;
const sockets: RawClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const owner = await userAuth(server, 'sub-owner', ['providers']);
  schedule = await providerWithSlots(server, owner, { day: dateInDays(3), endTime: '15:00' });
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

afterAll(async () => {
  await server?.close();
});

/** The header object of an auth mode, as AppSync clients put it in the handshake and in each start. */
function headersOf(auth: Auth): Record<string, string> {
  const host = new URL(server.outputs.graphqlEndpoint).host;
  return auth.authorization ? { host, Authorization: auth.authorization } : { host, ...auth };
}

interface Started {
  client: RawClient;
  id: string;
  reply: Frame;
}

let starts = 0;

async function start<V extends Record<string, unknown>>(auth: Auth, document: TypedDocumentNode<unknown, V>, variables: V): Promise<Started> {
  const authorization = headersOf(auth);
  const header = Buffer.from(JSON.stringify(authorization)).toString('base64');
  const client = await RawClient.open(`${server.outputs.realtimeEndpoint}?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws']);
  sockets.push(client);
  client.send({ type: 'connection_init' });
  await client.nextOfType('connection_ack');
  const id = `sub-${++starts}`;
  client.send({ id, type: 'start', payload: { data: JSON.stringify({ query: print(document), variables }), extensions: { authorization } } });
  const reply = await client.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'), 'the start reply');
  return { client, id, reply };
}

async function subscribed<V extends Record<string, unknown>>(auth: Auth, document: TypedDocumentNode<unknown, V>, variables: V): Promise<Started> {
  const started = await start(auth, document, variables);
  expect(started.reply.type).toBe('start_ack');
  return started;
}

async function nextData<T>(s: Started, what: string): Promise<T> {
  return (await s.client.next((f) => f.type === 'data' && f.id === s.id, what, EVENT_WAIT_MS)).payload?.data as T;
}

describe('onMyBookingChanged', () => {
  it('is refused to the API key', async () => {
    const { reply } = await start(apiKeyAuth(server), OnMyBookingChangedDocument, {});
    expect(reply).toMatchObject({
      type: 'error',
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onMyBookingChanged on type Subscription' }] },
    });
  });

  it('delivers a user\'s own booking changes and never another user\'s', async () => {
    const [alice, bob] = await Promise.all([userAuth(server, 'sub-alice'), userAuth(server, 'sub-bob')]);
    const aliceWatch = await subscribed(alice, OnMyBookingChangedDocument, {});
    const bobWatch = await subscribed(bob, OnMyBookingChangedDocument, {});

    const aliceBooking = (await ok(server, alice, CreateBookingDocument, { input: { slotId: schedule.slots[0].id } })).createBooking;
    const seenByAlice = await nextData<OnMyBookingChangedSubscription>(aliceWatch, "alice's booking change");
    expect(seenByAlice.onMyBookingChanged).toMatchObject({ bookingId: aliceBooking.id, userId: subOf(alice), status: 'PENDING' });

    // Alice's change was published before Bob books: if Bob could see it, it would come first.
    const bobBooking = (await ok(server, bob, CreateBookingDocument, { input: { slotId: schedule.slots[1].id } })).createBooking;
    const seenByBob = await nextData<OnMyBookingChangedSubscription>(bobWatch, "bob's booking change");
    expect(seenByBob.onMyBookingChanged).toMatchObject({ bookingId: bobBooking.id, userId: subOf(bob), status: 'PENDING' });
  });
});

describe('slot subscriptions', () => {
  it('let the API key watch a provider\'s slots, and onSlotReleased carries only changes back to AVAILABLE', async () => {
    const key = apiKeyAuth(server);
    const owner = await userAuth(server, 'sub-slot-owner', ['providers']);
    const day = dateInDays(4);
    const { createProvider: provider } = await ok(server, owner, CreateProviderDocument, { input: { name: 'Watched', timeZone: 'UTC' } });
    const changes = await subscribed(key, OnSlotChangedDocument, { providerId: provider.id, date: day });
    const released = await subscribed(key, OnSlotReleasedDocument, { providerId: provider.id, date: day });
    const rule = await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: provider.id, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '11:00', slotDurationMinutes: 60, validFrom: day, validTo: day },
    });
    // Generated slots are new AVAILABLE slots: both subscriptions see them first, one per slot.
    for (let i = 0; i < rule.createAvailability.slotCount; i++) {
      expect((await nextData<OnSlotChangedSubscription>(changes, 'a GENERATED change')).onSlotChanged?.reason).toBe('GENERATED');
      expect((await nextData<{ onSlotReleased: { reason: string } }>(released, 'a GENERATED release')).onSlotReleased.reason).toBe('GENERATED');
    }
    const [slot] = (await ok(server, key, ListSlotsDocument, { providerId: provider.id, from: day, to: day })).listSlots.items;

    const carol = await userAuth(server, 'sub-carol');
    const booking = (await ok(server, carol, CreateBookingDocument, { input: { slotId: slot.id } })).createBooking;
    const held = await nextData<OnSlotChangedSubscription>(changes, 'the HELD change');
    expect(held.onSlotChanged).toMatchObject({ slotId: slot.id, status: 'HELD', previousStatus: 'AVAILABLE', reason: 'HELD' });

    await ok(server, carol, CancelBookingDocument, { id: booking.id });
    const back = await nextData<OnSlotChangedSubscription>(changes, 'the AVAILABLE change');
    expect(back.onSlotChanged).toMatchObject({ slotId: slot.id, status: 'AVAILABLE', previousStatus: 'HELD', reason: 'CANCELLED' });
    // The HELD change came before it on onSlotChanged; on onSlotReleased the release comes first.
    const first = await nextData<{ onSlotReleased: unknown }>(released, 'the release');
    expect(first.onSlotReleased).toEqual(back.onSlotChanged);

    // Deleting an AVAILABLE slot is no release: the next release onSlotReleased carries is the
    // other slot's, published after the deletion.
    await ok(server, owner, DeleteSlotDocument, { id: slot.id });
    expect((await nextData<OnSlotChangedSubscription>(changes, 'the DELETED change')).onSlotChanged).toMatchObject({ slotId: slot.id, reason: 'DELETED' });
    const other = (await ok(server, key, ListSlotsDocument, { providerId: provider.id, from: day, to: day })).listSlots.items[0];
    const again = (await ok(server, carol, CreateBookingDocument, { input: { slotId: other.id } })).createBooking;
    await ok(server, carol, CancelBookingDocument, { id: again.id });
    const second = await nextData<{ onSlotReleased: unknown }>(released, 'the second release');
    expect(second.onSlotReleased).toMatchObject({ slotId: other.id, status: 'AVAILABLE', reason: 'CANCELLED' });
  });
});
