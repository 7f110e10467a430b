// ESLint (flat config): typescript-eslint's recommended rules for the TypeScript, browser globals for the View API
// page's script, Node globals for the scripts. `npm run lint` runs it; `npm test` counts it as one test.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '.venv/**', 'test/artifacts/**', 'test/package/app/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      // Decorated Nest classes and the handlers' `Function` values are part of the domain.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // On Node 20 the first run() of any AsyncLocalStorage turns on the async hooks for the whole process, which
    // costs every request 11–17 % of its server time (docs/performance.md#the-event-context-is-opt-in): the library
    // passes what it needs explicitly; only the opt-in event context (queue/event-context.ts) may use one.
    files: ['libs/nest-gradio/src/**/*.ts'],
    ignores: ['libs/nest-gradio/src/queue/event-context.ts', '**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:async_hooks', message: 'Pass it explicitly: an async hook costs every request.' },
            { name: 'async_hooks', message: 'Pass it explicitly: an async hook costs every request.' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/nest-gradio/assets/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**/*.js', 'bench/**/*.js', 'eslint.config.js', 'jest.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
