// Bundles Lambda handlers the way the CDK's NodejsFunction does for an ESM Node.js 22 function,
// so the local runtime executes the code that would be deployed. The bundles must live inside
// the repository: `@aws-sdk/*` stays external (the Lambda runtime provides it) and resolves from
// the repository's node_modules, as it would from the runtime's own copy.
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * NodejsFunction's esbuild settings for `format: ESM`, `runtime: NODEJS_22_X`, with the same
 * createRequire banner and kept names as infra/constructs/functions.ts. Not minified locally, so
 * stack traces stay readable; keepNames makes that invisible to code that reads names.
 */
export const FUNCTION_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  external: ['@aws-sdk/*'],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  keepNames: true,
  minify: false,
  sourcemap: false,
} as const satisfies BuildOptions;

export async function bundleFunction(root: string, entry: string, outfile: string): Promise<void> {
  await buildAtomically(outfile, {
    ...FUNCTION_BUNDLE_OPTIONS,
    external: [...FUNCTION_BUNDLE_OPTIONS.external],
    mainFields: [...FUNCTION_BUNDLE_OPTIONS.mainFields],
    banner: { ...FUNCTION_BUNDLE_OPTIONS.banner },
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    logLevel: 'silent',
  });
}

/** The sandbox's own runtime (worker.ts), built for the Node.js running this process. */
export async function bundleSandboxRuntime(outfile: string): Promise<void> {
  await buildAtomically(outfile, {
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    logLevel: 'silent',
  });
}

/**
 * Builds in memory, then replaces `outfile` by a rename: two servers of one repository (a normal
 * run and an `--in-memory` one beside it) share the build folder, and a sandbox starting in one
 * must never import a bundle the other is halfway through writing.
 */
async function buildAtomically(outfile: string, options: BuildOptions): Promise<void> {
  const result = await build({ ...options, outfile, write: false });
  const [file] = result.outputFiles;
  if (result.outputFiles.length !== 1 || !file) throw new Error(`esbuild produced ${result.outputFiles.length} files for ${outfile}`);
  mkdirSync(dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temp, file.contents);
  renameSync(temp, outfile);
}
