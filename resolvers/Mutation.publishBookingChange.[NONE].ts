// IAM-only (the change-publisher Lambda): its result fans out to onMyBookingChanged.
import type { Context } from '@aws-appsync/utils';

export function request(ctx: Context<{ input: Record<string, unknown> }>) {
  return { payload: ctx.args.input };
}

export function response(ctx: Context) {
  return ctx.result;
}
