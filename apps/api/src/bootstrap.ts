import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { activeTracing, httpTracingMiddleware } from '../../../libs/platform/src/tracing';
import { ApiErrorFilter } from './common/api-error.filter';
import { methodNotAllowed } from './common/method-not-allowed';
import { ApiErrorBodyDto, documentErrorResponses } from './common/openapi';
import { MAX_BODY_BYTES } from './common/text-hygiene';
import { createValidationPipe } from './common/validation';
import { ApiSettings, AppModule } from './app.module';

/**
 * Builds the API application (validation, error mapping, OpenAPI at /api/docs and /api/docs-json) without
 * listening, so the same wiring serves production, `npm start` and the integration tests. With `handleSignals`,
 * Nest closes the application on SIGINT/SIGTERM (the API alone in its process).
 */
export async function createApiApp(
  settings: ApiSettings,
  options: { handleSignals?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(settings), { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  // While traces are exported: one server span per request, first, so that everything the request does is inside it.
  if (activeTracing()) app.use(httpTracingMiddleware);
  // A known path with another method answers 405 with Allow (before body parsing: the body does not matter).
  app.use(methodNotAllowed((app as NestExpressApplication).getHttpAdapter().getInstance()));
  // A larger JSON body answers 413 PayloadTooLarge (the filter); nesting and text are checked by the pipe.
  (app as NestExpressApplication).useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  // A process hosting more than the API (npm start) stops its parts itself, in order.
  if (options.handleSignals) app.enableShutdownHooks();
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  serveConsole(app as NestExpressApplication);
  return app;
}

/** The OpenAPI document of the API; the console's typed client is generated from it at build (apps/console). */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Shaosheng API')
      .setDescription('Complaint handling: intake, cases, and their workflows')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A login JWT or an API token (`shs_…`)' })
      // Every operation takes the bearer token; the public ones declare none (documentErrorResponses).
      .addSecurityRequirements('bearer')
      .build(),
    { extraModels: [ApiErrorBodyDto] },
  );
  return documentErrorResponses(app, document);
}

/** Where `npm run build` puts the web console: `dist/console`, next to this file's compiled `dist/apps`. */
export const CONSOLE_DIR = join(__dirname, '..', '..', '..', 'console');

/**
 * Serves the web console (apps/console, built into {@link CONSOLE_DIR}) at `/`: its files, and its `index.html` for
 * any other page a browser asks for, so a reload on `/cases/…` works. `/api`, `/health` and `/ready` stay the API's;
 * nothing is served when the console was not built (API-only tests).
 */
function serveConsole(app: NestExpressApplication, dir = CONSOLE_DIR): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(dir, { index: false, maxAge: '1h', setHeaders: noCacheForIndex });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const api = /^\/(api|health|ready)(\/|$)/.test(request.path);
    if (request.method !== 'GET' || api || !request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}

const noCacheForIndex = (response: Response, path: string) => {
  if (path.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
};
