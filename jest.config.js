/**
 * Three tiers, one run (`npm test`):
 * - unit: pure code and single pieces, no servers;
 * - workflow: workflow tests, each file on its own time-skipping test server;
 * - integration: HTTP -> workflow -> activity -> database against one shared Temporal dev server
 *   and one shared embedded PostgreSQL, started once by the tier's global setup;
 * - browser: the console's unit tests (vitest), and the whole product as `npm start` runs it driven in Debian's
 *   Chromium by playwright-core (its packages live in apps/console/node_modules).
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{apps,libs,activities,workflows,scripts}/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/workflow-setup.ts',
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'browser',
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/browser/tsconfig.json' }] },
      modulePaths: ['<rootDir>/apps/console/node_modules'],
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.ts',
      globalTeardown: '<rootDir>/test/browser/global-teardown.ts',
    },
  ],
};
