// functions/shared/model.ts is inlined into APPSYNC_JS resolvers: it must pass AppSync's own lint
// rules (the same plugin and config, `recommended`, that eslint.config.js applies to resolvers/).
import { describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import appsync from '@aws-appsync/eslint-plugin';

// The plugin ships untyped configs; eslint.config.js (plain JS) spreads the same object.
const recommended = (appsync as unknown as { configs: { recommended: Linter.Config } }).configs.recommended;

describe('functions/shared/model.ts', () => {
  it('is written in the APPSYNC_JS subset', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        // Type information for the rules that need it (recursion, function passing, methods).
        // With CI=true typescript-eslint infers a single run and keeps the on-disk program, so
        // the lintText below would be type-checked as model.ts's real text: keep it watching.
        {
          ...recommended,
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: process.cwd(), disallowAutomaticSingleRunInference: true } },
          rules: {
            ...recommended.rules,
            'no-restricted-syntax': ['error', { selector: 'ThrowStatement', message: 'APPSYNC_JS has no throw' }, { selector: 'ImportDeclaration', message: 'no imports' }],
          },
        },
      ],
    });
    const [result] = await eslint.lintFiles(['functions/shared/model.ts']);
    expect(result.messages.map((m) => `${m.line}: ${m.ruleId} ${m.message}`)).toEqual([]);
    // The same configuration does refuse what APPSYNC_JS lacks.
    const [bad] = await eslint.lintText(
      "export function f(n: number): string { let i = n; i++; if (/x/.test(String(i))) throw new Error(); return i > 9 ? f(i - 1) : String(i).padStart(2, '0'); }",
      { filePath: 'functions/shared/model.ts' },
    );
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
