// Per-request overhead of the local APPSYNC_JS runtime: context build + one handler evaluation
// (fresh module instance, util bridge, result back to host), and a whole unit resolver over the
// NONE data source. Not a test: timings on a shared machine are for reading, not asserting.
//   node bin/run-ts.js bench/runtime-overhead.ts [iterations]
import { fileURLToPath } from 'node:url';
import { bundleResolverCode } from '../infra/bundle.ts';
import { createNoneDataSource } from '../local/appsync/datasources/none.ts';
import { compileResolverCode } from '../local/appsync/runtime/compile.ts';
import { contextBase, contextJson } from '../local/appsync/runtime/context.ts';
import { evaluateHandler } from '../local/appsync/runtime/evaluate.ts';
import { createResolverRunner } from '../local/appsync/runtime/runner.ts';
import { Sandbox } from '../local/appsync/runtime/sandbox.ts';
import type { ResolverInvocation } from '../local/appsync/runtime/types.ts';
import { quantile } from './quantile.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ITERATIONS = Number(process.argv[2] ?? 20_000);
const WARMUP = Math.min(2_000, ITERATIONS);

const invocation: ResolverInvocation = {
  arguments: { id: 'SLOT#p-1#2025-03-04T09:00:00.000Z' },
  source: null,
  identity: { sub: 'u-1', issuer: 'local', username: 'ada', claims: { 'cognito:username': 'ada' }, sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW', groups: null },
  authType: 'User Pool Authorization',
  request: { headers: { 'content-type': 'application/json', host: 'localhost:4000' }, domainName: null },
  info: { fieldName: 'getSlot', parentTypeName: 'Query', variables: {}, selectionSetList: ['id', 'status'], selectionSetGraphQL: '{\n  id\n  status\n}' },
};
const env = { TABLE_NAME: 'slotsync', HOLD_SECONDS: '300', MAX_ACTIVE_HOLDS: '3' };

async function measure(label: string, once: () => unknown): Promise<void> {
  for (let i = 0; i < WARMUP; i++) await once();
  const samples = new Float64Array(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    await once();
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  const at = (q: number) => quantile(samples, q).toFixed(1);
  console.log(`${label.padEnd(58)} median ${at(0.5).padStart(7)} µs   p99 ${at(0.99).padStart(7)} µs`);
}

const entry = 'resolvers/Query.getSlot.[table].ts';
const code = await bundleResolverCode(ROOT, entry);
const sandbox = new Sandbox();
const loaded = sandbox.load(compileResolverCode(code));
const options = { authType: invocation.authType, parentTypeName: 'Query', fieldName: 'getSlot', budgetMs: 1000 };
const item = { PK: 'PROVIDER#p-1', SK: 'SLOT#2025-03-04T09:00:00.000Z', status: 'OPEN', providerId: 'p-1', startsAt: '2025-03-04T09:00:00.000Z', endsAt: '2025-03-04T09:30:00.000Z' };

console.log(`${ITERATIONS} iterations after ${WARMUP} warm-up, Node ${process.version}\n`);
await measure(`${entry} request (context build + evaluate)`, () =>
  evaluateHandler(sandbox, loaded, 'request', contextJson(contextBase(invocation, env), { stashJson: '{}' }), options));
await measure(`${entry} response (context build + evaluate)`, () =>
  evaluateHandler(sandbox, loaded, 'response', contextJson(contextBase(invocation, env), { stashJson: '{}', result: item }), options));

const runner = createResolverRunner({
  root: ROOT,
  specs: [{ typeName: 'Query', fieldName: 'echo', kind: 'UNIT', dataSource: 'NONE', entry: 'echo.js', functions: [] }],
  code: new Map([['echo.js', 'export function request(ctx) { return { payload: ctx.args }; }\nexport function response(ctx) { return ctx.result; }\n']]),
  dataSources: { NONE: createNoneDataSource() },
  env,
});
await measure('whole unit resolver (request + NONE + response)', () => runner.run('Query', 'echo', invocation));
