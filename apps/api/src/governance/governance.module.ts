import { Module } from '@nestjs/common';
import { GovernanceController } from './governance.controller';
import { GovernanceService } from './governance.service';

/**
 * Governance items (docs/governance.md): rectification of a month's bottom units, problems of the month the centre
 * adopts, proactive items of hotspots past the threshold; each item's workflow keeps its deadline on the calendar.
 */
@Module({
  controllers: [GovernanceController],
  providers: [GovernanceService],
})
export class GovernanceModule {}
