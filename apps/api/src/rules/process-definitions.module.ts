import { Module } from '@nestjs/common';
import { RulesService } from './rules.service';
import { RulesStore } from './rules.store';

/**
 * Published process definitions and drafts, without HTTP: {@link RulesService} (`publishedFor`, versions, drafts).
 * A module of its own so intake (CaseModule) can import it while RulesModule imports CaseModule for migrations,
 * without a cycle.
 */
@Module({
  providers: [RulesStore, RulesService],
  exports: [RulesService],
})
export class ProcessDefinitionsModule {}
