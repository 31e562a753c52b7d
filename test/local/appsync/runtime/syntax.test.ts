// Load-time rejection of what AppSync refuses to save (CreateResolver / CreateFunction answer
// "The code contains one or more errors."): the APPSYNC_JS docs' unsupported statements and
// operators and @aws-appsync/eslint-plugin's base rules, at their position in the deployed code.
import { describe, expect, it } from 'vitest';
import { bundleResolverSpecs, PIPELINE_PASS_THROUGH_CODE } from '../../../../infra/bundle.ts';
import { discoverResolvers } from '../../../../infra/resolvers.ts';
import { evaluateCode } from '../../../../local/appsync/evaluate-code.ts';
import { CodeLoadError, compileResolverCode } from '../../../../local/appsync/runtime/compile.ts';
import { ROOT } from './support.ts';

/** A request handler whose body is `lines`, from line 2 on (each line indented by two). */
const handler = (...lines: string[]) => ['export function request(ctx) {', ...lines.map((l) => `  ${l}`), '  return {};', '}'].join('\n');

function loadError(code: string): CodeLoadError {
  try {
    compileResolverCode(code);
  } catch (err) {
    if (err instanceof CodeLoadError) return err;
    throw err;
  }
  throw new Error('the code loaded');
}

describe('code AppSync refuses to save', () => {
  it.each([
    // statements (supported-features.html)
    ['try/finally', handler('try { ctx.a(); } finally { ctx.b(); }'), '2:3', 'try/catch/finally is'],
    ['try/catch', handler('const x = 1;', 'try { ctx.a(); } catch (e) { ctx.b(e); }'), '3:3', 'try/catch/finally is'],
    ['throw', handler("if (!ctx.args.id) throw new Error('no id');"), '2:21', 'throw is'],
    ['continue', handler('for (const x of ctx.args.list) { if (x) continue; }'), '2:43', 'continue is'],
    ['while', handler('while (ctx.args.n > 0) ctx.args.n -= 1;'), '2:3', 'while loops are'],
    ['do-while', handler('do { ctx.args.n -= 1; } while (ctx.args.n > 0);'), '2:3', 'do-while loops are'],
    ['a classic for loop', handler('for (let i = 0; i < 3; i += 1) ctx.args.n += i;'), '2:3', 'for(;;) loops are'],
    ['a labeled statement', handler('outer: for (const x of ctx.args.list) { if (x) break outer; }'), '2:3', 'labeled statements are'],
    // operators
    ['postfix ++', handler('let n = 0;', 'n++;'), '3:3', 'the ++ operator is'],
    ['prefix --', handler('let n = 0;', 'const m = --n;'), '3:13', 'the -- operator is'],
    ['~', handler('const n = ~ctx.args.n;'), '2:13', 'the ~ operator is'],
    ['in', handler("const has = 'id' in ctx.args;"), '2:20', 'the in operator is'],
    ['instanceof', handler('const list = ctx.args.list instanceof Array;'), '2:30', 'the instanceof operator is'],
    // @aws-appsync/eslint-plugin base
    ['a class declaration', 'class Booking {}\nexport function request(ctx) {\n  return {};\n}', '1:1', 'classes are'],
    ['a class expression', handler('const Booking = class {};'), '2:19', 'classes are'],
    ['a generator function', 'function* ids() {\n  yield 1;\n}\nexport function request(ctx) {\n  return {};\n}', '1:1', 'generator functions are'],
    ['a generator method', handler('const o = { *ids() { return 1; } };'), '2:15', 'generator functions are'],
    ['this', handler('const self = this;'), '2:16', 'the this keyword is'],
    ['new Promise', handler('const p = new Promise(ctx.args.f);'), '2:13', 'new Promise is'],
    ['a regular expression literal', handler('const ok = /a+/.test(ctx.args.x);'), '2:14', 'regular expression literals are'],
    ['an async function', 'export async function request(ctx) {\n  return {};\n}', '1:8', 'async functions are'],
    ['dynamic import()', handler("const m = import('@aws-appsync/utils');"), '2:13', 'dynamic import() is'],
    // modules other than the built-in ones
    ['an unknown module', "import _ from 'lodash';\nexport function request(ctx) {\n  return _;\n}", '1:1', 'importing "lodash" is'],
    ['a re-export of an unknown module', "export * from 'lodash';\nexport function request(ctx) {\n  return {};\n}", '1:1', 'importing "lodash" is'],
    ['require() of an unknown module', handler("const fs = require('node:fs');"), '2:14', 'importing "node:fs" is'],
  ])('%s, at its line and column', (_what, code, at, what) => {
    const err = loadError(code);
    expect(err.message).toBe(`code.js:${at}: ${what} not supported by the APPSYNC_JS runtime`);
    const [line, column] = at.split(':').map(Number);
    expect(err.location).toEqual({ line, column });
  });

  it('reports the position in the code as deployed, after a bundle prologue', () => {
    const code = ['// bundled by esbuild', "import { util } from '@aws-appsync/utils';", '', handler('const id = util.autoId();', 'let n = 0;', 'n += 1, n--;')].join('\n');
    expect(loadError(code).message).toBe('code.js:7:11: the -- operator is not supported by the APPSYNC_JS runtime');
  });

  it('answers EvaluateCode with the error and its location', () => {
    const out = evaluateCode({ code: handler('while (ctx.args.n) ctx.args.n = 0;'), context: '{"arguments":{}}', function: 'request' });
    expect(out.error).toEqual({
      message: 'The code contains one or more errors.',
      codeErrors: [{ errorType: 'PARSER_ERROR', value: 'code.js:2:3: while loops are not supported by the APPSYNC_JS runtime', location: { line: 2, column: 3, span: 0 } }],
    });
  });
});

describe('code AppSync saves', () => {
  it('accepts for-in, for-of, the other operators and code whose CommonJS form uses esbuild helpers', () => {
    // esbuild's interop helpers (for-in, .call, getters) run around this code; they are not resolver code.
    const code = [
      "import * as ddb from '@aws-appsync/utils/dynamodb';",
      "import utils, { util } from '@aws-appsync/utils';",
      "export * from '@aws-appsync/utils';",
      "export { get } from '@aws-appsync/utils/dynamodb';",
      'export default function request(ctx) {',
      '  const out = [];',
      '  for (const key in ctx.args) out.push(key);',
      '  for (const item of ctx.args.list ?? []) out.push(typeof item, void 0, -item, !item, item ** 2, item & 1, item >>> 1);',
      '  const { a, ...rest } = ctx.args;',
      '  out.push(`${a}`, Object.hasOwn(rest, "b"), ctx.args?.x?.y, [...out].length);',
      '  return ddb.get({ key: { id: util.autoId() } }) ?? utils ?? out;',
      '}',
      'export function response(ctx) {',
      '  return ctx.result;',
      '}',
    ].join('\n');
    const compiled = compileResolverCode(code);
    expect(compiled.wrapped).toMatch(/for \(var name in all\)/);
    expect(compiled.wrapped).toMatch(/__hasOwnProp\.call\(/);
  });

  it('accepts every resolver and function the project ships', async () => {
    const bundles = await bundleResolverSpecs(ROOT, discoverResolvers(ROOT));
    expect(bundles.size).toBeGreaterThan(20);
    const refused: string[] = [];
    for (const [entry, code] of [...bundles, ['pipeline pass-through', PIPELINE_PASS_THROUGH_CODE] as const]) {
      try {
        compileResolverCode(code);
      } catch (err) {
        refused.push(`${entry}: ${(err as Error).message}`);
      }
    }
    expect(refused).toEqual([]);
  });
});
