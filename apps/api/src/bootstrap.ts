import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { ApiErrorFilter } from './common/api-error.filter';
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
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  // A process hosting more than the API (npm start) stops its parts itself, in order.
  if (options.handleSignals) app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Shaosheng API')
      .setDescription('Complaint handling: intake, cases, and their workflows')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A login JWT or an API token (`shs_…`)' })
      // Every operation takes the bearer token; the few public ones ignore its absence.
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
