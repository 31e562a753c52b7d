// functions/shared/model.ts is inlined into APPSYNC_JS resolvers: it must pass AppSync's own lint
// rules, the very rules eslint.config.js applies to resolvers/ (AppSync's `recommended` and ours).
import { describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
// @ts-expect-error eslint.config.js is plain JS, without declarations
import projectConfig from '../../../eslint.config.js';

const resolverBlock = (projectConfig as Linter.Config[]).find((c) => c.files?.includes('resolvers/**/*.ts'));
if (!resolverBlock) throw new Error('eslint.config.js has no block for resolvers/**/*.ts');
const restricted = resolverBlock.rules?.['no-restricted-syntax'] as [Linter.RuleSeverity, ...unknown[]];

describe('functions/shared/model.ts', () => {
  it('is written in the APPSYNC_JS subset', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        // Type information for the rules that need it (recursion, function passing, methods).
        // With CI=true typescript-eslint infers a single run and keeps the on-disk program, so
        // the lintText below would be type-checked as model.ts's real text: keep it watching.
        {
          ...resolverBlock,
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: process.cwd(), disallowAutomaticSingleRunInference: true } },
          rules: { ...resolverBlock.rules, 'no-restricted-syntax': [...restricted, { selector: 'ImportDeclaration', message: 'no imports' }] },
        },
      ],
    });
    const [result] = await eslint.lintFiles(['functions/shared/model.ts']);
    expect(result.messages.map((m) => `${m.line}: ${m.ruleId} ${m.message}`)).toEqual([]);
    // The same configuration does refuse what APPSYNC_JS lacks.
    const [bad] = await eslint.lintText(
      "export function f(n: number): string { let i = n; i++; if (/x/.test(String(i))) throw new Error(); return i > 9 ? f(i - 1) : String(i).padStart(2, f.call(null, 0)); }",
      { filePath: 'functions/shared/model.ts' },
    );
    expect(bad.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message)).toEqual([
      'Use util.error(): APPSYNC_JS has no throw.',
      'APPSYNC_JS functions have no call, apply or bind: call the function directly.',
    ]);
    expect(bad.messages.map((m) => m.ruleId)).toEqual(
      expect.arrayContaining([
        '@aws-appsync/no-disallowed-unary-operators',
        '@aws-appsync/no-regex',
        'no-restricted-syntax',
        '@aws-appsync/no-recursion',
        '@aws-appsync/no-disallowed-methods',
      ]),
    );
  }, 120_000); // a type-checked lint builds the whole project's program: ~9 s alone, far more beside the suite
});

describe('eslint.config.js on resolvers/', () => {
  it("refuses a function's call, apply and bind, and no other method", async () => {
    // Only the syntax rule, untyped: the selector alone decides.
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-syntax': restricted } }],
    });
    const [result] = await eslint.lintText(
      'export function f(g: (n: number) => number, o: { callback(n: number): number; recall(): number }): number[] {\n' +
        '  return [g.call(null, 1), g.apply(null, [2]), g.bind(null)(3), g(4), o.callback(5), o.recall()];\n}\n',
      { filePath: 'resolvers/Query.example.ts' },
    );
    expect(result.messages.map((m) => `${m.column}: ${m.message}`)).toEqual([
      '11: APPSYNC_JS functions have no call, apply or bind: call the function directly.',
      '28: APPSYNC_JS functions have no call, apply or bind: call the function directly.',
      '48: APPSYNC_JS functions have no call, apply or bind: call the function directly.',
    ]);
  });
});
