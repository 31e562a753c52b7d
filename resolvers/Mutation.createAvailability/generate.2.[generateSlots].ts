// The generate-slots Lambda expands the weekly rule in the provider's zone (luxon, DST-correct).
import type { Context } from '@aws-appsync/utils';
import { callerGroups, callerId } from '../lib/identity';
import { raiseLambdaError } from '../lib/lambda-errors';

export function request(ctx: Context<{ input: Record<string, unknown> }>) {
  return {
    operation: 'Invoke',
    payload: {
      input: ctx.args.input,
      identity: { sub: callerId(ctx), groups: callerGroups(ctx) },
      provider: ctx.stash.provider,
    },
  };
}

export function response(ctx: Context) {
  if (ctx.error) raiseLambdaError(ctx.error);
  // A refused rule comes back as an answer (functions/generate-slots/handler.ts says why).
  if (ctx.result && ctx.result.rejection) raiseLambdaError(ctx.result.rejection);
  return ctx.result;
}
