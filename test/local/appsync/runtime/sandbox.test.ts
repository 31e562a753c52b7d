// The APPSYNC_JS sandbox: isolation between evaluations, no code generation, the code-size limit,
// the time budget, runtime faults as AppSync reports them, console capture.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleResolverCode, MAX_CODE_CHARS } from '../../../../infra/bundle.ts';
import { createNoneDataSource } from '../../../../local/appsync/datasources/none.ts';
import { CodeLoadError, compileResolverCode } from '../../../../local/appsync/runtime/compile.ts';
import { evaluateHandler } from '../../../../local/appsync/runtime/evaluate.ts';
import { createResolverRunner } from '../../../../local/appsync/runtime/runner.ts';
import { Sandbox } from '../../../../local/appsync/runtime/sandbox.ts';
import { newRequestScope } from '../../../../local/appsync/runtime/state.ts';
import type { ResolverOutcome, ResolverRunner } from '../../../../local/appsync/runtime/types.ts';
import { bundleFixtures, fixture, invocation, ROOT, unit } from './support.ts';

const HOSTILE = 'test/fixtures/resolvers/hostile.js';

const BUDGET_MS = 200;

describe('APPSYNC_JS sandbox', () => {
  let runner: ResolverRunner;
  let hostileCode: string;
  const logs: Array<{ line: string; field: string }> = [];

  beforeAll(async () => {
    const code = await bundleFixtures(['module-state.js', 'errors.ts']);
    hostileCode = await bundleResolverCode(ROOT, HOSTILE);
    code.set(HOSTILE, hostileCode);
    runner = createResolverRunner({
      root: ROOT,
      specs: [
        { ...unit('Query', 'hostile', 'hostile.js'), entry: HOSTILE },
        unit('Query', 'state', 'module-state.js'),
        unit('Query', 'errors', 'errors.ts'),
      ],
      code,
      dataSources: { NONE: createNoneDataSource() },
      env: { TABLE_NAME: 'slotsync-local' },
      timeoutMs: BUDGET_MS,
      onLog: (line, f) => logs.push({ line, field: `${f.typeName}.${f.fieldName}` }),
    });
  });

  const attack = (name: string): Promise<ResolverOutcome> =>
    runner.run('Query', 'hostile', invocation('Query', 'hostile', { arguments: { attack: name } }));

  /** What a harmless evaluation sees of the realm after an attack. */
  const probe = async () => (await attack('none')).data;
  const pristine = { out: null, push: 'function', polluted: null, json: '{"a":1}', leak: 'undefined', leakedVariable: 'undefined' };

  function codeFault(outcome: ResolverOutcome): string {
    expect(outcome.data).toBeNull();
    expect(outcome.errors).toHaveLength(1);
    expect(outcome.errors[0]).toMatchObject({ errorType: 'Code', data: null, errorInfo: null });
    return outcome.errors[0].message;
  }

  it('starts every evaluation with a fresh module instance', async () => {
    for (const n of [1, 2, 3]) {
      const outcome = await runner.run('Query', 'state', invocation('Query', 'state', { arguments: { n } }));
      expect(outcome).toMatchObject({ data: { calls: 1, seen: [n], responseCalls: 1 }, errors: [] });
    }
  });

  it.each([
    ['prototype', /^code\.js:\d+:\d+: TypeError: Cannot assign to read only property 'push'/],
    ['objectPrototype', /^code\.js:\d+:\d+: TypeError: Cannot add property polluted, object is not extensible/],
    ['replaceGlobal', /^code\.js:\d+:\d+: TypeError: Cannot assign to read only property 'JSON'/],
    ['globalThis', /^code\.js:\d+:\d+: TypeError: Cannot set properties of undefined \(setting 'leak'\)/],
    ['undeclared', /^code\.js:\d+:\d+: ReferenceError: leakedVariable is not defined/],
  ])('refuses %s tampering and the next evaluation sees an untouched realm', async (name, message) => {
    expect(codeFault(await attack(name))).toMatch(message);
    expect(await probe()).toEqual(pristine);
  });

  it.each([
    ['eval', /TypeError: eval is not a function/],
    ['functionConstructor', /EvalError: Code generation from strings disallowed/],
    ['functionViaUtil', /EvalError: Code generation from strings disallowed/],
    ['hostFunction', /EvalError: Code generation from strings disallowed/],
  ])('has no code generation: %s', async (name, message) => {
    expect(codeFault(await attack(name))).toMatch(message);
  });

  it('has no Promise and no RegExp (APPSYNC_JS has neither)', async () => {
    expect(codeFault(await attack('promise'))).toMatch(/TypeError: Cannot read properties of undefined \(reading 'resolve'\)/);
    expect(codeFault(await attack('regexpConstructor'))).toMatch(/TypeError: RegExp is not a function/);
  });

  it('stops an endless loop with an AppSync-shaped error and keeps serving', async () => {
    expect(codeFault(await attack('loop'))).toBe(`code.js: the request handler did not finish within ${BUDGET_MS} ms (endless loop?)`);
    expect(await probe()).toEqual(pristine);
  });

  it("gives a handler no more than what is left of the request's time as its budget", () => {
    // The budget handed to the sandbox is observed, not how long anything took.
    const sandbox = new Sandbox();
    const code = sandbox.load(compileResolverCode('export function request(ctx) { return {}; }'));
    const run = vi.spyOn(sandbox, 'run');
    const options = { authType: 'API Key Authorization', parentTypeName: 'Query', budgetMs: 600_000 } as const;
    evaluateHandler(sandbox, code, 'request', '{}', { ...options, request: newRequestScope(60_000) });
    evaluateHandler(sandbox, code, 'request', '{}', options);
    const budgets = run.mock.calls.map((call) => call[3]);
    expect(budgets).toHaveLength(2);
    expect(budgets[0]).toBeGreaterThan(0);
    expect(budgets[0]).toBeLessThanOrEqual(60_000);
    expect(budgets[1]).toBe(600_000);
  });

  it('reports unbounded recursion as a runtime fault', async () => {
    expect(codeFault(await attack('recursion'))).toMatch(/^code\.js:\d+:\d+: RangeError: Maximum call stack size exceeded/);
  });

  it('reports a runtime fault as errorType Code with its position in the deployed code', async () => {
    const message = codeFault(await attack('fault'));
    const m = /^code\.js:(\d+):(\d+): TypeError: Cannot read properties of undefined \(reading 'field'\)$/.exec(message);
    expect(m).not.toBeNull();
    const line = hostileCode.split('\n')[Number(m?.[1]) - 1];
    expect(line.slice(Number(m?.[2]) - 1)).toMatch(/^field/);
  });

  it('makes ctx.env read-only', async () => {
    expect(codeFault(await attack('writeEnv'))).toMatch(/TypeError: Cannot assign to read only property 'TABLE_NAME'/);
  });

  it('lets no one catch util.error, even code past the load-time check: the handler stops', () => {
    // try/catch is refused at load (syntax.test.ts); the realm does not rely on that.
    const sandbox = new Sandbox();
    const wrapped = `(function (require, module, exports, tick) {
      const { util } = require('@aws-appsync/utils');
      exports.request = () => {
        try { util.error('stopped', 'Stop'); } catch (err) { return 'caught'; }
        return 'continued';
      };
    })`;
    const code = sandbox.load({ wrapped, locate: () => undefined });
    const { outcome } = evaluateHandler(sandbox, code, 'request', '{}', { authType: 'API Key Authorization', parentTypeName: 'Query', budgetMs: BUDGET_MS });
    expect(outcome).toEqual({ kind: 'error', entry: { message: 'stopped', errorType: 'Stop', data: null, errorInfo: null } });
  });

  it('captures console.log and console.error', async () => {
    logs.length = 0;
    await runner.run('Query', 'errors', invocation('Query', 'errors', { arguments: { mode: 'plain' } }));
    expect(logs).toEqual([
      { line: 'INFO - request plain {"n":1}', field: 'Query.errors' },
      { line: 'ERROR - about to call the data source', field: 'Query.errors' },
    ]);
  });
});

describe('loading code', () => {
  it('enforces the 32,768-character code limit', () => {
    const big = `export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.result; }\n//${'x'.repeat(MAX_CODE_CHARS)}`;
    expect(() => compileResolverCode(big)).toThrow(new CodeLoadError(`the code is ${big.length} characters; AppSync allows at most ${MAX_CODE_CHARS}`));
    expect(() =>
      createResolverRunner({
        root: ROOT,
        specs: [unit('Query', 'big', 'big.js')],
        code: new Map([[fixture('big.js'), big]]),
        dataSources: { NONE: createNoneDataSource() },
        env: {},
      }),
    ).toThrow(/big\.js: the code is \d+ characters; AppSync allows at most 32768/);
  });

  it('accepts code right at the limit', async () => {
    const code = await bundleResolverCode(ROOT, fixture('errors.ts'));
    const padded = code + ' '.repeat(MAX_CODE_CHARS - code.length);
    expect(padded).toHaveLength(MAX_CODE_CHARS);
    expect(() => compileResolverCode(padded)).not.toThrow();
  });

  it('the limit is 32,768 characters: code of exactly 32,768 loads, code of 32,769 does not', async () => {
    const code = await bundleResolverCode(ROOT, fixture('errors.ts'));
    const atLimit = code + ' '.repeat(32_768 - code.length);
    expect(() => compileResolverCode(atLimit)).not.toThrow();
    const over = `${atLimit} `;
    expect(over).toHaveLength(32_769);
    expect(() => compileResolverCode(over)).toThrow(new CodeLoadError('the code is 32769 characters; AppSync allows at most 32768'));
  });

  it.each([
    ['a regular expression literal', 'export function request(ctx) { return /a+/.test(ctx.args.x); }', /regular expression literals are not supported/],
    ['an async function', 'export async function request(ctx) { return {}; }', /async functions are not supported/],
    ['an unknown module', "import _ from 'lodash';\nexport function request(ctx) { return _; }", /importing "lodash" is not supported/],
    ['a syntax error', 'export function request(ctx) { return {; }', /^code\.js:1:\d+: /],
  ])('refuses %s as AppSync refuses it at save time', (_what, code, message) => {
    expect(() => compileResolverCode(code)).toThrow(message);
  });
});
