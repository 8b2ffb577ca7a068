import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * The console builds into the repository's `dist/console`, which the API serves at `/` (apps/api/src/bootstrap.ts).
 * In development, `npx vite` proxies `/api` to a running `npm start`.
 */
export default defineConfig({
  plugins: [react()],
  build: { outDir: '../../dist/console', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  test: { environment: 'node', include: ['src/**/*.test.{ts,tsx}'] },
});
