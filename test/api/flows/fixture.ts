// What the API flow, error and auth tests (test/api/{flows,errors,auth}) share: the generated typed
// documents sent over real HTTP with the HTTP status kept, users and the API key as auth headers,
// a provider with a day of slots made through the API, and the test server's table read directly.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { print } from 'graphql';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateAvailabilityDocument,
  CreateProviderDocument,
  ListSlotsDocument,
  type SlotFieldsFragment,
} from '../../../client/generated/operations.ts';
import { bookingKey, holdCounterKey, type TableKey } from '../../../functions/shared/model.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import type { TestServer } from '../../support/local-server.ts';

export type Auth = Record<string, string>;

export interface GraphqlError {
  errorType: string | null;
  message: string;
  path?: Array<string | number>;
  errorInfo?: Record<string, unknown> | null;
}

export interface Answer<T> {
  status: number;
  data: T | null;
  errors?: GraphqlError[];
}

/** One GraphQL request over HTTP: the status and the body as the server sent them. */
export async function post<T>(server: TestServer, headers: Auth, query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> {
  const res = await fetch(server.outputs.graphqlEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GraphqlError[] };
  return { status: res.status, data: body.data ?? null, errors: body.errors };
}

/** A typed operation (client/generated) over HTTP. */
export function send<T, V extends Record<string, unknown>>(server: TestServer, auth: Auth, document: TypedDocumentNode<T, V>, variables: V): Promise<Answer<T>> {
  return post<T>(server, auth, print(document), variables);
}

/** The data of an operation that must succeed; its errors, if any, fail the test with their text. */
export async function ok<T, V extends Record<string, unknown>>(server: TestServer, auth: Auth, document: TypedDocumentNode<T, V>, variables: V): Promise<T> {
  const answer = await send(server, auth, document, variables);
  if (answer.status !== 200 || answer.errors?.length || !answer.data) {
    throw new Error(`operation failed (HTTP ${answer.status}): ${JSON.stringify(answer.errors)}`);
  }
  return answer.data;
}

/**
 * The one error of an operation that must fail as a GraphQL field error: HTTP 200, the field null,
 * exactly one error on that field's path.
 */
export async function refusal<T, V extends Record<string, unknown>>(server: TestServer, auth: Auth, document: TypedDocumentNode<T, V>, variables: V): Promise<GraphqlError> {
  const answer = await send(server, auth, document, variables);
  if (answer.status !== 200) throw new Error(`expected HTTP 200 with a field error, got HTTP ${answer.status}: ${JSON.stringify(answer.errors)}`);
  if (!answer.errors || answer.errors.length !== 1) throw new Error(`expected exactly one error, got ${JSON.stringify(answer)}`);
  const [error] = answer.errors;
  const field = error.path?.[0];
  if (typeof field !== 'string') throw new Error(`the error has no field path: ${JSON.stringify(error)}`);
  const data = answer.data as Record<string, unknown> | null;
  if (data && data[field] !== null) throw new Error(`expected ${field} to be null, got ${JSON.stringify(data[field])}`);
  return error;
}

export async function userAuth(server: TestServer, username: string, groups: string[] = []): Promise<Auth> {
  return { authorization: await server.token(username, groups) };
}

export function apiKeyAuth(server: TestServer): Auth {
  return { 'x-api-key': server.outputs.apiKey };
}

/** The UTC calendar date `days` from today (slots in tests lie in the future). */
export function dateInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const EVERY_DAY = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

export interface ProviderWithSlots {
  providerId: string;
  day: string;
  /** The day's slots in start order, as listSlots answered right after creation. */
  slots: SlotFieldsFragment[];
}

/** Hands out a schedule's slots one at a time, so each test books slots no other test touched. */
export function slotDispenser(schedule: () => ProviderWithSlots): () => SlotFieldsFragment {
  let next = 0;
  return () => {
    const slot = schedule().slots[next++];
    if (!slot) throw new Error('the schedule ran out of slots');
    return slot;
  };
}

/**
 * A provider (owned by `owner`) with one day of slots from 09:00 to `endTime` provider-local,
 * `slotMinutes` long, created through createProvider and createAvailability.
 */
export async function providerWithSlots(
  server: TestServer,
  owner: Auth,
  options: { name?: string; timeZone?: string; day?: string; endTime?: string; slotMinutes?: number } = {},
): Promise<ProviderWithSlots> {
  const day = options.day ?? dateInDays(3);
  const created = await ok(server, owner, CreateProviderDocument, {
    input: { name: options.name ?? 'Clinic', timeZone: options.timeZone ?? 'Europe/London' },
  });
  const providerId = created.createProvider.id;
  await ok(server, owner, CreateAvailabilityDocument, {
    input: {
      providerId,
      daysOfWeek: [...EVERY_DAY],
      startTime: '09:00',
      endTime: options.endTime ?? '12:00',
      slotDurationMinutes: options.slotMinutes ?? 60,
      validFrom: day,
      validTo: day,
    },
  });
  const listed = await ok(server, owner, ListSlotsDocument, { providerId, from: day, to: day, limit: 100 });
  return { providerId, day, slots: listed.listSlots.items };
}

function documents(server: TestServer): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(localDynamoDb(server.dynamodbEndpoint));
}

/** One stored item, read consistently (undefined when absent). */
export async function storedItem(server: TestServer, key: TableKey): Promise<Record<string, unknown> | undefined> {
  return (await documents(server).send(new GetCommand({ TableName: server.tableName, Key: key, ConsistentRead: true }))).Item;
}

/** Every item of the server's table, as `PK|SK` → item (bounded: a test table is small). */
export async function tableSnapshot(server: TestServer): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < 100; page++) {
    const out = await documents(server).send(new ScanCommand({ TableName: server.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) items.set(`${String(item.PK)}|${String(item.SK)}`, item);
    start = out.LastEvaluatedKey;
    if (!start) return items;
  }
  throw new Error('table scan did not end within 100 pages');
}

/** The active-hold counter of a user (0 when it was never written). */
export async function activeHolds(server: TestServer, userId: string): Promise<number> {
  const counter = await storedItem(server, holdCounterKey(userId));
  return Number(counter?.count ?? 0);
}

/**
 * Waits until booking-processor has written the booking's record: the GSIs index only records, and
 * a test that compares table snapshots must not see that background write land in between.
 */
export async function recordWritten(server: TestServer, bookingId: string): Promise<void> {
  await waitFor(async () => ((await storedItem(server, bookingKey(bookingId))) ? true : undefined), `the record of booking ${bookingId}`);
}

/** The `sub` a token carries: the user id bookings are filed under. */
export function subOf(auth: Auth): string {
  const payload = auth.authorization.split('.')[1];
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
}

/** Polls `check` until it returns a value (not undefined), within a bounded wait. */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}
