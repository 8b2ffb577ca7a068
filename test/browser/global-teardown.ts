import { rmSync } from 'node:fs';
import type { RunningProduct } from './stack';

/** Stops the product the way Ctrl-C does (SIGTERM: API, worker, Temporal, PostgreSQL in order), then its data. */
export default async function globalTeardown(): Promise<void> {
  const product = (globalThis as Record<string, unknown>).__shaoshengProduct as RunningProduct | undefined;
  if (!product) return;
  const exited = new Promise((resolve) => product.process.once('exit', resolve));
  product.process.kill('SIGTERM');
  const timer = setTimeout(() => product.process.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
  rmSync(product.dataDir, { recursive: true, force: true });
}
