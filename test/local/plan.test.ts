// The local plan's API environment: the process may override the wiring's literal values, never a
// ref the platform resolves.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { api, type QueueName } from '../../infra/wiring.ts';
import { apiOverrideProblems, planLocal, type LocalEndpoints } from '../../local/plan.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const endpoints: LocalEndpoints = {
  tableName: 'local-table',
  tableArn: 'arn:local:table',
  streamArn: 'arn:local:stream',
  queueUrl: (name: QueueName) => `http://local/queue/${name}`,
  queueArn: (name: QueueName) => `arn:local:queue:${name}`,
  graphqlUrl: 'http://local/graphql',
};

describe('planLocal', () => {
  it('lets the process override a literal API variable, but not a ref, and ignores an empty override', () => {
    expect(api.environment.TABLE_NAME).not.toBeTypeOf('string');
    expect(api.environment.HOLD_SECONDS).not.toBe('9');
    const plan = planLocal(root, endpoints, { TABLE_NAME: 'elsewhere', HOLD_SECONDS: '9', MAX_ACTIVE_HOLDS: '' });
    expect(plan.apiEnvironment).toEqual({ TABLE_NAME: 'local-table', HOLD_SECONDS: '9', MAX_ACTIVE_HOLDS: api.environment.MAX_ACTIVE_HOLDS });
    // The functions' environments take no overrides at all.
    expect(Object.values(plan.functionEnvironments).map((env) => env.TABLE_NAME).filter(Boolean)).not.toContain('elsewhere');
  });

  it('refuses an API setting that is not a whole number within its range, naming it; the bounds are allowed', () => {
    expect(apiOverrideProblems({ HOLD_SECONDS: '1', MAX_ACTIVE_HOLDS: '100' })).toEqual([]);
    expect(apiOverrideProblems({ HOLD_SECONDS: '900', MAX_ACTIVE_HOLDS: '1', OTHER: 'x' })).toEqual([]);
    for (const bad of ['abc', '0', '901', '1.5', '-5', '1e3', '0x10']) {
      expect(apiOverrideProblems({ HOLD_SECONDS: bad })).toEqual([`HOLD_SECONDS must be a whole number from 1 to 900 (seconds a hold lasts; default 300), not "${bad}"`]);
    }
    expect(apiOverrideProblems({ MAX_ACTIVE_HOLDS: '101' })).toEqual(['MAX_ACTIVE_HOLDS must be a whole number from 1 to 100 (live holds a user may have; default 3), not "101"']);
    expect(() => planLocal(root, endpoints, { HOLD_SECONDS: '0' })).toThrow('HOLD_SECONDS must be a whole number from 1 to 900');
  });
});
