// Bundles APPSYNC_JS resolver code the way AWS documents it (ESM, @aws-appsync/* external, inline
// source map without sources content). The CDK stack deploys these bundles; the local runtime
// executes the very same text.
import { build } from 'esbuild';
import { join } from 'node:path';
import type { ResolverSpec } from './resolvers.ts';

/** AppSync's limit on a resolver's or function's `code`. */
export const MAX_CODE_CHARS = 32_768;

export class CodeTooLargeError extends Error {
  constructor(entry: string, size: number) {
    super(`${entry}: bundled code is ${size} characters; AppSync allows at most ${MAX_CODE_CHARS}`);
    this.name = 'CodeTooLargeError';
  }
}

export async function bundleResolverCode(root: string, entry: string, options: { sourcemap?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    external: ['@aws-appsync/*'],
    sourcemap: options.sourcemap === false ? false : 'inline',
    sourcesContent: false,
    minifyWhitespace: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  if (code.length > MAX_CODE_CHARS) throw new CodeTooLargeError(entry, code.length);
  return code;
}

/**
 * The before/after code of a pipeline resolver that declares none (no `resolver.ts`): pass the
 * arguments in, return the last function's result. Both targets use this exact text.
 */
export const PIPELINE_PASS_THROUGH_CODE = `export function request(ctx) {
  return {};
}

export function response(ctx) {
  return ctx.prev.result;
}
`;

/** Bundles the code of every resolver and pipeline function once; keyed by entry. */
export async function bundleResolverSpecs(root: string, specs: readonly ResolverSpec[]): Promise<Map<string, string>> {
  const entries = [...new Set(specs.flatMap((spec) => [...(spec.entry ? [spec.entry] : []), ...spec.functions.map((fn) => fn.entry)]))];
  const codes = await Promise.all(entries.map((entry) => bundleResolverCode(root, entry)));
  return new Map(entries.map((entry, i) => [entry, codes[i]]));
}
