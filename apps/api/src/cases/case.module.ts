import { Module } from '@nestjs/common';
import { CaseController } from './case.controller';
import { CaseService } from './case.service';

/** Intake and lookup of cases. */
@Module({ controllers: [CaseController], providers: [CaseService] })
export class CaseModule {}
