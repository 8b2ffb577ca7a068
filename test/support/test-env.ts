/** Environment variables through which the global setups hand shared servers to test files. */
export const TEST_ENV = {
  databaseUrl: 'SHAOSHENG_TEST_DATABASE_URL',
  temporalAddress: 'SHAOSHENG_TEST_TEMPORAL_ADDRESS',
  /** A migrated, empty database scratch databases are copied from (`CREATE DATABASE … TEMPLATE`). */
  templateDatabase: 'SHAOSHENG_TEST_TEMPLATE_DATABASE',
} as const;

/** Reads a variable a global setup must have set; a clear error if a test file runs outside its tier. */
export function requiredTestEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through jest's integration project (npm test)`);
  return value;
}
