// Demo data for `npm start` on an empty table, created through the API itself (the same
// createProvider and createAvailability calls a client makes), so a newcomer can book at once.
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalUserPool } from './appsync/auth/user-pool.ts';

export const DEMO_PROVIDER_USER = 'demo-provider';
export const DEMO_USERS = ['alice', 'bob'];

export interface SeedOptions {
  graphqlUrl: string;
  userPool: LocalUserPool;
  client: DynamoDBClient;
  tableName: string;
  /** The first bookable day (provider-local), default tomorrow. */
  startDate?: string;
}

export interface SeedResult {
  seeded: boolean;
  providerId?: string;
  slotCount?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are checked where used
type Data = Record<string, any>;

async function call(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Data> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Data; errors?: Array<{ message: string; errorType?: string }> };
  if (!res.ok || body.errors?.length) {
    const first = body.errors?.[0];
    throw new Error(`seeding failed: ${first ? `${first.errorType ?? 'Error'}: ${first.message}` : `HTTP ${res.status}`}`);
  }
  return body.data ?? {};
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export async function seedDemoData(options: SeedOptions): Promise<SeedResult> {
  const existing = await options.client.send(new ScanCommand({ TableName: options.tableName, Limit: 1, Select: 'COUNT' }));
  if ((existing.Count ?? 0) > 0 || existing.LastEvaluatedKey) return { seeded: false };

  const { idToken } = await options.userPool.issue({ username: DEMO_PROVIDER_USER, groups: ['providers'] });
  const created = await call(
    options.graphqlUrl,
    idToken,
    `mutation Seed($input: CreateProviderInput!) { createProvider(input: $input) { id name timeZone } }`,
    { input: { name: 'Harbour Physio (demo)', description: 'A demo provider with a week of 30-minute slots.', timeZone: 'Europe/London' } },
  );
  const providerId = created.createProvider.id as string;
  const from = options.startDate ? new Date(`${options.startDate}T00:00:00Z`) : new Date(Date.now() + 86_400_000);
  const to = new Date(from.getTime() + 6 * 86_400_000);
  const availability = await call(
    options.graphqlUrl,
    idToken,
    `mutation SeedAvailability($input: CreateAvailabilityInput!) { createAvailability(input: $input) { id slotCount } }`,
    {
      input: {
        providerId,
        daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'],
        startTime: '09:00',
        endTime: '17:00',
        slotDurationMinutes: 30,
        bufferMinutes: 0,
        validFrom: isoDate(from),
        validTo: isoDate(to),
      },
    },
  );
  return { seeded: true, providerId, slotCount: availability.createAvailability.slotCount as number };
}
