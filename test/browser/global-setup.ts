import { buildIfStale, BROWSER_BASE_URL, startProduct } from './stack';

/** Browser tier: builds if stale, then starts the whole product once for every browser test file. */
export default async function globalSetup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[browser setup] ${message}\n`);
  // Against a product already running (a developer's `npm start`): SHAOSHENG_BROWSER_BASE_URL=http://localhost:3000.
  if (process.env[BROWSER_BASE_URL]) {
    log(`using ${process.env[BROWSER_BASE_URL]}`);
    return;
  }
  buildIfStale(log);
  const product = await startProduct(log);
  process.env[BROWSER_BASE_URL] = product.baseUrl;
  (globalThis as Record<string, unknown>).__shaoshengProduct = product;
}
