// `slotsync evaluate-code`: `aws appsync evaluate-code` without an AWS account.
//   slotsync evaluate-code --code FILE --context FILE_OR_JSON --function request|response
//                          [--runtime name=APPSYNC_JS,runtimeVersion=1.0.0]
// TypeScript is bundled first exactly as the CDK bundles it. Prints one JSON object; exits 0 when
// the code was evaluated (also when it called util.error), 1 for unusable input, 2 for bad usage.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleResolverCode } from '../../infra/bundle.ts';
import { evaluateCode } from '../appsync/evaluate-code.ts';

const USAGE = `usage: slotsync evaluate-code --code FILE --context FILE_OR_JSON --function request|response
                              [--runtime name=APPSYNC_JS,runtimeVersion=1.0.0]

  --code      resolver or function code: .js as AppSync takes it, .ts is bundled with esbuild first
              (file:// prefix accepted, as the AWS CLI takes it)
  --context   the context as JSON, or file://context.json (or a path to it)
  --function  the handler to evaluate`;

class UsageError extends Error {}
/** Files that cannot be read or bundled. */
class InputError extends Error {}

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        code: { type: 'string' },
        context: { type: 'string' },
        function: { type: 'string' },
        runtime: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    console.error(`slotsync evaluate-code: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const handler = values.function;
    if (handler !== 'request' && handler !== 'response') throw new UsageError('--function must be request or response');
    if (typeof values.code !== 'string') throw new UsageError('--code is required');
    if (typeof values.context !== 'string') throw new UsageError('--context is required');
    checkRuntime(typeof values.runtime === 'string' ? values.runtime : undefined);
    const code = await readCode(values.code);
    const context = readContext(values.context);
    const output = evaluateCode({ code, context, function: handler });
    console.log(JSON.stringify(output, null, 4));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`slotsync evaluate-code: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`slotsync evaluate-code: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function stripFileUrl(value: string): string {
  return value.startsWith('file://') ? value.slice('file://'.length) : value;
}

/** Past these sizes a file cannot be what AppSync takes, so it is refused before it is read. */
const MAX_CODE_FILE_BYTES = 4 * 1024 * 1024;
const MAX_CONTEXT_FILE_BYTES = 1024 * 1024;

/** A regular file of at most `maxBytes`, or an InputError naming the option. */
function checkFile(option: string, path: string, maxBytes: number): void {
  if (!existsSync(path)) throw new InputError(`${option}: no such file ${path}`);
  const stat = statSync(path);
  if (stat.isDirectory() && option === '--code') {
    // A pipeline resolver is a folder (resolvers/<Type>.<field>/): its code is in its files.
    throw new InputError(`--code: ${path} is a folder (a pipeline?); pass one file: one of its functions, or its resolver.ts if it has one`);
  }
  if (!stat.isFile()) throw new InputError(`${option}: ${path} is not a regular file`);
  if (stat.size > maxBytes) throw new InputError(`${option}: ${path} is ${stat.size} bytes, more than ${maxBytes} (AppSync takes 32,768 characters of code and 28,000 of context)`);
}

async function readCode(option: string): Promise<string> {
  const path = resolve(stripFileUrl(option));
  checkFile('--code', path, MAX_CODE_FILE_BYTES);
  if (/\.[cm]?ts$/.test(path)) {
    try {
      return await bundleResolverCode(process.cwd(), relative(process.cwd(), path));
    } catch (err) {
      const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
      if (!errors?.length) throw err;
      const where = (e: (typeof errors)[number]) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ` : '');
      throw new InputError(`--code: bundling failed:\n  ${errors.map((e) => `${where(e)}${e.text}`).join('\n  ')}`);
    }
  }
  return readFileSync(path, 'utf8');
}

function readContext(option: string): string {
  if (option.startsWith('file://')) return readContextFile(stripFileUrl(option));
  if (/^\s*[{[]/.test(option)) return option;
  if (existsSync(option)) return readContextFile(option);
  throw new InputError('--context: neither JSON nor an existing file');
}

function readContextFile(path: string): string {
  const full = resolve(path);
  checkFile('--context', full, MAX_CONTEXT_FILE_BYTES);
  return readFileSync(full, 'utf8');
}

/** Accepts the AWS CLI's shorthand (name=APPSYNC_JS,runtimeVersion=1.0.0) or JSON. */
function checkRuntime(option: string | undefined): void {
  if (option === undefined) return;
  let runtime: Record<string, unknown>;
  if (option.trim().startsWith('{')) {
    try {
      runtime = JSON.parse(option) as Record<string, unknown>;
    } catch {
      throw new UsageError('--runtime: invalid JSON');
    }
  } else {
    runtime = Object.fromEntries(option.split(',').map((pair) => pair.split('=').map((s) => s.trim())));
  }
  if (runtime.name !== 'APPSYNC_JS') throw new UsageError('--runtime: name must be APPSYNC_JS');
  if (runtime.runtimeVersion !== undefined && runtime.runtimeVersion !== '1.0.0') throw new UsageError('--runtime: runtimeVersion must be 1.0.0');
}
