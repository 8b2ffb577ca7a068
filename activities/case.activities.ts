import { ApplicationFailure, Context } from '@temporalio/activity';
import { DataSource } from 'typeorm';
import { CaseEntity } from '../libs/persistence/src/entities/case.entity';
import { IntakeRequestEntity } from '../libs/persistence/src/entities/intake-request.entity';
import type { CaseFacts, CaseStage, CaseStatus } from '../libs/domain/src/case/case.types';
import { classifyIntake, IntakeDecision, IntakeDirections, normalizeAddressKey } from '../libs/domain/src/intake';
import type { RoutingCatalogue } from '../libs/domain/src/routing/routing.types';
import type { CatalogueSource, CurrentCatalogueSource } from './catalogue-source';

/** What the worker gives the case activities. */
export interface CaseActivityDeps {
  dataSource: DataSource;
  /**
   * The routing catalogue of a case whose pinned version has none stored: fixed (tests), or chosen by what is
   * stored now (the worker: the current catalogue, `loadCurrentCatalogue`). Without it such a case cannot be decided.
   */
  catalogue?: RoutingCatalogue | CurrentCatalogueSource;
  /** The routing catalogue of a process definition version (the worker reads PostgreSQL). */
  catalogues?: CatalogueSource;
}

/** Arguments of {@link CaseActivities.recordCaseIntake}. */
export interface RecordCaseIntakeInput {
  caseNo: string;
  workflowId: string;
  rulesVersion: string;
  status: CaseStatus;
  stage: CaseStage;
  /** The open case this one duplicates with new facts. */
  linkedTo?: string;
}

/**
 * Activities of the case workflow: thin, idempotent adapters over PostgreSQL, keyed by case number so a retry
 * rewrites the same row.
 */
export function createCaseActivities({ dataSource, catalogue, catalogues }: CaseActivityDeps) {
  /** The catalogue of the calling case's pinned version (its case row, written before intake is decided). */
  const pinnedCatalogue = async (): Promise<RoutingCatalogue | undefined> => {
    const workflowId = catalogues && Context.current().info.workflowExecution?.workflowId;
    if (!catalogues || !workflowId) return undefined;
    const rows = (await dataSource.query(`SELECT rules_version FROM cases WHERE workflow_id = $1`, [workflowId])) as {
      rules_version: string;
    }[];
    return rows[0] ? catalogues(rows[0].rules_version) : undefined;
  };

  return {
    /**
     * Decides what intake does with a request (emergency diversion, inadmissible, answered on the spot, or dispatch)
     * by the routing catalogue of the case's pinned version (else the `catalogue` given to the factory); recorded in
     * the history as this activity's result.
     */
    async decideIntake(input: { facts: CaseFacts; directions?: IntakeDirections }): Promise<IntakeDecision> {
      const routing = (await pinnedCatalogue()) ?? (typeof catalogue === 'function' ? await catalogue() : catalogue);
      if (!routing) {
        throw ApplicationFailure.nonRetryable('no routing catalogue is stored for the case', 'IntakeFailed');
      }
      try {
        return classifyIntake(routing, {
          ...input.directions,
          kind: input.facts.kind,
          category: input.facts.category,
        });
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, 'IntakeFailed');
      }
    },

    /**
     * Writes the case row from the stored submission (the only place citizen data lives), or brings an existing
     * row's status and stage up to date. Fails for good (`IntakeRequestMissing`) if the submission is not stored.
     */
    async recordCaseIntake(input: RecordCaseIntakeInput): Promise<void> {
      const request = await dataSource.getRepository(IntakeRequestEntity).findOneBy({ caseNo: input.caseNo });
      if (!request) {
        throw ApplicationFailure.nonRetryable(`No stored submission for case ${input.caseNo}`, 'IntakeRequestMissing');
      }
      const submission = request.payload;
      await dataSource
        .createQueryBuilder()
        .insert()
        .into(CaseEntity)
        .values({
          caseNo: input.caseNo,
          workflowId: input.workflowId,
          kind: submission.kind,
          category: submission.category,
          urgency: submission.urgency,
          channel: submission.channel,
          status: input.status,
          stage: input.stage,
          description: submission.description,
          address: submission.address ?? null,
          addressKey: submission.address ? normalizeAddressKey(submission.address) || null : null,
          linkedCaseNo: input.linkedTo ?? null,
          latitude: submission.location?.lat ?? null,
          longitude: submission.location?.lng ?? null,
          citizenName: submission.citizen?.name ?? null,
          citizenPhone: submission.citizen?.phone ?? null,
          gridId: submission.place?.gridId ?? null,
          communityId: submission.place?.communityId ?? null,
          streetId: submission.place?.streetId ?? null,
          districtId: submission.place?.districtId ?? null,
          rulesVersion: input.rulesVersion,
          receivedAt: request.receivedAt,
        })
        .orUpdate(['status', 'stage', 'updated_at'], ['case_no'])
        .execute();
    },
  };
}

/** The case activities, as the workflow proxies them. */
export type CaseActivities = ReturnType<typeof createCaseActivities>;
