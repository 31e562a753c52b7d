// evaluate-code, offline: the function and the `slotsync evaluate-code` command.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleResolverCode, MAX_CODE_CHARS } from '../../../infra/bundle.ts';
import { evaluateCode, EvaluateCodeInputError } from '../../../local/appsync/evaluate-code.ts';
import { fixture, ROOT } from './runtime/support.ts';

const context = (args: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ arguments: args, identity: null, source: null, stash: {}, info: { fieldName: 'errors', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' }, ...extra });

describe('evaluateCode', () => {
  let errorsCode: string;
  beforeAll(async () => {
    errorsCode = await bundleResolverCode(ROOT, fixture('errors.ts'));
  });

  it('evaluates a request handler', () => {
    expect(evaluateCode({ code: errorsCode, context: context({ mode: 'plain' }), function: 'request' })).toEqual({
      evaluationResult: '{"payload":{"mode":"plain"}}',
      error: null,
      logs: ['INFO - request plain {"n":1}', 'ERROR - about to call the data source'],
      stash: '{}',
      outErrors: '[]',
    });
  });

  it('evaluates a response handler against ctx.result and ctx.error', () => {
    const out = evaluateCode({
      code: errorsCode,
      context: context({ mode: 'plain' }, { result: { id: 1 }, error: { message: 'boom', type: 'Lambda:Unhandled' } }),
      function: 'response',
    });
    expect(JSON.parse(out.evaluationResult as string)).toEqual({ mode: 'plain', result: { id: 1 }, error: { message: 'boom', type: 'Lambda:Unhandled' } });
    expect(out.error).toBeNull();
  });

  it('reports util.error as the error and in outErrors', () => {
    const out = evaluateCode({ code: errorsCode, context: context({ mode: 'appendThenError' }), function: 'request' });
    expect(out.evaluationResult).toBeUndefined();
    expect(out.error).toEqual({ message: 'fatal problem' });
    expect(JSON.parse(out.outErrors as string)).toEqual([
      { message: 'first problem', errorType: 'First', data: null, errorInfo: null },
      { message: 'fatal problem', errorType: 'Fatal', data: { partial: true }, errorInfo: { hint: 'retry' } },
    ]);
  });

  it('reports the stash the handler leaves behind', async () => {
    const code = await bundleResolverCode(ROOT, fixture('context-echo.ts'));
    const out = evaluateCode({ code, context: context({ id: 'x' }, { env: { A: 'b' } }), function: 'request' });
    expect(JSON.parse(out.stash as string)).toEqual({ seenBy: ['request'] });
    expect(JSON.parse(out.evaluationResult as string).payload).toMatchObject({ arguments: { id: 'x' }, argsIsArguments: true, env: { A: 'b' }, envFrozen: true });
  });

  it('reports a runtime fault with its position', () => {
    const out = evaluateCode({ code: 'export function request(ctx) {\n  return ctx.args.a.b;\n}', context: context({}), function: 'request' });
    expect(out.error).toEqual({ message: "code.js:2:21: TypeError: Cannot read properties of undefined (reading 'b')" });
  });

  it('answers code AppSync would not save with codeErrors', () => {
    const out = evaluateCode({ code: 'export function request(ctx) {\n  return /x/;\n}', context: context({}), function: 'request' });
    expect(out.error).toEqual({
      message: 'The code contains one or more errors.',
      codeErrors: [{ errorType: 'PARSER_ERROR', value: 'code.js:2:10: regular expression literals are not supported by the APPSYNC_JS runtime', location: { line: 2, column: 10, span: 0 } }],
    });
  });

  it('rejects input the API rejects', () => {
    expect(() => evaluateCode({ code: 'x'.repeat(MAX_CODE_CHARS + 1), context: '{}', function: 'request' })).toThrow(EvaluateCodeInputError);
    expect(() => evaluateCode({ code: errorsCode, context: '{nope', function: 'request' })).toThrow(/context is not valid JSON/);
    expect(() => evaluateCode({ code: errorsCode, context: '[1]', function: 'request' })).toThrow('context must be a JSON object');
  });

  // runtime.earlyReturn(obj) ends the handler with obj as its result (runtime docs); EvaluateCode
  // shows it as the evaluationResult, as it does a returned value.
  it('reports the value given to runtime.earlyReturn as the evaluationResult', () => {
    const code = "import { runtime } from '@aws-appsync/utils';\nexport function request(ctx) {\n  runtime.earlyReturn({ early: ctx.args.n });\n  return { late: true };\n}";
    const out = evaluateCode({ code, context: context({ n: 3 }), function: 'request' });
    expect(out.error).toBeNull();
    expect(out.evaluationResult).toBe('{"early":3}');
  });

  // Not documented (util.authType() is inferred from the identity's shape): an IAM identity is
  // recognised by its accountId or its userArn.
  it('infers IAM authorization from a userArn alone', () => {
    const code = "import { util } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return { auth: util.authType() };\n}";
    const out = evaluateCode({ code, context: context({}, { identity: { userArn: 'arn:aws:iam::123456789012:user/jane' } }), function: 'request' });
    expect(out.evaluationResult).toBe('{"auth":"IAM Authorization"}');
  });

  // The handler's type and field are those of the context's info (util.unauthorized names them).
  it('takes the parent type and field from the context info', () => {
    const code = "import { util } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return util.unauthorized();\n}";
    const info = { fieldName: 'createBooking', parentTypeName: 'Mutation', variables: {}, selectionSetList: [], selectionSetGraphQL: '' };
    const out = evaluateCode({ code, context: context({}, { info }), function: 'request' });
    expect(out.error).toEqual({ message: 'Not Authorized to access createBooking on type Mutation' });
  });

  // When the handler leaves no stash (it is missing, or the context has none), the stash reported is
  // the context's.
  it("reports the context's stash when the handler leaves none", () => {
    const code = 'export function request(ctx) {\n  ctx.stash.seen = true;\n  return {};\n}';
    expect(evaluateCode({ code, context: context({}, { stash: { kept: 1 } }), function: 'response' }).stash).toBe('{"kept":1}');
    expect(evaluateCode({ code: 'export function request(ctx) {\n  return {};\n}', context: '{"arguments":{}}', function: 'request' }).stash).toBe('{}');
  });

  // EvaluateCode API reference: context is 2 to 28,000 characters.
  it('takes a context of 2 to 28,000 characters', () => {
    const sized = (n: number) => `{"arguments":{"p":"${'x'.repeat(n - 22)}"}}`;
    expect(sized(28_000)).toHaveLength(28_000);
    expect(evaluateCode({ code: errorsCode, context: sized(28_000), function: 'request' }).evaluationResult).toBeDefined();
    expect(() => evaluateCode({ code: errorsCode, context: sized(28_001), function: 'request' })).toThrow('context is 28001 characters; AppSync takes 2 to 28000');
    expect(() => evaluateCode({ code: errorsCode, context: '1', function: 'request' })).toThrow('context is 1 characters; AppSync takes 2 to 28000');
  });
});

function slotsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/slotsync.js', 'evaluate-code', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('slotsync evaluate-code', () => {
  it('bundles a TypeScript file and prints one JSON object', async () => {
    const run = await slotsync([
      '--code', `file://${fixture('errors.ts')}`,
      '--context', context({ mode: 'append' }),
      '--function', 'request',
      '--runtime', 'name=APPSYNC_JS,runtimeVersion=1.0.0',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ evaluationResult: '{"payload":{"mode":"append"}}', error: null });
    expect(JSON.parse(out.outErrors)).toHaveLength(2);
  });

  it('bundles .mts code as TypeScript', async () => {
    const code = join(mkdtempSync(join(tmpdir(), 'slotsync-evaluate-')), 'double.mts');
    writeFileSync(code, 'export function request(ctx: { args: { n: number } }): { n: number } {\n  return { n: ctx.args.n * 2 };\n}\n');
    const run = await slotsync(['--code', code, '--context', context({ n: 21 }), '--function', 'request']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ evaluationResult: '{"n":42}', error: null });
  });

  it('exits 0 when the handler called util.error, and reads the context from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotsync-evaluate-'));
    const contextFile = join(dir, 'context.json');
    writeFileSync(contextFile, context({ mode: 'requestError' }));
    const run = await slotsync(['--code', fixture('errors.ts'), '--context', `file://${contextFile}`, '--function', 'request']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).error).toEqual({ message: 'rejected in request' });
  });

  it('fails with a clear message for unusable input', async () => {
    const missing = await slotsync(['--code', 'no/such/file.ts', '--context', '{}', '--function', 'request']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--code: no such file .*no\/such\/file\.ts/);

    const folder = await slotsync(['--code', 'resolvers/Mutation.createBooking', '--context', '{}', '--function', 'request']);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toMatch(/--code: .*resolvers\/Mutation\.createBooking is a folder \(a pipeline\?\); pass one file/);

    // Not read at all: a device, or a file far larger than AppSync would take.
    const device = await slotsync(['--code', '/dev/zero', '--context', '{}', '--function', 'request']);
    expect(device.code).toBe(1);
    expect(device.stderr).toBe('slotsync evaluate-code: --code: /dev/zero is not a regular file\n');
    const big = join(mkdtempSync(join(tmpdir(), 'slotsync-evaluate-')), 'context.json');
    writeFileSync(big, `{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    const tooBig = await slotsync(['--code', fixture('errors.ts'), '--context', `file://${big}`, '--function', 'request']);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toMatch(/--context: .*context\.json is 1048586 bytes, more than 1048576 \(AppSync takes 32,768 characters of code and 28,000 of context\)/);

    const badContext = await slotsync(['--code', fixture('errors.ts'), '--context', '{oops', '--function', 'request']);
    expect(badContext.code).toBe(1);
    expect(badContext.stderr).toMatch(/context is not valid JSON/);

    const badFunction = await slotsync(['--code', fixture('errors.ts'), '--context', '{}', '--function', 'both']);
    expect(badFunction.code).toBe(2);
    expect(badFunction.stderr).toMatch(/--function must be request or response/);

    const badRuntime = await slotsync(['--code', fixture('errors.ts'), '--context', '{}', '--function', 'request', '--runtime', 'name=VTL']);
    expect(badRuntime.code).toBe(2);
    expect(badRuntime.stderr).toMatch(/--runtime: name must be APPSYNC_JS/);

    // APPSYNC_JS has one version, 1.0.0 (CloudFormation AppSyncRuntime).
    const badVersion = await slotsync(['--code', fixture('errors.ts'), '--context', '{}', '--function', 'request', '--runtime', 'name=APPSYNC_JS,runtimeVersion=2.0.0']);
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toMatch(/--runtime: runtimeVersion must be 1\.0\.0/);
  });
});
