import { Module } from '@nestjs/common';
import { ProcessDefinitionsModule } from '../rules/process-definitions.module';
import { CaseActionController } from './case-action.controller';
import { CaseActionService } from './case-action.service';
import { CaseController } from './case.controller';
import { CaseScope } from './case-scope';
import { CaseService } from './case.service';
import { RepeatContactService } from './repeat-contact.service';
import { IntakeStarter } from './intake-starter';
import { IntakeSettings, intakeSettings } from './intake-settings';
import { PublicCaseController } from './public-case.controller';

/** Intake, lookup and actions of cases. */
@Module({
  imports: [ProcessDefinitionsModule],
  controllers: [CaseController, CaseActionController, PublicCaseController],
  providers: [
    CaseService,
    CaseActionService,
    CaseScope,
    RepeatContactService,
    IntakeStarter,
    { provide: IntakeSettings, useFactory: () => intakeSettings() },
  ],
  exports: [CaseActionService, CaseService, CaseScope],
})
export class CaseModule {}
