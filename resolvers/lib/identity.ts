// Who is calling: Cognito identities carry `sub` and `groups`; API key callers have none.
import type { Context } from '@aws-appsync/utils';

interface CognitoLike {
  sub?: string;
  groups?: string[] | null;
}

export function callerId(ctx: Context): string {
  const identity = ctx.identity as CognitoLike | null;
  return identity && identity.sub ? identity.sub : '';
}

export function callerGroups(ctx: Context): string[] {
  const identity = ctx.identity as CognitoLike | null;
  return identity && identity.groups ? identity.groups : [];
}

export function isAdmin(ctx: Context): boolean {
  return callerGroups(ctx).indexOf('admins') >= 0;
}
