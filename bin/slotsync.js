#!/usr/bin/env node
// The `slotsync` command: start | token | evaluate-code. TypeScript sources run through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
