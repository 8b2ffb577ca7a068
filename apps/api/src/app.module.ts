import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { dataSourceOptions } from '../../../libs/persistence/src';
import { AppConfig, loadConfig } from '../../../libs/platform/src';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import type { AuthSettings } from './auth/auth.settings';
import { CalendarModule } from './calendar/calendar.module';
import { CaseModule } from './cases/case.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OrgTreeModule } from './org-tree/org-tree.module';
import { IncidentsModule } from './incidents/incidents.module';
import { OrgModule } from './org/org.module';
import { Open311Module } from './open311/open311.module';
import type { NotificationOptions } from './notifications/notification.settings';
import { RulesModule } from './rules/rules.module';
import { ScoresModule } from './scores/scores.module';
import { GovernanceModule } from './governance/governance.module';
import { TasksModule } from './tasks/tasks.module';
import { TemporalModule } from './temporal/temporal.module';

export interface ApiSettings {
  databaseUrl: string;
  temporal: AppConfig['temporal'] & { address: string };
  logger: Logger;
  /** Identity and access; unset means resolved from the environment (see `resolveAuthSettings`). */
  auth?: AuthSettings;
  /** Connections of the API's PostgreSQL pool; unset: `DATABASE_POOL_MAX` (default 10). */
  databasePoolMax?: number;
  /** Notifications (sender, polling); unset settings come from the environment (`NOTIFICATIONS_POLL_INTERVAL_MS`). */
  notifications?: NotificationOptions;
}

/** The HTTP API: one module per bounded context, over one database and one Temporal client. */
@Module({})
export class AppModule {
  static forRoot(settings: ApiSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { logger: settings.logger, autoLogging: true, quietReqLogger: true } }),
        TypeOrmModule.forRoot(
          dataSourceOptions(settings.databaseUrl, { max: settings.databasePoolMax ?? loadConfig().databasePoolMax }),
        ),
        TemporalModule.forRoot(settings.temporal),
        OrgTreeModule,
        AuthModule.forRoot(settings.auth),
        HealthModule,
        MetricsModule,
        CaseModule,
        CalendarModule,
        NotificationsModule.forRoot(settings.databaseUrl, settings.notifications),
        TasksModule,
        RulesModule,
        ScoresModule,
        GovernanceModule,
        AuditModule,
        OrgModule,
        IncidentsModule,
        Open311Module,
      ],
    };
  }
}
