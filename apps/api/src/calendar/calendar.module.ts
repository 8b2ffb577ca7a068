import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PostgresCalendarSource } from '../../../../libs/persistence/src/calendar/calendar-source';
import { CalendarStore } from '../../../../libs/persistence/src/calendar/calendar.store';
import { CaseModule } from '../cases/case.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** The versioned working-day calendar: versions, local days, and deadline answers. */
@Module({
  imports: [CaseModule],
  controllers: [CalendarController],
  providers: [
    CalendarService,
    {
      provide: PostgresCalendarSource,
      useFactory: (dataSource: DataSource) => new PostgresCalendarSource(dataSource),
      inject: [DataSource],
    },
    {
      provide: CalendarStore,
      useFactory: (dataSource: DataSource) => new CalendarStore(dataSource),
      inject: [DataSource],
    },
  ],
})
export class CalendarModule {}
