// The shared model inlined into resolver code (esbuild, as infra/bundle.ts does for resolvers/)
// runs in the local APPSYNC_JS sandbox and gives the same answers as in Node.
import { describe, expect, it } from 'vitest';
import { bundleResolverCode } from '../../../infra/bundle.ts';
import { evaluateCode } from '../../../local/appsync/evaluate-code.ts';
import * as model from '../../../functions/shared/model.ts';
import { request } from './model-in-resolver.fixture.ts';

describe('functions/shared/model.ts in APPSYNC_JS', () => {
  it('bundles into resolver code and evaluates like in Node', async () => {
    const code = await bundleResolverCode(process.cwd(), 'test/functions/shared/model-in-resolver.fixture.ts');
    const args = { providerId: '01JD8X3T1QY0YB2Q8K1F5N6M7P', start: '2026-12-01T14:00:00Z', nowMs: 1796000000123 };
    const out = evaluateCode({ code, context: { arguments: args }, function: 'request' });
    expect(out.error).toBeNull();
    const inNode = request({ args, arguments: args } as unknown as Parameters<typeof request>[0]);
    expect(JSON.parse(out.evaluationResult!)).toEqual(JSON.parse(JSON.stringify(inNode)));
    expect(inNode.id).toBe(model.slotIdOf(args.providerId, args.start));
    expect(inNode.released).toMatchObject({ status: 'AVAILABLE', reason: 'EXPIRED' });
  });
});
