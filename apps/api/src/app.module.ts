import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { dataSourceOptions } from '../../../libs/persistence/src';
import { AppConfig } from '../../../libs/platform/src';
import { CaseModule } from './cases/case.module';
import { HealthModule } from './health/health.module';
import { TemporalModule } from './temporal/temporal.module';

export interface ApiSettings {
  databaseUrl: string;
  temporal: AppConfig['temporal'] & { address: string };
  logger: Logger;
}

/** The HTTP API: one module per bounded context, over one database and one Temporal client. */
@Module({})
export class AppModule {
  static forRoot(settings: ApiSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger: settings.logger, autoLogging: true, quietReqLogger: true } }),
        TypeOrmModule.forRoot(dataSourceOptions(settings.databaseUrl)),
        TemporalModule.forRoot(settings.temporal),
        HealthModule,
        CaseModule,
      ],
    };
  }
}
