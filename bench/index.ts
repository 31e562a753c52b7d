// `npm run bench`: every benchmark in turn, each in its own process so one cannot warm or slow
// the next. Benchmarks print numbers for people to read; nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const BENCHES: Array<{ file: string; args: string[]; what: string }> = [
  { file: 'bench/runtime-overhead.ts', args: ['5000'], what: 'APPSYNC_JS runtime overhead per request (evaluate + context build)' },
  // Blocks of a second or more (create-booking.ts says why), and eight or more pairs of them a run,
  // so one slow block (the machine is shared) moves the total little.
  ...[
    ['1', '1000', '100'],
    ['4', '2000', '200'],
    ['8', '2000', '250'],
  ].map(([concurrency, bookings, block]) => ({
    file: 'bench/create-booking.ts',
    args: [bookings, concurrency, block],
    what: `createBooking through the API vs the same DynamoDB + SQS calls with the SDK, ${concurrency} at a time`,
  })),
  { file: 'bench/realtime-fanout.ts', args: ['1000', '100', '30'], what: 'real-time fan-out: one change to 1,000 subscribers' },
  { file: 'bench/start.ts', args: [], what: '`npm start` to /health = 200' },
];

let failed = 0;
for (const bench of BENCHES) {
  if (!existsSync(`${ROOT}/${bench.file}`)) continue;
  console.log(`\n== ${bench.what}\n   (${bench.file})`);
  const run = spawnSync(process.execPath, ['bin/run-ts.js', bench.file, ...bench.args], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (run.status !== 0) {
    failed += 1;
    console.error(`   ${bench.file} failed (exit ${run.status ?? run.signal})`);
  }
}
process.exitCode = failed ? 1 : 0;
