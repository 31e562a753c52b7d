// Flat config: typescript-eslint everywhere; AppSync's APPSYNC_JS rules on resolvers/.
import tseslint from 'typescript-eslint';
import appsync from '@aws-appsync/eslint-plugin';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.slotsync/**', 'dist/**', 'client/generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // `recommended` adds the rules that need types (no recursion, no passing or returning
    // functions, AppSync's deny-list of built-in methods); it leaves the type information to us.
    files: ['resolvers/**/*.ts'],
    ...appsync.configs.recommended,
    languageOptions: {
      ...appsync.configs.recommended.languageOptions,
      parserOptions: { project: './resolvers/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...appsync.configs.recommended.rules,
      // APPSYNC_JS has no throw; errors leave through util.error (DESIGN §6). Nor has it a function's
      // call, apply or bind, which the plugin's deny-list leaves out.
      'no-restricted-syntax': [
        'error',
        { selector: 'ThrowStatement', message: 'Use util.error(): APPSYNC_JS has no throw.' },
        {
          selector: 'CallExpression > MemberExpression.callee[property.name=/^(apply|bind|call)$/]',
          message: 'APPSYNC_JS functions have no call, apply or bind: call the function directly.',
        },
      ],
    },
  },
);
