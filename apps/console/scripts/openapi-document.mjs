/*
 * Writes the API's OpenAPI document (the one served at /api/docs-json) to the file named by argv[2], from the
 * compiled API in dist/ and without a database, Temporal or a port: Nest's preview mode resolves the module graph
 * and reads the controllers' metadata but instantiates no provider.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// The API is CommonJS (docs/adr/0001) and its packages live in the root node_modules.
const load = createRequire(join(root, 'package.json'));

async function main(outFile) {
  load('reflect-metadata');
  const { NestFactory } = load('@nestjs/core');
  const pino = load('pino');
  const { AppModule } = load(join(root, 'dist/apps/api/src/app.module'));
  const { createOpenApiDocument } = load(join(root, 'dist/apps/api/src/bootstrap'));
  const settings = {
    databaseUrl: 'postgres://preview@127.0.0.1:1/preview',
    temporal: { address: '127.0.0.1:1', namespace: 'default', taskQueue: 'preview' },
    logger: pino({ level: 'silent' }),
  };
  const app = await NestFactory.create(AppModule.forRoot(settings), { preview: true, logger: false });
  writeFileSync(outFile, JSON.stringify(createOpenApiDocument(app), null, 2) + '\n');
  await app.close();
}

main(process.argv[2]).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`openapi document: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
