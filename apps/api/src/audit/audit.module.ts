import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditSettings, resolveAuditSettings } from './audit.settings';
import { TimelineService } from './timeline.service';

/**
 * Auditors' endpoints: case timelines (audit log + Temporal history), verification of the audit log, case search and
 * lifecycle export, the projection/visibility consistency check. `TEMPORAL_UI_URL` is read at boot.
 */
@Module({
  controllers: [AuditController],
  providers: [{ provide: AuditSettings, useFactory: () => resolveAuditSettings() }, AuditService, TimelineService],
})
export class AuditModule {}
