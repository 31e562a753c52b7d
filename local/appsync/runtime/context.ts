// ctx as AppSync builds it for each handler of a resolver run. The parts that do not change within
// a run (arguments, identity, source, request, info, env) are serialized once; each handler adds
// its stash, prev, result and error. The sandbox parses the text into sandbox-realm objects, adds
// ctx.args (the same object as ctx.arguments) and freezes ctx.env.
import type { ResolverInvocation } from './types.ts';

export interface HandlerContext {
  /** ctx.stash as JSON text: it goes from one handler to the next without being parsed between. */
  stashJson: string;
  /** Pipeline functions and the pipeline's response handler: the previous step's result, as JSON text. */
  prevJson?: string;
  /** Response handlers after a data source call. */
  result?: unknown;
  /** Set when the data source call failed; the response handler decides what to do with it. */
  error?: { message: string; type: string };
}

/** The invariant part of ctx, as JSON text without its closing brace. */
export function contextBase(invocation: ResolverInvocation, env: Readonly<Record<string, string>>): string {
  const base = JSON.stringify({
    arguments: invocation.arguments,
    identity: invocation.identity,
    source: invocation.source,
    request: invocation.request,
    info: invocation.info,
    env,
  });
  return base.slice(0, -1);
}

export function contextJson(base: string, handler: HandlerContext): string {
  let json = `${base},"stash":${handler.stashJson}`;
  if (handler.prevJson !== undefined) json += `,"prev":{"result":${handler.prevJson}}`;
  if (handler.result !== undefined) json += `,"result":${JSON.stringify(handler.result)}`;
  if (handler.error) json += `,"error":${JSON.stringify(handler.error)}`;
  return `${json}}`;
}
