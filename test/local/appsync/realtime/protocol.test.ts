// The message exchange on an open connection: start -> start_ack, data, stop -> complete, and the
// error frames for operations the socket refuses (non-subscriptions, invalid documents, bad frames).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ackedClient,
  apiKeyHeaders,
  newId,
  PROVIDER_A,
  SLOT_FIELDS,
  slotChange,
  start,
  startHarness,
  startMessage,
  subscribe,
  type Harness,
} from './harness.ts';
import type { RawClient } from './ws-client.ts';

const ON_SLOT_CHANGED = `subscription Watch($p: ID!) { onSlotChanged(providerId: $p) { ${SLOT_FIELDS} } }`;

let h: Harness;
let client: RawClient;
beforeAll(async () => {
  h = await startHarness();
  client = await ackedClient(h);
});
afterAll(async () => {
  client.close();
  await h.close();
});

describe('start, data, stop', () => {
  it('start_ack, then the published mutation result as data, then complete after stop', async () => {
    const id = await subscribe(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
    expect(h.realtime.publish('publishSlotChange', slotChange())).toBe(1);
    expect(await client.nextFrame()).toEqual({ type: 'data', id, payload: { data: { onSlotChanged: slotChange() } } });
    client.send({ type: 'stop', id });
    expect(await client.nextFrame()).toEqual({ type: 'complete', id });
    // Stopped: nothing is delivered to it any more.
    expect(h.realtime.publish('publishSlotChange', slotChange())).toBe(0);
  });

  it('nothing published before start_ack is delivered', async () => {
    h.realtime.publish('publishSlotChange', slotChange({ slotId: 'before' }));
    const id = await subscribe(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
    h.realtime.publish('publishSlotChange', slotChange({ slotId: 'after' }));
    expect(await client.nextFrame()).toMatchObject({ type: 'data', id, payload: { data: { onSlotChanged: { slotId: 'after' } } } });
    client.send({ type: 'stop', id });
    await client.nextOfType('complete', id);
  });

  it('a mutation not listed in @aws_subscribe reaches nobody', async () => {
    const id = await subscribe(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
    expect(h.realtime.publish('publishBookingChange', slotChange())).toBe(0);
    expect(h.realtime.publish('createBooking', slotChange())).toBe(0);
    client.send({ type: 'stop', id });
    await client.nextOfType('complete', id);
  });

  it('one mutation feeds every subscription field that lists it', async () => {
    const changed = await subscribe(h, client, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`);
    const released = await subscribe(h, client, `subscription { onSlotReleased(providerId: "${PROVIDER_A}") { slotId } }`);
    expect(h.realtime.publish('publishSlotChange', slotChange())).toBe(2);
    const frames = [await client.nextOfType('data'), await client.nextOfType('data')];
    expect(frames).toEqual(
      expect.arrayContaining([
        { type: 'data', id: changed, payload: { data: { onSlotChanged: { slotId: slotChange().slotId } } } },
        { type: 'data', id: released, payload: { data: { onSlotReleased: { slotId: slotChange().slotId } } } },
      ]),
    );
    for (const id of [changed, released]) {
      client.send({ type: 'stop', id });
      await client.nextOfType('complete', id);
    }
  });

  it('aliases, fragments and __typename in the subscriber\'s selection', async () => {
    const query = `subscription { watch: onSlotChanged(providerId: "${PROVIDER_A}") { __typename id: slotId ...F } }
      fragment F on SlotChange { status }`;
    const id = await subscribe(h, client, query);
    h.realtime.publish('publishSlotChange', slotChange());
    expect(await client.nextFrame()).toEqual({
      type: 'data',
      id,
      payload: { data: { watch: { __typename: 'SlotChange', id: slotChange().slotId, status: 'AVAILABLE' } } },
    });
    client.send({ type: 'stop', id });
    await client.nextOfType('complete', id);
  });

  it('stop for an unknown id still answers complete', async () => {
    client.send({ type: 'stop', id: 'never-started' });
    expect(await client.nextFrame()).toEqual({ type: 'complete', id: 'never-started' });
  });

  it('a stop sent right after a start cancels it: complete, and the subscription never goes live', async () => {
    const { id, message } = startMessage(h, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
    const subscriptions = h.realtime.subscriptionCount;
    client.send(message);
    client.send({ type: 'stop', id });
    expect(await client.nextFrame()).toEqual({ type: 'complete', id });
    // A ping subscription afterwards: its start_ack comes next, with no start_ack for the cancelled id before it.
    const ping = await subscribe(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
    expect(client.frames.filter((f) => f.id === id).map((f) => f.type)).toEqual(['complete']);
    expect(h.realtime.subscriptionCount).toBe(subscriptions + 1);
    client.send({ type: 'stop', id: ping });
    await client.nextOfType('complete', ping);
  });

  it('start, stop, start again with the same id before the first is processed: the second one is live', async () => {
    const first = startMessage(h, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } }`, { id: 'reused' });
    const second = startMessage(h, `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { status } }`, { id: 'reused' });
    client.send(first.message);
    client.send({ type: 'stop', id: 'reused' });
    client.send(second.message);
    expect(await client.nextFrame()).toEqual({ type: 'complete', id: 'reused' });
    expect(await client.nextFrame()).toEqual({ type: 'start_ack', id: 'reused' });
    h.realtime.publish('publishSlotChange', slotChange());
    expect(await client.nextFrame()).toEqual({ type: 'data', id: 'reused', payload: { data: { onSlotChanged: { status: 'AVAILABLE' } } } });
    client.send({ type: 'stop', id: 'reused' });
    await client.nextOfType('complete', 'reused');
  });

  it('a second start with an id in use is refused', async () => {
    const id = await subscribe(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A } });
    const { reply } = await start(h, client, ON_SLOT_CHANGED, { variables: { p: PROVIDER_A }, id });
    expect(reply).toMatchObject({ type: 'error', id, payload: { errors: [{ errorType: 'DuplicatedOperationError' }] } });
    client.send({ type: 'stop', id });
    await client.nextOfType('complete', id);
  });
});

describe('operations the socket refuses', () => {
  it.each([
    ['query', '{ getSlot(id: "01HZX0000000000000000000S1") { id } }'],
    ['named query', 'query Q { listProviders { nextToken } }'],
    ['mutation', 'mutation { cancelBooking(id: "x") { id } }'],
  ])('a %s: error UnsupportedOperation', async (_kind, query) => {
    const { id, reply } = await start(h, client, query);
    expect(reply).toEqual({
      type: 'error',
      id,
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: expect.stringMatching(/(query|mutation) not supported through the realtime channel/) }] },
    });
  });

  // The wording is graphql-java's, as AppSync's HTTP endpoint gives it (schema/validation.ts).
  it.each([
    [
      'an unknown field',
      `subscription { onSlotChanged(providerId: "${PROVIDER_A}") { nope } }`,
      "Validation error of type FieldUndefined: Field 'nope' in type 'SlotChange' is undefined @ 'onSlotChanged/nope'",
    ],
    [
      'a missing required argument',
      'subscription { onSlotChanged { slotId } }',
      "Validation error of type MissingFieldArgument: Missing field argument providerId @ 'onSlotChanged'",
    ],
    [
      'an unknown subscription field',
      'subscription { onEverything { id } }',
      "Validation error of type FieldUndefined: Field 'onEverything' in type 'Subscription' is undefined @ 'onEverything'",
    ],
    ['a syntax error', 'subscription {', "Invalid Syntax : offending token '<EOF>' at line 1 column 15"],
    ['a missing required variable', ON_SLOT_CHANGED, "Variable 'p' has coerced Null value for NonNull type 'ID!'"],
  ])('%s: an error with only the message, as AppSync sends validation errors', async (_name, query, message) => {
    const { id, reply } = await start(h, client, query);
    expect(reply).toEqual({ type: 'error', id, payload: { errors: [{ message }] } });
  });

  it('an operation name the document lacks, or none among several: worded as the HTTP endpoint words them', async () => {
    const two = `subscription A { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } } subscription B { onSlotReleased(providerId: "${PROVIDER_A}") { slotId } }`;
    const unknown = await start(h, client, two, { operationName: 'C' });
    expect(unknown.reply).toEqual({ type: 'error', id: unknown.id, payload: { errors: [{ errorType: 'BadRequestException', message: "Unknown operation named 'C'." }] } });
    const unnamed = await start(h, client, two);
    expect(unnamed.reply).toEqual({ type: 'error', id: unnamed.id, payload: { errors: [{ errorType: 'BadRequestException', message: 'Missing operation name.' }] } });
  });

  it('a variable of the wrong type is refused with AppSync\'s variable message', async () => {
    const { id, reply } = await start(h, client, ON_SLOT_CHANGED, { variables: { p: { not: 'an id' } } });
    expect(reply).toEqual({ type: 'error', id, payload: { errors: [{ message: expect.stringMatching(/^Variable 'p' has an invalid value\. /) }] } });
  });

  it('an argument the resolver rejects: the resolver\'s util.error, no subscription', async () => {
    const before = h.realtime.subscriptionCount;
    const { id, reply } = await start(h, client, 'subscription { onSlotChanged(providerId: "not-a-ulid") { slotId } }');
    expect(reply).toEqual({ type: 'error', id, payload: { errors: [{ errorType: 'ValidationError', message: 'providerId is not a valid id' }] } });
    expect(h.realtime.subscriptionCount).toBe(before);
  });

  it('several operations without an operationName: error; with one, the named one is used', async () => {
    const doc = `subscription A { onSlotChanged(providerId: "${PROVIDER_A}") { slotId } } subscription B { onSlotReleased(providerId: "${PROVIDER_A}") { slotId } }`;
    expect((await start(h, client, doc)).reply.type).toBe('error');
    const id = await subscribe(h, client, doc, { operationName: 'B' });
    h.realtime.publish('publishSlotChange', slotChange());
    expect(await client.nextOfType('data', id)).toMatchObject({ payload: { data: { onSlotReleased: { slotId: slotChange().slotId } } } });
    client.send({ type: 'stop', id });
    await client.nextOfType('complete', id);
  });

  it.each<[string, unknown]>([
    ['not JSON', 'nope{'],
    ['a JSON array', '[1]'],
    ['an unknown type', { type: 'subscribe', id: 'x' }],
    ['a start without an id', { type: 'start', payload: { data: '{}', extensions: { authorization: {} } } }],
    ['a start with a 200-character id', { type: 'start', id: 'x'.repeat(200), payload: { data: '{}', extensions: { authorization: {} } } }],
    ['a start whose data is not a string', { type: 'start', id: 'd', payload: { data: { query: '' }, extensions: { authorization: {} } } }],
    ['a start without authorization', { type: 'start', id: 'a', payload: { data: '{}' } }],
    ['a stop without an id', { type: 'stop' }],
  ])('a frame that is %s: error MalformedMessage, connection kept', async (_name, frame) => {
    client.send(frame);
    expect(await client.nextFrame()).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'MalformedMessage' }] } });
    expect(client.closeCode).toBeNull();
  });

  it('a start whose data is not JSON, or has no query', async () => {
    for (const data of ['{', '{"variables":{}}']) {
      const id = newId();
      client.send({ id, type: 'start', payload: { data, extensions: { authorization: apiKeyHeaders(h) } } });
      expect(await client.nextFrame()).toMatchObject({ type: 'error', id, payload: { errors: [{ errorType: 'MalformedHttpRequestException' }] } });
    }
  });

  it('a binary frame: error, connection kept', async () => {
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.nextFrame()).toMatchObject({ type: 'error', payload: { errors: [{ message: 'Binary frames are not supported' }] } });
    expect(client.closeCode).toBeNull();
  });
});
