// `slotsync token --user NAME [--group G]... [--state-dir DIR]`: prints a Cognito-shaped id token
// for the local API, signed with the same state-directory key the local server verifies with.
import { parseArgs } from 'node:util';
import { api } from '../../infra/wiring.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalUserPool, SIGNING_KEY_FILE, tokenRequestProblem } from '../appsync/auth/user-pool.ts';
import { stateDirFrom } from '../state-dir.ts';

const USAGE = `usage: slotsync token --user NAME [--group GROUP]... [--state-dir DIR]

Prints an id token for the local API (send it as the Authorization header).
  --user NAME       the username (cognito:username); the same name always gets the same sub
  --group GROUP     a user pool group (${api.userPoolGroups.join(', ')}); repeatable
  --state-dir DIR   where the local server keeps its keys (default: $SLOTSYNC_STATE_DIR, else
                    .slotsync at the repository root, as for slotsync start)`;

export async function run(argv: string[]): Promise<number> {
  let values: { user?: string; group?: string[]; 'state-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        user: { type: 'string' },
        group: { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`slotsync token: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const groups = values.group ?? [];
  const problem = values.user === undefined ? '--user is required' : tokenRequestProblem(values.user, groups, api.userPoolGroups);
  if (problem) {
    console.error(`slotsync token: ${problem}\n\n${USAGE}`);
    return 2;
  }
  const state = stateDirFrom(values['state-dir']);
  if ('error' in state) {
    console.error(`slotsync token: ${state.error}`);
    return 2;
  }
  const fresh = !existsSync(join(state.dir, SIGNING_KEY_FILE));
  const userPool = await openLocalUserPool(state.dir);
  const { idToken } = await userPool.issue({ username: values.user as string, groups });
  process.stdout.write(`${idToken}\n`);
  // Minting before the first start is fine; a mistyped --state-dir is not, and would otherwise
  // only show as the server's 401.
  if (fresh) console.error(`slotsync token: ${state.dir} had no signing key; made one (a server started with this state directory will accept the token)`);
  return 0;
}
