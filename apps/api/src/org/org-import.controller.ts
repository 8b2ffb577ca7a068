import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { CityImportDto, CityImportView } from './org-import.dto';
import { OrgImportService } from './org-import.service';

@ApiTags('org')
@ApiBearerAuth()
@Controller('api/v1/admin/city-import')
export class OrgImportController {
  constructor(private readonly imports: OrgImportService) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Import a city: org tree (a new version), catalogue, users and local days, all or nothing',
    description: 'The files of docs/cities.md as file name → text. `dryRun` reports what would change.',
  })
  @ApiResponse({ status: 200, type: CityImportView, description: 'What changed (or would change)' })
  @ApiResponse({ status: 400, description: 'Every problem of the files, each with file, line, column and rule' })
  @ApiResponse({ status: 403, description: 'Not an admin' })
  import(@Body() body: CityImportDto, @CurrentActor() actor: Actor): Promise<CityImportView> {
    return this.imports.import(body, actor);
  }
}
