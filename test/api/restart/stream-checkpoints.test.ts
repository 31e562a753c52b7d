// The stream mappings go on after a restart from where they stopped, as Lambda's event source
// mappings keep their checkpoints: a change they had not read when the server stopped is still
// published, and none they had processed is published again. The change is made in the table
// while the server is down, the one way to have a record written but surely not yet read.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, expect, it } from 'vitest';
import { slotKeyOfId } from '../../../functions/shared/model.ts';
import { localDynamoDb } from '../../../local/dynamodb/client.ts';
import { createSchedule, waitFor } from '../../fixtures/api/schedule.ts';
import { startTestServer, type TestServer } from '../../support/local-server.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'slotsync-restart-streams-'));
const checkpointFile = join(stateDir, 'stream-checkpoints.json');
const lines: string[] = [];
const options = {
  stateDir,
  tableName: `restart-streams-${randomUUID().slice(0, 8)}`,
  // Each publish change-publisher makes shows as a traced call of the publish mutation's data source.
  traceDataSources: true,
  log: (line: string) => lines.push(line),
};
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(stateDir, { recursive: true, force: true });
});

const slotPublishes = () => lines.filter((line) => line.startsWith('trace Mutation.publishSlotChange ')).length;

it('a change the stream mappings had not read at stop is published after the restart, and nothing before it twice', async () => {
  const first = await startTestServer(options);
  servers.push(first);
  const schedule = await createSchedule(first, 2);
  await waitFor('both new slots published', async () => (slotPublishes() === 2 ? true : undefined));
  await first.stop();
  const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { mappings: Record<string, { shards: Record<string, unknown> }> };
  expect(Object.keys(saved.mappings).sort()).toEqual(['change-publisher', 'expiry-processor']);
  expect(Object.values(saved.mappings['change-publisher'].shards)).toContainEqual(expect.objectContaining({ type: 'AFTER_SEQUENCE_NUMBER' }));

  const key = slotKeyOfId(schedule.slotIds[0]);
  await localDynamoDb(first.dynamodbEndpoint).send(new DeleteItemCommand({ TableName: options.tableName, Key: marshall(key) }));

  lines.length = 0;
  const second = await startTestServer(options);
  servers.push(second);
  expect(existsSync(checkpointFile)).toBe(false);
  expect(lines).toContainEqual('streams: going on from the checkpoints of the last run (change-publisher, expiry-processor)');
  await waitFor('the deleted slot published', async () => (slotPublishes() >= 1 ? true : undefined));
  // A stream poll or two more: the slots created before the stop are not published again.
  await new Promise((r) => setTimeout(r, 1500));
  expect(slotPublishes()).toBe(1);
});
