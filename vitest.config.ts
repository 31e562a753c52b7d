import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // The SDK's Node 20 end-of-support notice, once per worker, says nothing about the code under test.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // What the code under test logs (the intended failures' stack traces, hints) shows for a failing
    // test only: a passing run's output is the results.
    silent: 'passed-only',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel workers but share one DynamoDB Local.
    pool: 'forks',
    maxWorkers: 2,
  },
});
