import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { CityImportError, describeImport, importCity } from '../../../../libs/persistence/src/city-import/city-import';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { CityImportDto, CityImportView, problemView } from './org-import.dto';

/** Imports a city over HTTP exactly as `npm run city:import` does (docs/cities.md). */
@Injectable()
export class OrgImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trees: OrgTreeSource,
  ) {}

  /**
   * Imports (or, with `dryRun`, plans) the city of `body.files` as `actor`.
   * @throws ApiError `ValidationFailed` with every problem of the files (or of removing units in use).
   */
  async import(body: CityImportDto, actor: Actor): Promise<CityImportView> {
    try {
      const report = await importCity(this.dataSource, body.files, {
        actor: { userId: actor.userId, role: actor.role, unitId: actor.unitId ?? null },
        reason: body.reason ?? 'city import over HTTP',
        dryRun: body.dryRun ?? false,
      });
      // This process answers with the new tree at once; others see it within the source's reload interval.
      if (report.changed && !report.dryRun) this.trees.invalidate();
      const { orgVersion, ...rest } = report;
      return { ...rest, ...(orgVersion === undefined ? {} : { orgVersion }), summary: describeImport(report) };
    } catch (error) {
      if (!(error instanceof CityImportError)) throw error;
      throw new ApiError(
        ApiErrorCode.ValidationFailed,
        `The city was not imported: ${error.problems.length} problem(s)`,
        error.problems.map(problemView),
      );
    }
  }
}
