// Bundles APPSYNC_JS resolver code the way AWS documents it (ESM, @aws-appsync/* external, inline
// source map without sources content). The CDK stack deploys these bundles; the local runtime
// executes the very same text.
import { build } from 'esbuild';
import { join } from 'node:path';

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
