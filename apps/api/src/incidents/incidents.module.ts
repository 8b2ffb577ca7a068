import { Module } from '@nestjs/common';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

/** Incidents of cases: listed for operators and admins, retried or resolved by admins (audited). */
@Module({ controllers: [IncidentsController], providers: [IncidentsService] })
export class IncidentsModule {}
