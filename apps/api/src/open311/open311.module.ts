import { Module } from '@nestjs/common';
import { CaseModule } from '../cases/case.module';
import { ProcessDefinitionsModule } from '../rules/process-definitions.module';
import { Open311Controller } from './open311.controller';
import { Open311IntakeService } from './open311-intake.service';
import { Open311Service } from './open311.service';

/**
 * The Open311 GeoReport v2 server at `/open311/v2` (docs/open311.md): services from each jurisdiction's published
 * routing catalogue, requests filed through the same intake as every channel, cases read back as service requests.
 */
@Module({
  imports: [CaseModule, ProcessDefinitionsModule],
  controllers: [Open311Controller],
  providers: [Open311Service, Open311IntakeService],
})
export class Open311Module {}
