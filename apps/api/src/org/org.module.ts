import { Module } from '@nestjs/common';
import { OrgImportController } from './org-import.controller';
import { OrgImportService } from './org-import.service';

/**
 * The org tree as data: importing a city (admin only). The tree itself is read through the global `OrgTreeModule`
 * (`OrgTreeSource`), which this module invalidates after an import.
 */
@Module({
  controllers: [OrgImportController],
  providers: [OrgImportService],
})
export class OrgModule {}
