// A hold placed before the local server stops still expires on time after it starts again: its
// HoldDeadline message is kept in the state directory at stop and queued again at start, as SQS
// keeps messages whatever happens to its consumers. The TTL sweeper is held off, so the deadline
// is the only path that can expire the hold here.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { CreateBookingDocument } from '../../../client/generated/operations.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, expiredBooking, ok, userAuth } from '../../fixtures/api/schedule.ts';
import { settledInvariants } from '../../support/invariants.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-restart-'));
const savedMessages = join(stateDir, 'sqs-messages.json');
const lines: string[] = [];
const options = {
  stateDir,
  tableName: `restart-${randomUUID().slice(0, 8)}`,
  // Long enough that the deadline is still delayed when the first server stops.
  env: { HOLD_SECONDS: '6', MAX_ACTIVE_HOLDS: '3' },
  ttlIntervalMs: 10 * 60_000,
  log: (line: string) => lines.push(line),
};
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(stateDir, { recursive: true, force: true });
});

it('a hold placed before a restart expires through its deadline message after it', async () => {
  const first = await startTestServer(options);
  servers.push(first);
  const schedule = await createSchedule(first, 1);
  const alice = await userAuth(first, 'alice');
  const { createBooking: hold } = await ok(first, alice, CreateBookingDocument, { input: { slotId: schedule.slotIds[0] } });
  expect(hold.status).toBe('PENDING');
  await first.stop();
  expect(readFileSync(savedMessages, 'utf8')).toContain(hold.id);
  // A header line, then one line a message.
  const savedCount = readFileSync(savedMessages, 'utf8').split('\n').filter((line) => line !== '').length - 1;
  expect(lines).toContain(`sqs: kept ${savedCount} queued message(s) in ${savedMessages} for the next start`);

  const second = await startTestServer(options);
  servers.push(second);
  expect(lines).toContainEqual(expect.stringMatching(/^sqs: put back \d+ message\(s\) queued at the last stop$/));
  const expired = await expiredBooking(second, await userAuth(second, 'alice'), hold.id, 20_000);
  expect(expired.expiredAt! >= hold.holdExpiresAt!).toBe(true);
  expect(await settledInvariants(localDynamoDb(second.dynamodbEndpoint), options.tableName)).toEqual([]);
});

it('in memory, a stop keeps no queued messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slotsync-in-memory-'));
  try {
    const server = await startTestServer({ ...options, stateDir: dir, inMemory: true, tableName: `in-memory-${randomUUID().slice(0, 8)}` });
    servers.push(server);
    const schedule = await createSchedule(server, 1);
    await ok(server, await userAuth(server, 'bob'), CreateBookingDocument, { input: { slotId: schedule.slotIds[0] } });
    await server.stop();
    expect(existsSync(join(dir, 'sqs-messages.json'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
