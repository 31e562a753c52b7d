// `npm run bench`: every benchmark in turn, each in its own process so one cannot warm or slow
// the next. Benchmarks print numbers for people to read; nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const BENCHES: Array<{ file: string; args: string[]; what: string }> = [
  { file: 'bench/runtime-overhead.ts', args: ['5000'], what: 'APPSYNC_JS runtime overhead per request (evaluate + context build)' },
  // Bookings a side grow with the calls in flight, so each side is measured for several seconds:
  // at eight in flight 400 bookings took ~3.5 s a side in blocks of ~0.35 s, and one slow block
  // (the machine is shared) moved the total by several hundredths.
  ...[
    ['1', '400'],
    ['4', '800'],
    ['8', '1600'],
  ].map(([concurrency, bookings]) => ({
    file: 'bench/create-booking.ts',
    args: [bookings, concurrency],
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
