// Lint: floating promises anywhere, and anything non-deterministic or I/O-bound in workflow code.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', '.temporal/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: no Node built-ins, no activity implementations, no configuration that can
    // change under a running workflow (domain/ is workflow-safe, except its zod schemas).
    files: ['workflows/**/*.ts', 'domain/codes.ts', 'domain/process.ts', 'domain/project.ts', 'domain/access.ts', 'domain/uscc.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.flatMap((m) => [m, `node:${m}`]),
          patterns: [
            { group: ['**/activities', '**/activities/*'], allowTypeImports: true, message: 'import activities as types only' },
            { group: ['**/config/*', '**/api/*', '**/temporal/*', '**/worker/*', '**/domain/schemas', 'zod'], message: 'not workflow-safe' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval'],
    },
  },
  {
    // The console follows its libraries' current APIs (antd renames props between majors).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: { '@typescript-eslint/no-deprecated': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
