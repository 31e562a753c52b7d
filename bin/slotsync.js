#!/usr/bin/env node
// The `slotsync` command: start | token | evaluate-code. TypeScript sources run through tsx.
import { register } from 'tsx/esm/api';

// The SDK's Node 20 end-of-support notice is for deployments; the Lambdas run Node 22 in AWS.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
