// `slotsync start` (npm start): runs the whole API locally until Ctrl-C or SIGTERM.
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../dynamodb/launcher.ts';
import { rateLimitFromEnv } from '../appsync/http/rate-limit.ts';
import { ensurePortFree } from '../net.ts';
import { apiOverrideProblems } from '../plan.ts';
import { DEFAULT_STATE_DIR, stateDirFrom } from '../state-dir.ts';
import { lockStateDir, StateDirInUseError } from '../state-lock.ts';
import { stopSignals } from '../stop-signals.ts';

const HELP = `usage: slotsync start [--port N] [--state-dir DIR] [--in-memory] [--no-seed]

Runs DynamoDB Local, local SQS, the Lambdas, streams, TTL expiry and the AppSync-compatible
server. Data, keys and outputs.json live in the state directory (default .slotsync).
Environment:
  PORT                       the port (default 4000)
  SLOTSYNC_STATE_DIR         the state directory (default .slotsync at the repository root)
  HOLD_SECONDS               how long a hold lasts, 1-900 (default 300)
  MAX_ACTIVE_HOLDS           live holds per user, 1-100 (default 3)
  SLOTSYNC_IN_MEMORY=1       as --in-memory
  SLOTSYNC_RATE_LIMIT        requests per 5 minutes per IP (default 1000)
  SLOTSYNC_TRACE=1           log every data source call with its duration
  SLOTSYNC_LAMBDA_LOG_LEVEL  the Lambdas' log level (POWERTOOLS_LOG_LEVEL; default WARN)`;

export async function run(argv: string[]): Promise<number> {
  // AppSync and Lambda run in UTC, and a Lambda sandbox (a worker thread) has the process's zone.
  process.env.TZ = 'UTC';
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'state-dir': { type: 'string' },
      'in-memory': { type: 'boolean' },
      'no-seed': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const portText = values.port ?? process.env.PORT ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`slotsync start: PORT must be a port number, not "${portText}"`);
    return 2;
  }
  // The environment's settings too, before anything starts, as PORT: not after the JVM's seconds.
  const settingProblems = apiOverrideProblems(process.env);
  try {
    rateLimitFromEnv(process.env);
  } catch (err) {
    settingProblems.push((err as Error).message);
  }
  if (settingProblems.length > 0) {
    for (const problem of settingProblems) console.error(`slotsync start: ${problem}`);
    return 2;
  }
  const state = stateDirFrom(values['state-dir']);
  if ('error' in state) {
    console.error(`slotsync start: ${state.error}`);
    return 2;
  }
  const stateDir = state.dir;
  const inMemory = values['in-memory'] || process.env.SLOTSYNC_IN_MEMORY === '1';
  const started = Date.now();
  // Before anything starts: a taken port is a one-line error, with no JVM to clean up.
  await ensurePortFree(port);
  let unlock: () => void;
  try {
    unlock = lockStateDir(stateDir);
  } catch (err) {
    if (!(err instanceof StateDirInUseError)) throw err;
    console.error(`slotsync start: ${err.message}`);
    return 1;
  }
  // A signal during startup is kept and honoured once the server is up (stopping it cleanly, JVM
  // included); a second one a second or more later exits at once, and the launcher's exit hook
  // still kills the JVM (stop-signals.ts).
  let signalled: string | undefined;
  let wake = () => {};
  const onSignal = stopSignals({
    onStop: (signal) => {
      signalled = signal;
      wake();
    },
    onForce: (signal) => {
      console.error(`slotsync: ${signal} again: exiting without draining`);
      process.exit(128 + constants.signals[signal]);
    },
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  console.log('slotsync: starting DynamoDB Local, SQS, Lambdas, streams and the API…');
  try {
    // The JVM and the table take the longest: start them first, and load the server's modules
    // (another second of work) meanwhile. The server owns the JVM from then on.
    // The pid file lets the next start stop this JVM if this process is killed before it can.
    const jvm = { pidFile: join(stateDir, 'dynamodb-local.pid'), log: (line: string) => console.log(line) };
    const dynamodb = startDynamoDbLocal(inMemory ? jvm : { ...jvm, dataDir: join(stateDir, 'dynamodb') }).then(async (ddb) => {
      try {
        const [{ ensureTable }, { localDynamoDb }, { table }] = await Promise.all([
          import('../dynamodb/table.ts'),
          import('../dynamodb/client.ts'),
          import('../../infra/wiring.ts'),
        ]);
        await ensureTable(localDynamoDb(ddb.endpoint), table);
        return ddb;
      } catch (err) {
        await ddb.stop();
        throw err;
      }
    });
    dynamodb.catch(() => undefined);
    const [{ startLocalServer }, { DEMO_PROVIDER_USER, DEMO_USERS }] = await Promise.all([import('../server.ts'), import('../seed.ts')]).catch(
      async (err: unknown) => {
        await dynamodb.then((d) => d.stop(), () => undefined);
        throw err;
      },
    );
    const server = await startLocalServer({ port, stateDir, inMemory, dynamodb, seed: !values['no-seed'] });
    const { outputs } = server;
    const near = relative(process.cwd(), stateDir);
    const stateName = near && !near.startsWith('..') ? near : stateDir;
    const seeded = server.seed.seeded
      ? `\n  demo data   a provider with ${server.seed.slotCount} slots (provider user "${DEMO_PROVIDER_USER}")`
      : values['no-seed'] || inMemory
        ? ''
        : `\n  data        kept from the last run in ${stateName} (delete it, or use --in-memory, to start afresh)`;
    const stateFlag = stateDir === DEFAULT_STATE_DIR ? '' : ` --state-dir ${/\s/.test(stateDir) ? JSON.stringify(stateDir) : stateDir}`;
    console.log(`slotsync: ready in ${((Date.now() - started) / 1000).toFixed(1)} s

  GraphQL     ${outputs.graphqlEndpoint}
  real-time   ${outputs.realtimeEndpoint}
  GraphiQL    http://127.0.0.1:${server.port}/
  API key     ${outputs.apiKey}  (public reads: header x-api-key)
  user token  npx slotsync token --user ${DEMO_USERS[0]}${stateFlag}   (header Authorization; users: ${DEMO_USERS.join(', ')}; add --group providers to create providers)${seeded}
  outputs     ${relative(process.cwd(), join(stateDir, 'outputs.json')) || 'outputs.json'}

Ctrl-C stops.`);

    // Until a stop signal, or until DynamoDB Local ends on its own (killed by the out-of-memory
    // killer, say): every request would fail from then on, so the server stops and says why.
    const lost = await new Promise<string | undefined>((resolveStop) => {
      wake = () => resolveStop(undefined);
      if (signalled) resolveStop(undefined);
      void server.lost.then(resolveStop);
    });
    if (lost) {
      const kept = inMemory ? 'nothing is kept (--in-memory)' : `the data in ${stateName} is kept for the next start`;
      console.error(`\nslotsync: ${lost}\nslotsync: the API cannot answer without DynamoDB Local: stopping; ${kept}.`);
    } else {
      console.log(`\nslotsync: ${signalled}: draining and stopping…`);
    }
    await server.stop();
    console.log('slotsync: stopped');
    return lost ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unlock();
  }
}
