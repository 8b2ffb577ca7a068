import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Modules that are not deterministic-safe inside a workflow (STYLE.md, "Layout and boundaries"). */
const WORKFLOW_FORBIDDEN = [
  { group: ['@nestjs/*'], message: 'Workflows must not import Nest.' },
  { group: ['typeorm', 'pg', 'class-validator', 'class-transformer'], message: 'Workflows do no I/O and see no DTOs.' },
  {
    group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'],
    message: 'Workflows import only @temporalio/workflow (and @temporalio/common).',
  },
  {
    group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process'],
    message: 'No Node built-ins in workflows.',
  },
  {
    group: ['**/activities/*', '**/apps/*', '**/libs/persistence/*', '**/libs/platform/*'],
    message: 'Workflows import libs/domain and themselves only (types from activities via `import type`).',
    allowTypeImports: true,
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.data/**',
      '.tools/**',
      '.cache/**',
      'coverage/**',
      'eslint.config.mjs',
      'jest.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: WORKFLOW_FORBIDDEN }] },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/domain/src/calendar/chinese-days-source.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: WORKFLOW_FORBIDDEN.concat([
            { group: ['@temporalio/*'], message: 'libs/domain is pure TypeScript.' },
          ]),
        },
      ],
    },
  },
);
