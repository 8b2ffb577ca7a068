import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { findUnit } from '../../../../libs/domain/src/org/org-tree';
import { CaseEntity, IntakeRequestEntity } from '../../../../libs/persistence/src';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { commandScopeProblem } from './command-scope';

/** A case the caller may see: its stored submission and, once its workflow recorded it, its row. */
export interface ScopedCase {
  request: IntakeRequestEntity;
  record: CaseEntity | null;
}

/**
 * The one answer to a case the caller may not see and to a case that does not exist: the same 404, so that neither
 * a status (403) nor a stage (409) tells an outsider that a case number exists or where its case stands.
 */
export function caseNotFound(caseNo: string): ApiError {
  return new ApiError(ApiErrorCode.CaseNotFound, `No case ${caseNo}`);
}

/**
 * Which cases a caller may see, checked before anything else about a case (its stage, its deadlines, the action's
 * rules): the city's service centre, designers, auditors and admins see every case; under two-level command a
 * district command centre sees the cases of its district ({@link commandScopeProblem}) and those it had a task on;
 * a handler or a coordinator sees a case that concerns its unit — as lead, co-unit, copy, the committee it is
 * before, the place's community, street or district (a committee: its locality's), a whistled department, or a unit
 * that had a task on it.
 */
@Injectable()
export class CaseScope {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trees: OrgTreeSource,
  ) {}

  /**
   * The case, when it exists and the caller may see it.
   * @throws ApiError CaseNotFound (404, {@link caseNotFound}) when it does not exist or the caller may not see it.
   */
  async require(caseNo: string, actor: Actor): Promise<ScopedCase> {
    const request = await this.dataSource.getRepository(IntakeRequestEntity).findOneBy({ caseNo });
    if (!request) throw caseNotFound(caseNo);
    const record = await this.dataSource.getRepository(CaseEntity).findOneBy({ caseNo });
    if (!(await this.mayRead(caseNo, record, actor))) throw caseNotFound(caseNo);
    return { request, record };
  }

  /** Whether the actor may see the case (see the class comment). */
  async mayRead(caseNo: string, record: CaseEntity | null, actor: Actor): Promise<boolean> {
    const tree = await this.trees.currentIfStored();
    if (actor.role === 'operator') {
      if (!commandScopeProblem(tree, actor, caseNo, record?.districtId)) return true;
      return this.hadTask(caseNo, actor.unitId);
    }
    if (actor.role !== 'handler' && actor.role !== 'coordinator') return true;
    // A coordination committee stands for its locality: it reads the cases of the community, street or district.
    const committee = tree && findUnit(tree, actor.unitId);
    const unit = committee?.kind === 'committee' && committee.localityId ? committee.localityId : actor.unitId;
    if (record) {
      const units = [
        record.leadUnitId,
        record.responsibleUnitId,
        record.communityId,
        record.streetId,
        record.districtId,
        ...(record.coUnitIds ?? []),
        ...(record.copyUnitIds ?? []),
        ...(record.whistleRounds as Array<{ departmentIds?: string[] }>).flatMap((round) => round.departmentIds ?? []),
      ];
      if (units.includes(unit) || units.includes(actor.unitId)) return true;
    }
    return this.hadTask(caseNo, actor.unitId);
  }

  /** Whether the unit had a task on the case. */
  private async hadTask(caseNo: string, unitId: string): Promise<boolean> {
    const tasks = (await this.dataSource.query(`SELECT 1 FROM tasks WHERE case_no = $1 AND unit_id = $2 LIMIT 1`, [
      caseNo,
      unitId,
    ])) as unknown[];
    return tasks.length > 0;
  }
}
