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

/**
 * The demo city and catalogue are seed data (issue 10): production code reads the org tree and the catalogues from
 * PostgreSQL. Only seeds, fixtures, specs and tests (and the files in {@link DEMO_DATA_ALLOWED}) may import them.
 */
const DEMO_DATA = [
  {
    group: ['**/demo-city', '**/demo-catalogue'],
    message: 'The demo city and catalogue are seed data: read the org tree and catalogues from PostgreSQL.',
  },
];

/** Files that may import the demo city or catalogue, besides specs, tests and fixtures. */
const DEMO_DATA_ALLOWED = [
  'libs/persistence/src/seed/**',
  'libs/domain/src/org/demo-city.ts',
  'libs/domain/src/routing/demo-catalogue.ts',
  'apps/api/src/auth/demo-users.ts',
  'scripts/**',
];
const TESTS = ['**/*.spec.ts', '**/*.test.ts', 'test/**', '**/fixtures/**', '**/*.fixture.ts', '**/*.fixtures.ts'];

/** Patterns of libs/domain: the workflow's, and no Temporal at all. */
const DOMAIN_FORBIDDEN = WORKFLOW_FORBIDDEN.concat([
  { group: ['@temporalio/*'], message: 'libs/domain is pure TypeScript.' },
]);

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
  // A later block's no-restricted-imports replaces an earlier one's for the same file: each block lists every pattern.
  {
    files: ['**/*.ts'],
    ignores: [...TESTS, ...DEMO_DATA_ALLOWED],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: DEMO_DATA }] },
  },
  {
    files: ['apps/api/**/*.ts'],
    ignores: [...TESTS, ...DEMO_DATA_ALLOWED],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: DEMO_DATA.concat([
            {
              group: ['**/activities/**', '**/activities'],
              message: 'The API does not run activity code: put what both need in libs/ (issue 10).',
            },
          ]),
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.test.ts', ...DEMO_DATA_ALLOWED],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: WORKFLOW_FORBIDDEN.concat(DEMO_DATA) }],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/domain/src/calendar/chinese-days-source.ts', ...DEMO_DATA_ALLOWED],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: DOMAIN_FORBIDDEN.concat(DEMO_DATA) }] },
  },
  {
    files: DEMO_DATA_ALLOWED.filter((path) => path.startsWith('libs/domain/')),
    ignores: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: DOMAIN_FORBIDDEN }] },
  },
);
