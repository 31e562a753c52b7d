// `slotsync <command>`: each command lives in local/commands/<command>.ts and exports run(argv).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './state-dir.ts';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  start: { summary: 'run the API locally (DynamoDB Local, SQS, Lambdas, streams, TTL, AppSync)', load: () => import('./commands/start.ts') },
  token: { summary: 'mint a Cognito-shaped user token for the local API', load: () => import('./commands/token.ts') },
  'evaluate-code': { summary: 'run a resolver handler offline, like `aws appsync evaluate-code`', load: () => import('./commands/evaluate-code.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `usage: slotsync <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`slotsync <command> --help\` (or \`slotsync help <command>\`) for a command's options; \`slotsync --version\` prints the version.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    // `slotsync help start` is `slotsync start --help`.
    if (name === 'help' && rest.length > 0) return main([rest[0], '--help']);
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`slotsync: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    console.error(`slotsync ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
