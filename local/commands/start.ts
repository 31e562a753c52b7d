// `slotsync start` (npm start): runs the whole API locally until Ctrl-C or SIGTERM.
import { parseArgs } from 'node:util';
import { DEMO_PROVIDER_USER, DEMO_USERS } from '../seed.ts';
import { startLocalServer } from '../server.ts';

const HELP = `usage: slotsync start [--port N] [--in-memory] [--no-seed]

Runs DynamoDB Local, local SQS, the Lambdas, streams, TTL expiry and the AppSync-compatible
server. Environment: PORT (default 4000), HOLD_SECONDS, MAX_ACTIVE_HOLDS, SLOTSYNC_IN_MEMORY=1,
SLOTSYNC_RATE_LIMIT (requests per 5 minutes per IP).`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
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
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`slotsync start: PORT must be a port number, not "${portText}"`);
    return 2;
  }
  const started = Date.now();
  console.log('slotsync: starting DynamoDB Local, SQS, Lambdas, streams and the API…');
  const server = await startLocalServer({
    port,
    inMemory: values['in-memory'] || process.env.SLOTSYNC_IN_MEMORY === '1',
    seed: !values['no-seed'],
  });
  const { outputs } = server;
  const seeded = server.seed.seeded ? `\n  demo data   a provider with ${server.seed.slotCount} slots (provider user "${DEMO_PROVIDER_USER}")` : '';
  console.log(`slotsync: ready in ${((Date.now() - started) / 1000).toFixed(1)} s

  GraphQL     ${outputs.graphqlEndpoint}
  real-time   ${outputs.realtimeEndpoint}
  GraphiQL    http://127.0.0.1:${server.port}/
  API key     ${outputs.apiKey}  (public reads: header x-api-key)
  user token  npx slotsync token --user ${DEMO_USERS[0]}   (header Authorization; users: ${DEMO_USERS.join(', ')}; add --group providers to create providers)${seeded}
  outputs     .slotsync/outputs.json

Ctrl-C stops.`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      console.log(`\nslotsync: ${signal}: draining and stopping…`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve();
    };
    const onInt = () => shutdown('SIGINT');
    const onTerm = () => shutdown('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  await server.stop();
  console.log('slotsync: stopped');
  return 0;
}
