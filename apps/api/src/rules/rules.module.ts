import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresCalendarSource } from '../../../../libs/persistence/src/calendar/calendar-source';
import { CaseModule } from '../cases/case.module';
import { MigrationService } from './migration.service';
import { ProcessDefinitionsModule } from './process-definitions.module';
import { RulesChangeController } from './rules-change.controller';
import { RulesController } from './rules.controller';
import { WhatIfService } from './what-if.service';

/**
 * Versioned process definitions over HTTP: the designer API (drafts, validation, diffs, publication, archiving),
 * migrations of open cases (through the case actions), and what-if runs. `RulesService.publishedFor` for intake
 * comes from {@link ProcessDefinitionsModule}, which CaseModule can import without a cycle.
 */
@Module({
  imports: [ProcessDefinitionsModule, CaseModule],
  controllers: [RulesController, RulesChangeController],
  providers: [
    MigrationService,
    WhatIfService,
    {
      provide: PostgresCalendarSource,
      useFactory: (dataSource: DataSource) => new PostgresCalendarSource(dataSource),
      inject: [DataSource],
    },
  ],
  exports: [ProcessDefinitionsModule],
})
export class RulesModule {}
