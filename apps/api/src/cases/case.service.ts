import { Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CaseSubmission, caseWorkflowId, factsOf, formatCaseNo } from '../../../../libs/domain/src/case/case.types';
import { CaseEntity, IntakeRequestEntity } from '../../../../libs/persistence/src';
import { OrgError, OrgTree } from '../../../../libs/domain/src/org/org.types';
import { isEmptyPlaceQuery, resolvePlace } from '../../../../libs/domain/src/org/resolve-place';
import { patrolProblem } from '../../../../libs/domain/src/intake/patrol';
import {
  evaluateRoute,
  getCategory,
  RoutingCatalogue,
  RoutingError,
  validateRoutingCatalogue,
} from '../../../../libs/domain/src/routing';
import { loadCurrentCatalogue } from '../../../../libs/persistence/src/org/org.store';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { CaseSnapshot, caseStateQuery } from '../../../../workflows/complaint-case/messages';
import type { Actor } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { ApiError, ApiErrorCode } from '../common/api-error';
import { TemporalBound } from '../temporal/temporal-bound';
import { requestHash } from './action-idempotency';
import { PublishedDefinition, RulesService } from '../rules/rules.service';
import { commandScopeProblem } from './command-scope';
import { caseNotFound, CaseScope } from './case-scope';
import { citizenContactAccess } from './citizen-contact';
import { IntakeStarter } from './intake-starter';
import { INTAKE_RETRY_MS } from './intake-settings';
import { repeatOf, RepeatContactService } from './repeat-contact.service';

export interface IntakeResult {
  caseNo: string;
  workflowId: string;
  /**
   * `started`: the case workflow runs; `received`: stored, its workflow starts as soon as Temporal answers;
   * `linked`: a duplicate with no new facts, counted on the open case `caseNo` (no new case was opened).
   */
  status: 'started' | 'received' | 'linked';
  /** True when an earlier POST with the same Idempotency-Key created this case. */
  replayed: boolean;
  /** For a repeat of an open case: that case, how it matched, and its repeat count including this contact. */
  duplicateOf?: { caseNo: string; matchedBy: string; repeatCount: number };
}

export interface CaseView {
  caseNo: string;
  workflowId: string;
  intakeStatus: 'received' | 'started';
  receivedAt: Date;
  record: CaseEntity | null;
  workflow: { status: string; state: CaseSnapshot | null; error?: string } | null;
}

/**
 * Intake of citizen requests: stores each submission first, then has {@link IntakeStarter} start its case workflow
 * (admission control: a bounded queue of starts, fed from the stored rows). The stored row makes a retried POST
 * idempotent and guarantees that nothing submitted is lost while Temporal is unreachable or behind.
 */
@Injectable()
export class CaseService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CaseService.name);
  private retryTimer?: NodeJS.Timeout;
  /** Problems of each published version's catalogue with a loaded tree: checked once per tree load, not per request. */
  private readonly catalogueProblems = new WeakMap<OrgTree, Map<string, string[]>>();
  /**
   * Submissions under way in this process, by idempotency key: a concurrent POST with the same key waits for the
   * first and answers the same (replayed) instead of racing it for a case number and a workflow start.
   */
  private readonly inFlight = new Map<string, { hash: string; result: Promise<IntakeResult> }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly client: Client,
    private readonly starter: IntakeStarter,
    private readonly repeats: RepeatContactService,
    private readonly rules: RulesService,
    private readonly trees: OrgTreeSource,
    private readonly bound: TemporalBound,
    private readonly scope: CaseScope,
  ) {}

  onApplicationBootstrap(): void {
    // Stored submissions are started by IntakeStarter; repeats stored while Temporal was unreachable are told here.
    let retrying: Promise<void> | undefined;
    const retry = () => {
      retrying ??= this.repeats
        .signalPending()
        .catch((error: unknown) => this.logger.warn(`pending repeat signals failed: ${String(error)}`))
        .finally(() => (retrying = undefined));
    };
    retry();
    this.retryTimer = setInterval(retry, INTAKE_RETRY_MS);
    this.retryTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.retryTimer);
  }

  /**
   * Stores a submission under its idempotency key (a fresh one when the client gave none) and starts its case.
   * Concurrent submissions with one key in this process are answered by the first one's result (replayed), so they
   * make one case, one workflow and use one case number; across API instances the stored row decides (ADR 0004).
   */
  async submit(
    submission: CaseSubmission,
    idempotencyKey: string | undefined,
    now: Date,
    filer?: Actor,
  ): Promise<IntakeResult> {
    const key = idempotencyKey ?? randomUUID();
    const hash = requestHash(submission);
    const running = this.inFlight.get(key);
    if (running) {
      const result = await running.result;
      if (running.hash !== hash) throw keyReused(key, result.caseNo);
      return { ...result, replayed: true };
    }
    const result = this.submitOnce(submission, key, hash, now, filer);
    this.inFlight.set(key, { hash, result });
    try {
      return await result;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async submitOnce(
    submission: CaseSubmission,
    key: string,
    requestHash: string,
    now: Date,
    filer: Actor | undefined,
  ): Promise<IntakeResult> {
    const repository = this.dataSource.getRepository(IntakeRequestEntity);
    // Independent reads run together (under load each await is a trip through a busy event loop): the routing check,
    // whether the key is known (a retried POST answers as the first did: a stored case, or a stored repeat of an open
    // case) and the open case this request may repeat. Nothing is stored unless the routing check passed.
    // Emergencies and inadmissible matters are recorded as their own cases, never folded into an open one.
    const mayRepeat = !submission.intake?.emergencyType && !submission.intake?.inadmissibleReason;
    const [routable, known, storedRepeat, openDuplicate] = await Promise.all([
      this.checkRoutable(submission, filer),
      repository.findOneBy({ idempotencyKey: key }),
      this.repeats.findByKey(key),
      mayRepeat ? this.repeats.findOpenDuplicate(submission) : Promise.resolve(undefined),
    ]);
    const knownRepeat = known ? undefined : storedRepeat;
    if (knownRepeat) {
      if (knownRepeat.requestHash !== requestHash) throw keyReused(key, knownRepeat.caseNo);
      const { caseNo, matchedBy, repeatCount } = knownRepeat;
      return { ...linked(caseNo, true), duplicateOf: { caseNo, matchedBy, repeatCount } };
    }
    const duplicate = known ? undefined : openDuplicate;
    if (duplicate?.action === 'report-progress') {
      const repeatCount = await this.repeats.countRepeat(duplicate, {
        idempotencyKey: key,
        requestHash,
        submission,
        receivedAt: now,
      });
      const openCaseNo = duplicate.openCase.caseNo;
      await this.repeats.signal(openCaseNo, repeatOf(repeatCount, duplicate.matchedBy), key);
      return {
        ...linked(openCaseNo, false),
        duplicateOf: { caseNo: openCaseNo, matchedBy: duplicate.matchedBy, repeatCount },
      };
    }
    const filed: CaseSubmission = filer
      ? { ...routable, filedBy: { userId: filer.userId, role: filer.role, unitId: filer.unitId } }
      : routable;
    const stored: CaseSubmission = duplicate ? { ...filed, linkedTo: duplicate.openCase.caseNo } : filed;

    // A known key takes no new case number: only a first submission draws one (another API instance racing this one
    // may still draw one that the conflict then leaves unused).
    const inserted = known ? undefined : await this.insertRequest(key, requestHash, stored, now);
    const replayed = !inserted;
    const request = known ?? inserted ?? (await repository.findOneByOrFail({ idempotencyKey: key }));
    if (replayed && request.requestHash !== requestHash) throw keyReused(key, request.caseNo);
    // Started within a short bound when the starter has room; otherwise 'received' (202) and started from the queue.
    const status = await this.starter.admit(request);
    if (!duplicate || replayed)
      return { caseNo: request.caseNo, workflowId: caseWorkflowId(request.caseNo), status, replayed };
    // A duplicate with new facts: a new case, linked to the open one, which counts the repeat too.
    const openCaseNo = duplicate.openCase.caseNo;
    const repeatCount = await this.repeats.countRepeat(duplicate);
    await this.repeats.signal(openCaseNo, repeatOf(repeatCount, duplicate.matchedBy, request.caseNo));
    return {
      caseNo: request.caseNo,
      workflowId: caseWorkflowId(request.caseNo),
      status,
      replayed,
      duplicateOf: { caseNo: openCaseNo, matchedBy: duplicate.matchedBy, repeatCount },
    };
  }

  /**
   * Stores a first submission under a new case number, in one round trip (intake's hot path); answers the stored
   * row, or nothing when the key was stored meanwhile. The number is {@link formatCaseNo}'s: the China-time date, then
   * the serial padded to at least 6 digits.
   */
  private async insertRequest(
    key: string,
    requestHash: string,
    stored: CaseSubmission,
    now: Date,
  ): Promise<IntakeRequestEntity | undefined> {
    const day = formatCaseNo(now, 0).slice(0, 8);
    const rows = (await this.dataSource.query(
      `WITH serial AS (SELECT nextval('case_no_seq')::text AS n)
       INSERT INTO intake_requests (idempotency_key, case_no, request_hash, payload, status, received_at)
       SELECT $1, $2 || repeat('0', greatest(0, 6 - length(n))) || n, $3, $4, 'received', $5 FROM serial
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key, case_no, request_hash, payload, status, received_at, started_at`,
      [key, day, requestHash, JSON.stringify(stored), now],
    )) as Array<{
      idempotency_key: string;
      case_no: string;
      request_hash: string;
      payload: CaseSubmission;
      status: IntakeRequestEntity['status'];
      received_at: Date;
      started_at: Date | null;
    }>;
    const row = rows[0];
    if (!row) return undefined;
    return Object.assign(new IntakeRequestEntity(), {
      idempotencyKey: row.idempotency_key,
      caseNo: row.case_no,
      requestHash: row.request_hash,
      payload: row.payload,
      status: row.status,
      receivedAt: row.received_at,
      startedAt: row.started_at,
    });
  }

  /** The case row, the stored submission's state and the workflow's live state (a Query). */
  async find(caseNo: string, actor?: Actor): Promise<CaseView> {
    const request = await this.dataSource.getRepository(IntakeRequestEntity).findOneBy({ caseNo });
    if (!request) throw caseNotFound(caseNo);
    const record = await this.dataSource.getRepository(CaseEntity).findOneBy({ caseNo });
    // Another unit's case answers as an unknown one: nothing tells an outsider that the number exists.
    if (actor && !(await this.scope.mayRead(caseNo, record, actor))) throw caseNotFound(caseNo);
    const workflowId = caseWorkflowId(caseNo);
    return {
      caseNo,
      workflowId,
      intakeStatus: request.status,
      receivedAt: request.receivedAt,
      record,
      workflow: request.status === 'started' ? await this.workflowState(workflowId) : null,
    };
  }

  /**
   * The citizen's contact details unmasked: for the operator calling the citizen back while the case awaits it (or,
   * closed, its audit call-back), and
   * for the lead unit's handlers while they contact the citizen and handle the case ({@link citizenContactAccess}).
   * Each access is logged (who, which case, why; never the details themselves).
   */
  async citizenContact(caseNo: string, actor: Actor): Promise<{ name: string | null; phone: string | null }> {
    const record = await this.dataSource.getRepository(CaseEntity).findOneBy({ caseNo });
    if (!record) throw caseNotFound(caseNo);
    // Scope before state: a case the caller may not see answers as an unknown one, whatever its stage.
    const outOfScope =
      actor.role === 'operator'
        ? Boolean(commandScopeProblem(await this.trees.currentIfStored(), actor, caseNo, record.districtId))
        : !(await this.scope.mayRead(caseNo, record, actor));
    if (outOfScope) throw caseNotFound(caseNo);
    // A closed case drawn for an audit call-back (民意访评): the centre calls the citizen again while its task is open.
    const auditPending =
      actor.role === 'operator' &&
      record.phase === 'closed' &&
      (
        (await this.dataSource.query(
          `SELECT 1 FROM tasks WHERE case_no = $1 AND step = 'audit-callback' AND status <> 'closed' LIMIT 1`,
          [caseNo],
        )) as unknown[]
      ).length > 0;
    const purpose = citizenContactAccess(caseNo, record, actor, auditPending);
    this.logger.log(`citizen contact of case ${caseNo} shown to ${actor.userId} (${actor.unitId}) for ${purpose}`);
    return { name: record.citizenName, phone: record.citizenPhone };
  }

  private async workflowState(workflowId: string): Promise<CaseView['workflow']> {
    const handle = this.client.workflow.getHandle(workflowId);
    try {
      const description = await this.bound.run(`case ${workflowId}`, () => handle.describe());
      try {
        return {
          status: description.status.name,
          state: await this.bound.run(`state of ${workflowId}`, () => handle.query(caseStateQuery)),
        };
      } catch (error) {
        return {
          status: description.status.name,
          state: null,
          error: `state unavailable: ${(error as Error).message}`,
        };
      }
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { status: 'NOT_FOUND', state: null };
      return { status: 'UNKNOWN', state: null, error: `Temporal unavailable: ${(error as Error).message}` };
    }
  }

  /**
   * Refuses, before anything is stored, a request the case's routing catalogue cannot dispatch: an unknown category,
   * a kind the category does not take, or a place that is not in the stored org tree. The catalogue is the one of
   * the version the case will pin (its district's, else the city's), or, while none is
   * published, the stored catalogue.
   * A patrol finding (a category flagged `patrol`) is refused unless a grid worker files it from their own grid
   * (`patrolProblem`); `filer` is the authenticated caller, undefined for an anonymous one. Answers the submission
   * with its place completed through the tree (a grid alone gives its community, street and district), so that the
   * version of the place's district governs it and the case's record knows its district.
   * @throws ApiError ValidationFailed (400) naming the field; Internal (500) when no tree or catalogue is stored, or
   *   when the catalogue names units the stored tree no longer has (the request is fine: the configuration is not).
   */
  private async checkRoutable(received: CaseSubmission, filer: Actor | undefined): Promise<CaseSubmission> {
    const tree = await this.trees.currentIfStored();
    if (!tree) throw new ApiError(ApiErrorCode.Internal, 'No org tree is stored: import a city before taking requests');
    const submission = { ...received, place: completePlace(tree, received.place) };
    const catalogue = await this.intakeCatalogue(submission, tree);
    try {
      evaluateRoute(catalogue, tree, factsOf(submission));
    } catch (error) {
      if (!(error instanceof RoutingError) && !(error instanceof OrgError)) throw error;
      const field = ROUTING_FIELD[error.code] ?? 'place';
      throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [
        { field, rule: error.code, message: error.message },
      ]);
    }
    const patrol = patrolProblem(getCategory(catalogue, submission.category), submission, filer);
    if (patrol) throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', [patrol]);
    return submission;
  }

  /** The routing catalogue a new case at the submission's place is checked by, fit for the stored tree. */
  private async intakeCatalogue(submission: CaseSubmission, tree: OrgTree): Promise<RoutingCatalogue> {
    let published: PublishedDefinition | undefined;
    try {
      published = await this.rules.publishedFor({ districtId: submission.place?.districtId });
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    if (!published) {
      // loadCurrentCatalogue validates what it reads against the tree.
      const stored = await loadCurrentCatalogue(this.dataSource.manager, tree);
      if (stored) return stored;
      throw new ApiError(
        ApiErrorCode.Internal,
        'No routing catalogue is stored and no process definition is published: requests cannot be routed',
      );
    }
    const checked = this.catalogueProblems.get(tree) ?? new Map<string, string[]>();
    this.catalogueProblems.set(tree, checked);
    const problems = checked.get(published.label) ?? validateRoutingCatalogue(published.definition.routing, tree);
    checked.set(published.label, problems);
    if (problems.length > 0) {
      throw new ApiError(
        ApiErrorCode.Internal,
        `The routing catalogue of ${published.label} does not fit the stored org tree: ${problems.join('; ')}`,
      );
    }
    return published.definition.routing;
  }

  /** Starts the workflows of stored submissions not started yet (oldest first); answers how many started. */
  startPending(): Promise<number> {
    return this.starter.startStored();
  }
}

/**
 * The place with the coarser units its ids determine filled in (a grid gives its community, street and district);
 * as given when it names nothing or does not resolve (routing then says why).
 */
function completePlace(tree: OrgTree, place: CaseSubmission['place']): CaseSubmission['place'] {
  if (!place || isEmptyPlaceQuery(place)) return place;
  try {
    const resolved = resolvePlace(tree, place);
    return {
      ...place,
      ...(resolved.grid ? { gridId: resolved.grid.id } : {}),
      ...(resolved.community ? { communityId: resolved.community.id } : {}),
      ...(resolved.street ? { streetId: resolved.street.id } : {}),
      districtId: resolved.district.id,
    };
  } catch (error) {
    if (error instanceof OrgError) return place;
    throw error;
  }
}

function keyReused(key: string, caseNo: string): ApiError {
  return new ApiError(
    ApiErrorCode.IdempotencyKeyReused,
    `Idempotency-Key ${key} was already used for case ${caseNo} with a different request body`,
    [{ field: 'Idempotency-Key', rule: 'sameBody', message: 'a retried request must repeat the same body' }],
  );
}

function linked(caseNo: string, replayed: boolean): IntakeResult {
  return { caseNo, workflowId: caseWorkflowId(caseNo), status: 'linked', replayed };
}

const ROUTING_FIELD: Record<string, string> = {
  'unknown-category': 'category',
  'kind-not-applicable': 'kind',
  'place-required': 'place',
  'unknown-unit': 'place',
  'wrong-kind': 'place',
  'place-unresolved': 'place',
  'place-inconsistent': 'place',
};
