import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'var/**', 'tests/e2e/artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The web app runs in the browser: server-only code must never be bundled into it.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pave/core', '@pave/core/*', '**/packages/core/**'],
              message: 'The web app never imports packages/core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/api/**', '@pave/api', '@pave/api/*'], message: 'The worker never imports the API.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'pg', 'bullmq', 'ioredis', 'sharp', '@pave/core'],
              message: 'packages/shared is isomorphic: no Node, pg, bullmq or sharp.',
            },
          ],
        },
      ],
    },
  },
  {
    // The seeds and the benchmark fixture are for the CLI, tests and benchmarks: never bundled into a server.
    // (typescript-eslint's copy of the rule, so the per-app no-restricted-imports above still apply.)
    files: ['apps/**/*.{ts,tsx}', 'packages/**/*.ts'],
    ignores: ['packages/core/src/cli/**', 'packages/core/src/seed/**', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pave/core/seed', '**/seed', '**/seed/**'],
              message: 'Production code never imports the seeds.',
            },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in repositories (`*.repo.ts`), where one grep finds every query a table meets. The
    // connection plumbing (db/), the seeds, the command-line tools and the outbox relay are the exceptions.
    files: ['packages/**/*.ts', 'apps/**/*.ts'],
    ignores: [
      '**/*.repo.ts',
      '**/*.test.ts',
      'packages/core/src/db/**',
      'packages/core/src/seed/**',
      'packages/core/src/cli/**',
      'packages/core/src/outbox/outbox.relay.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'SQL belongs in a *.repo.ts file: call a repository function instead.',
        },
      ],
    },
  },
  {
    // Only entry points read process.env; everything else receives a parsed config.
    files: ['packages/**/*.ts', 'apps/api/src/**/*.ts', 'apps/worker/src/**/*.ts'],
    ignores: ['packages/core/src/cli/**', 'apps/*/src/server.ts', 'apps/*/src/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in the app config module.' },
      ],
    },
  },
);
