// functions/shared/model.ts is inlined into APPSYNC_JS resolvers: it must pass AppSync's own lint
// rules (the same plugin eslint.config.js applies to resolvers/).
import { describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import appsync from '@aws-appsync/eslint-plugin';

// The plugin ships untyped configs; eslint.config.js (plain JS) spreads the same object.
const base = (appsync as unknown as { configs: { base: Linter.Config } }).configs.base;

describe('functions/shared/model.ts', () => {
  it('is written in the APPSYNC_JS subset', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        {
          ...base,
          files: ['**/*.ts'],
          rules: {
            ...base.rules,
            'no-restricted-syntax': ['error', { selector: 'ThrowStatement', message: 'APPSYNC_JS has no throw' }, { selector: 'ImportDeclaration', message: 'no imports' }],
          },
        },
      ],
    });
    const [result] = await eslint.lintFiles(['functions/shared/model.ts']);
    expect(result.messages.map((m) => `${m.line}: ${m.ruleId} ${m.message}`)).toEqual([]);
    // The same configuration does refuse what APPSYNC_JS lacks.
    const [bad] = await eslint.lintText('export function f(n: number) { let i = n; i++; if (/x/.test(String(i))) throw new Error(); return i; }', {
      filePath: 'functions/shared/model.ts',
    });
    expect(bad.messages.map((m) => m.ruleId)).toEqual(
      expect.arrayContaining(['@aws-appsync/no-disallowed-unary-operators', '@aws-appsync/no-regex', 'no-restricted-syntax']),
    );
  });
});
