// DESIGN §8 over HTTP, each rule tried both ways: the API key reads providers and slots and
// nothing else; no or bad credentials are refused at the door (HTTP 401); createProvider only for
// the providers and admins groups; createAvailability and deleteSlot only for the provider's owner
// or admins; confirmBooking only for the booking's user; the publish mutations only with IAM.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelBookingDocument,
  ConfirmBookingDocument,
  CreateAvailabilityDocument,
  CreateBookingDocument,
  CreateProviderDocument,
  DeleteSlotDocument,
  GetBookingDocument,
  GetProviderDocument,
  GetSlotDocument,
  ListProvidersDocument,
  ListSlotsDocument,
  MyBookingsDocument,
  ProviderBookingsDocument,
  PublishBookingChangeDocument,
  PublishSlotChangeDocument,
  type BookingFieldsFragment,
} from '../../../client/generated/operations.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/dynamodb/client.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';
import {
  apiKeyAuth,
  dateInDays,
  EVERY_DAY,
  ok,
  post,
  providerWithSlots,
  recordWritten,
  refusal,
  send,
  subOf,
  tableSnapshot,
  userAuth,
  type Answer,
  type Auth,
  type ProviderWithSlots,
} from '../flows/fixture.ts';

let server: TestServer;
let owner: Auth;
let admin: Auth;
let rival: Auth;
let alice: Auth;
let bob: Auth;
let schedule: ProviderWithSlots;
let booking: BookingFieldsFragment;

beforeAll(async () => {
  server = await startTestServer();
  [owner, admin, rival, alice, bob] = await Promise.all([
    userAuth(server, 'auth-owner', ['providers']),
    userAuth(server, 'auth-admin', ['admins']),
    userAuth(server, 'auth-rival', ['providers']),
    userAuth(server, 'auth-alice'),
    userAuth(server, 'auth-bob'),
  ]);
  schedule = await providerWithSlots(server, owner, { day: dateInDays(3), endTime: '17:00' });
  booking = (await ok(server, alice, CreateBookingDocument, { input: { slotId: schedule.slots[0].id } })).createBooking;
  await recordWritten(server, booking.id);
});

afterAll(async () => {
  await server?.close();
});

/** A request signed with SigV4 for AppSync, as the backend's Lambdas sign theirs. */
async function iamPost<T, V extends Record<string, unknown>>(document: TypedDocumentNode<T, V>, variables: V, secretAccessKey = LOCAL_CREDENTIALS.secretAccessKey): Promise<Answer<T>> {
  const url = new URL(server.outputs.graphqlEndpoint);
  const body = JSON.stringify({ query: print(document), variables });
  const signer = new SignatureV4({ service: 'appsync', region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS, secretAccessKey }, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
  const answer = (await res.json()) as { data?: T | null; errors?: Answer<T>['errors'] };
  return { status: res.status, data: answer.data ?? null, errors: answer.errors };
}

/** A field-level denial (AppSync: HTTP 200, errorType Unauthorized, the field null) that wrote nothing. */
async function expectDenied<T, V extends Record<string, unknown>>(auth: Auth, document: TypedDocumentNode<T, V>, variables: V, type: string, field: string) {
  const before = await tableSnapshot(server);
  const error = await refusal(server, auth, document, variables);
  expect(error).toMatchObject({ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type ${type}` });
  expect(await tableSnapshot(server)).toEqual(before);
}

function slotChange() {
  const slot = schedule.slots[1];
  return {
    input: {
      providerId: schedule.providerId,
      date: slot.date,
      slotId: slot.id,
      startTime: slot.startTime,
      status: 'AVAILABLE' as const,
      previousStatus: 'HELD' as const,
      reason: 'CANCELLED' as const,
      at: new Date().toISOString(),
    },
  };
}

function bookingChange() {
  return {
    input: {
      bookingId: booking.id,
      userId: booking.userId,
      providerId: booking.providerId,
      slotId: booking.slotId,
      status: 'CANCELLED' as const,
      previousStatus: 'PENDING' as const,
      at: new Date().toISOString(),
    },
  };
}

describe('API key', () => {
  it('reads providers and slots', async () => {
    const key = apiKeyAuth(server);
    const provider = await ok(server, key, GetProviderDocument, { id: schedule.providerId });
    expect(provider.getProvider?.ownerId).toBe(subOf(owner));
    const providers = await ok(server, key, ListProvidersDocument, { limit: 10 });
    expect(providers.listProviders.items.map((p) => p.id)).toContain(schedule.providerId);
    const slots = await ok(server, key, ListSlotsDocument, { providerId: schedule.providerId, from: schedule.day, to: schedule.day });
    expect(slots.listSlots.items.map((s) => s.id)).toEqual(schedule.slots.map((s) => s.id));
    const slot = await ok(server, key, GetSlotDocument, { id: schedule.slots[0].id });
    expect(slot.getSlot?.status).toBe('HELD');
  });

  it('reads no booking and makes no mutation', async () => {
    const key = apiKeyAuth(server);
    await expectDenied(key, GetBookingDocument, { id: booking.id }, 'Query', 'getBooking');
    await expectDenied(key, MyBookingsDocument, {}, 'Query', 'myBookings');
    await expectDenied(key, ProviderBookingsDocument, { providerId: schedule.providerId }, 'Query', 'providerBookings');
    await expectDenied(key, CreateProviderDocument, { input: { name: 'Key Clinic', timeZone: 'UTC' } }, 'Mutation', 'createProvider');
    const day = dateInDays(4);
    await expectDenied(
      key,
      CreateAvailabilityDocument,
      { input: { providerId: schedule.providerId, daysOfWeek: [...EVERY_DAY], startTime: '09:00', endTime: '10:00', slotDurationMinutes: 30, validFrom: day, validTo: day } },
      'Mutation',
      'createAvailability',
    );
    await expectDenied(key, DeleteSlotDocument, { id: schedule.slots[2].id }, 'Mutation', 'deleteSlot');
    await expectDenied(key, CreateBookingDocument, { input: { slotId: schedule.slots[2].id } }, 'Mutation', 'createBooking');
    await expectDenied(key, ConfirmBookingDocument, { id: booking.id }, 'Mutation', 'confirmBooking');
    await expectDenied(key, CancelBookingDocument, { id: booking.id }, 'Mutation', 'cancelBooking');
  });
});

describe('credentials at the door', () => {
  it('answers a request without credentials with HTTP 401 UnauthorizedException', async () => {
    const answer = await send(server, {}, ListProvidersDocument, {});
    expect(answer).toEqual({ status: 401, data: null, errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
  });

  it('refuses an unknown API key and a token not signed by the pool with HTTP 401', async () => {
    const badKey = await send(server, { 'x-api-key': 'da2-notthekey' }, ListProvidersDocument, {});
    expect(badKey.status).toBe(401);
    expect(badKey.errors?.[0].errorType).toBe('UnauthorizedException');

    const [header, payload] = alice.authorization.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['admins'] })).toString('base64url');
    const forged = await send(server, { authorization: `${header}.${forgedPayload}.${alice.authorization.split('.')[2]}` }, MyBookingsDocument, {});
    expect(forged.status).toBe(401);
    expect(forged.errors?.[0].errorType).toBe('UnauthorizedException');
  });

  it('refuses a SigV4 request signed with the wrong secret with HTTP 403', async () => {
    const answer = await iamPost(PublishSlotChangeDocument, slotChange(), 'not-the-secret');
    expect(answer.status).toBe(403);
    expect(answer.errors?.[0].errorType).toBe('InvalidSignatureException');
  });
});

describe('groups: createProvider', () => {
  it('is refused to a user in neither providers nor admins, and to a user in another group', async () => {
    await expectDenied(alice, CreateProviderDocument, { input: { name: 'Nope', timeZone: 'UTC' } }, 'Mutation', 'createProvider');
    const other = await userAuth(server, 'auth-staff', ['staff']);
    await expectDenied(other, CreateProviderDocument, { input: { name: 'Nope', timeZone: 'UTC' } }, 'Mutation', 'createProvider');
  });

  it('is allowed to the providers and the admins groups', async () => {
    for (const auth of [owner, admin]) {
      const { createProvider } = await ok(server, auth, CreateProviderDocument, { input: { name: 'Allowed', timeZone: 'UTC' } });
      expect(createProvider.ownerId).toBe(subOf(auth));
    }
  });
});

describe('owner or admins: createAvailability and deleteSlot', () => {
  const day = dateInDays(5);
  const input = (startTime: string, endTime: string) => ({
    input: { providerId: schedule.providerId, daysOfWeek: [...EVERY_DAY], startTime, endTime, slotDurationMinutes: 30, validFrom: day, validTo: day },
  });

  it('refuses another provider\'s owner and a plain user', async () => {
    for (const outsider of [rival, alice]) {
      const before = await tableSnapshot(server);
      const refused = await refusal(server, outsider, CreateAvailabilityDocument, input('09:00', '10:00'));
      expect(refused).toMatchObject({ errorType: 'Unauthorized', message: "Only the provider's owner or an admin may do this" });
      const deleteRefused = await refusal(server, outsider, DeleteSlotDocument, { id: schedule.slots[3].id });
      expect(deleteRefused.errorType).toBe('Unauthorized');
      expect(await tableSnapshot(server)).toEqual(before);
    }
  });

  it('allows the owner and an admin', async () => {
    expect((await ok(server, owner, CreateAvailabilityDocument, input('09:00', '10:00'))).createAvailability.slotCount).toBe(2);
    expect((await ok(server, admin, CreateAvailabilityDocument, input('10:00', '11:00'))).createAvailability.slotCount).toBe(2);
    expect((await ok(server, owner, DeleteSlotDocument, { id: schedule.slots[3].id })).deleteSlot.id).toBe(schedule.slots[3].id);
    expect((await ok(server, admin, DeleteSlotDocument, { id: schedule.slots[4].id })).deleteSlot.id).toBe(schedule.slots[4].id);
  });
});

describe('the booking\'s user: confirmBooking', () => {
  it('refuses everyone else, the provider\'s owner and admins included, and lets the user confirm', async () => {
    const held = (await ok(server, bob, CreateBookingDocument, { input: { slotId: schedule.slots[5].id } })).createBooking;
    await recordWritten(server, held.id);
    for (const other of [alice, owner, admin]) {
      const refused = await refusal(server, other, ConfirmBookingDocument, { id: held.id });
      expect(refused).toMatchObject({ errorType: 'Unauthorized', message: 'Only the user who made a booking may confirm it' });
    }
    expect((await ok(server, bob, ConfirmBookingDocument, { id: held.id })).confirmBooking.status).toBe('CONFIRMED');
  });
});

describe('IAM only: publishSlotChange and publishBookingChange', () => {
  it('refuses a signed-in user (any group) and the API key', async () => {
    for (const auth of [alice, admin, apiKeyAuth(server)]) {
      await expectDenied(auth, PublishSlotChangeDocument, slotChange(), 'Mutation', 'publishSlotChange');
      await expectDenied(auth, PublishBookingChangeDocument, bookingChange(), 'Mutation', 'publishBookingChange');
    }
  });

  it('lets an IAM caller publish, and answers with the change', async () => {
    const slot = slotChange();
    const published = await iamPost(PublishSlotChangeDocument, slot);
    expect(published.status).toBe(200);
    expect(published.errors).toBeUndefined();
    expect(published.data?.publishSlotChange).toEqual({ ...slot.input, at: published.data?.publishSlotChange?.at });
    expect(Date.parse(published.data?.publishSlotChange?.at ?? '')).toBe(Date.parse(slot.input.at));

    const change = bookingChange();
    const bookingPublished = await iamPost(PublishBookingChangeDocument, change);
    expect(bookingPublished.errors).toBeUndefined();
    expect(bookingPublished.data?.publishBookingChange).toMatchObject({ bookingId: booking.id, userId: booking.userId, status: 'CANCELLED', previousStatus: 'PENDING' });
  });

  it('gives an IAM caller nothing the user pool owns', async () => {
    const answer = await iamPost(GetBookingDocument, { id: booking.id });
    expect(answer.status).toBe(200);
    expect(answer.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access getBooking on type Query' });
    const mutation = await iamPost(CreateBookingDocument, { input: { slotId: schedule.slots[6].id } });
    expect(mutation.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access createBooking on type Mutation' });
  });
});

describe('raw requests', () => {
  it('refuses a query the schema does not have, whoever asks', async () => {
    const answer = await post(server, apiKeyAuth(server), '{ listBookings { id } }');
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0].message).toContain('listBookings');
  });
});
