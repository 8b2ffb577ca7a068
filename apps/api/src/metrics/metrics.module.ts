import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { httpMetricsMiddleware } from './metrics';

/** Prometheus `/metrics` of the API, and the timing of every HTTP request. */
@Module({ controllers: [MetricsController] })
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetricsMiddleware).forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}
