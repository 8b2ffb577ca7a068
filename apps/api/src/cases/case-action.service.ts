import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Client,
  ServiceError,
  WorkflowFailedError,
  WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, UpdateDefinition } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { caseWorkflowId } from '../../../../libs/domain/src/case/case.types';
import { ancestorsOf, findUnit } from '../../../../libs/domain/src/org/org-tree';
import type { OrgTree } from '../../../../libs/domain/src/org/org.types';
import { caseActionProblems, whistleActionProblems } from '../../../../libs/domain/src/lifecycle/action-problems';
import type { Actor, CaseAction, LifecycleRules } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { toLifecycleRules } from '../../../../libs/domain/src/rules';
import type { WhistleAction } from '../../../../libs/domain/src/whistle/whistle.types';
import {
  ACTION_REFUSED,
  CASE_ACTION_UPDATES,
  CaseActionRequest,
  CaseSnapshot,
} from '../../../../workflows/complaint-case/messages';
import {
  WHISTLE_ACTION_UPDATES,
  WhistleActionRequest,
  whistleRoundWorkflowId,
  WhistleRoundState,
} from '../../../../workflows/whistle-round/messages';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { ApiError, ApiErrorCode, FieldProblem } from '../common/api-error';
import { RulesService } from '../rules/rules.service';
import { isTemporalUnreachable, TemporalBound, TemporalTimeoutError } from '../temporal/temporal-bound';
import { ActionAnswer, ActionRequestStore, requestHash } from './action-idempotency';
import { CaseScope } from './case-scope';
import { commandDistrictOf, commandScopeProblem } from './command-scope';

/** How a refusal code from a workflow validator reaches the client. */
const REFUSAL_STATUS: Record<string, ApiErrorCode> = {
  WrongState: ApiErrorCode.ActionRefused,
  DeadlinePassed: ApiErrorCode.ActionRefused,
  LimitReached: ApiErrorCode.ActionRefused,
  WrongUnit: ApiErrorCode.ActionForbidden,
  WrongRole: ApiErrorCode.ActionForbidden,
  InvalidArgument: ApiErrorCode.ValidationFailed,
};

/**
 * Case actions: each one is the matching Update on the case workflow (or on one of its whistle rounds), with the
 * actor from the token. The workflow's validator decides; a refusal comes back as 409 (stale, repeated, too late,
 * at a limit), 403 (another unit's or role's action) or 400 (bad argument), and changes nothing.
 *
 * With an `Idempotency-Key`, the key is the Update's id and is recorded with a hash of the request
 * ({@link ActionRequestStore}): a retry answers the first answer (replayed), even once the case has moved on; the
 * same key with another request is refused (422). Every call waits at most {@link TemporalBound}: past it, 503.
 */
@Injectable()
export class CaseActionService {
  private readonly requests: ActionRequestStore;
  /** The lifecycle rules of each pinned version label read so far (see {@link pinnedRules}). */
  private readonly rulesByLabel = new Map<string, Promise<LifecycleRules | undefined>>();

  constructor(
    private readonly client: Client,
    private readonly trees: OrgTreeSource,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bound: TemporalBound,
    private readonly scope: CaseScope,
    private readonly rules: RulesService,
  ) {
    this.requests = new ActionRequestStore(dataSource);
  }

  /** Sends `action` to the case; returns the case state after it. */
  async act(caseNo: string, action: CaseAction, actor: Actor): Promise<CaseSnapshot> {
    return (await this.perform(caseNo, action, actor)).state;
  }

  /** Sends `action` to the case, once per `idempotencyKey`; answers the case state after it. */
  async perform(
    caseNo: string,
    action: CaseAction,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<ActionAnswer<CaseSnapshot>> {
    // Scope before state: a case the caller may not see is a 404, before its stage or the action is looked at.
    const { record } = await this.scope.require(caseNo, actor);
    const tree = await this.trees.current();
    // Every problem with the arguments at once, each naming its field, before the case is asked.
    const rules = await this.pinnedRules(record?.rulesVersion);
    refuseProblems([
      ...unitProblems(action, tree, actor, rules),
      ...caseActionProblems(action, { actorUnitId: actor.unitId, actorUnitKind: actor.unitKind, rules }),
    ]);
    await this.checkCommandScope(caseNo, actor, tree);
    const handle = this.client.workflow.getHandle(caseWorkflowId(caseNo));
    // One Update per action type; the request's action type always matches the Update's (the validator checks it).
    const update = CASE_ACTION_UPDATES[action.type] as UpdateDefinition<CaseSnapshot, [CaseActionRequest]>;
    return this.execute(caseNo, handle, update, { actor, action }, idempotencyKey);
  }

  /** Sends `action` to whistle round `round` of the case; returns the round's state after it. */
  async actOnWhistle(caseNo: string, round: number, action: WhistleAction, actor: Actor): Promise<WhistleRoundState> {
    return (await this.performOnWhistle(caseNo, round, action, actor)).state;
  }

  /** Sends `action` to whistle round `round` of the case, once per `idempotencyKey`; answers the round's state. */
  async performOnWhistle(
    caseNo: string,
    round: number,
    action: WhistleAction,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<ActionAnswer<WhistleRoundState>> {
    await this.scope.require(caseNo, actor);
    refuseProblems(whistleActionProblems(action));
    await this.checkCommandScope(caseNo, actor, await this.trees.current());
    const handle = this.client.workflow.getHandle(whistleRoundWorkflowId(caseNo, round));
    const update = WHISTLE_ACTION_UPDATES[action.type] as UpdateDefinition<WhistleRoundState, [WhistleActionRequest]>;
    return this.execute(`${caseNo} whistle round ${round}`, handle, update, { actor, action }, idempotencyKey);
  }

  /**
   * The stored answer of a keyed action already applied, without asking the workflow (a task action retried after
   * its task closed); `undefined` when the key has no answer yet.
   * @throws ApiError IdempotencyKeyReused (422) when the key was used with another request.
   */
  async storedAnswer(
    target: { caseNo: string; round?: number },
    action: CaseAction | WhistleAction,
    actor: Actor,
    idempotencyKey: string,
  ): Promise<ActionAnswer<CaseSnapshot | WhistleRoundState> | undefined> {
    const { caseNo, round } = target;
    const workflowId = round === undefined ? caseWorkflowId(caseNo) : whistleRoundWorkflowId(caseNo, round);
    const updates: Record<string, { name: string }> =
      round === undefined ? CASE_ACTION_UPDATES : WHISTLE_ACTION_UPDATES;
    const hash = requestHash({ update: updates[action.type].name, actor, action });
    const claim = await this.requests.find<CaseSnapshot | WhistleRoundState>(workflowId, idempotencyKey, hash);
    return claim?.response === undefined ? undefined : new ActionAnswer(claim.response, true);
  }

  /**
   * The lifecycle rules of the process definition version a case is pinned to (versions never change once
   * published, so each is read once); `undefined` when the label is unknown (the checks it decides are left to the
   * case).
   */
  private async pinnedRules(label: string | undefined): Promise<LifecycleRules | undefined> {
    if (!label) return undefined;
    let rules = this.rulesByLabel.get(label);
    if (!rules) {
      rules = this.rules.version(label).then(
        (version) => toLifecycleRules(version.document),
        () => {
          this.rulesByLabel.delete(label); // not found, or the database is away: ask again next time
          return undefined;
        },
      );
      this.rulesByLabel.set(label, rules);
    }
    return rules;
  }

  /**
   * Two-level command: a district command centre's operator acts on the cases of their district only (the case row
   * says where the case is; without a row, the workflow answers).
   * @throws ApiError ActionForbidden (`WrongUnit`) for another district's case.
   */
  private async checkCommandScope(caseNo: string, actor: Actor, tree: OrgTree): Promise<void> {
    if (!commandDistrictOf(tree, actor)) return;
    const [row] = (await this.dataSource.query(`SELECT district_id FROM cases WHERE case_no = $1`, [caseNo])) as {
      district_id: string | null;
    }[];
    const problem = row && commandScopeProblem(tree, actor, caseNo, row.district_id);
    if (problem) throw new ApiError(ApiErrorCode.ActionForbidden, problem);
  }

  /**
   * Sends the Update, within the bound. With a key: a request already answered answers the stored answer; one sent
   * before whose answer was lost (a 503, a crash) is looked up by its Update id first, since Temporal may have
   * applied it since; a refused one is forgotten, so that a retry is a new attempt.
   */
  private async execute<T, R extends { actor: Actor; action: { type: string } }>(
    what: string,
    handle: WorkflowHandle,
    update: UpdateDefinition<T, [R]>,
    request: R,
    key: string | undefined,
  ): Promise<ActionAnswer<T>> {
    const send = (updateId?: string) =>
      this.call(
        what,
        handle,
        () => handle.executeUpdate(update, { args: [request], ...(updateId ? { updateId } : {}) }),
        request.action,
      );
    if (!key) return new ActionAnswer(await send(), false);
    const { actor, action } = request;
    const hash = requestHash({ update: update.name, actor, action });
    const claim = await this.requests.claim<T>(handle.workflowId, key, hash, action.type, actor.userId);
    if (!claim.fresh && claim.response !== undefined) return new ActionAnswer(claim.response, true);
    try {
      const earlier = claim.fresh ? undefined : await this.earlierOutcome<T>(what, handle, key);
      const state = earlier ? earlier.state : await send(key);
      await this.requests.applied(handle.workflowId, key, state);
      return new ActionAnswer(state, Boolean(earlier));
    } catch (error) {
      if (error instanceof ApiError && error.code !== ApiErrorCode.EngineUnavailable) {
        await this.requests.refused(handle.workflowId, key);
      }
      throw error;
    }
  }

  /**
   * The outcome of Update `updateId` if the workflow has it (applied by an earlier request whose answer was lost, or
   * in flight from a concurrent one); `undefined` if it never reached the workflow.
   */
  private async earlierOutcome<T>(
    what: string,
    handle: WorkflowHandle,
    updateId: string,
  ): Promise<{ state: T } | undefined> {
    try {
      return { state: await this.call(what, handle, () => handle.getUpdateHandle<T>(updateId).result()) };
    } catch (error) {
      if (error instanceof ApiError && error.code === ApiErrorCode.CaseNotFound) return undefined;
      throw error;
    }
  }

  /** Runs one call on the workflow within the bound, as an {@link ApiError} when it fails. */
  private async call<T>(
    what: string,
    handle: WorkflowHandle,
    call: () => Promise<T>,
    action?: { type: string },
  ): Promise<T> {
    try {
      return await this.bound.run(what, call);
    } catch (error) {
      if (error instanceof TemporalTimeoutError) {
        throw new ApiError(
          ApiErrorCode.EngineUnavailable,
          `${what} did not answer within ${error.boundMs / 1000} s (its worker or Temporal is unavailable). The ` +
            'action was not confirmed and may still be applied when the worker returns: retry with the same ' +
            'Idempotency-Key to learn its outcome',
        );
      }
      // An Update on a finished workflow reports it as not found: tell a closed case from an unknown one.
      if (error instanceof WorkflowNotFoundError) {
        const status = await this.bound
          .run(what, () => handle.describe())
          .then(
            (description) => description.status.name,
            () => undefined,
          );
        if (status && status !== 'RUNNING') {
          throw new ApiError(ApiErrorCode.CaseClosed, `${what} is closed (${status}); nothing more can be done on it`);
        }
      }
      throw toApiError(what, error, action);
    }
  }
}

/** Refuses the request with every problem at once (400), if there is any. */
function refuseProblems(problems: FieldProblem[]): void {
  if (problems.length) throw new ApiError(ApiErrorCode.ValidationFailed, 'The request is invalid', problems);
}

/**
 * Unit ids in an action must name units of the stored org tree, of the right kind (the workflow cannot look up). A
 * whistle summons departments, or, where the pinned rules have the whistler's kind answered by its street (社区吹哨、
 * 街道报到), the whistler's own street/township.
 */
function unitProblems(action: CaseAction, tree: OrgTree, actor: Actor, rules?: LifecycleRules): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (action.type === 'redispatch' && !findUnit(tree, action.leadUnitId)) {
    problems.push({
      field: 'leadUnitId',
      rule: 'unknownUnit',
      message: `no unit ${action.leadUnitId} in the org tree`,
    });
  }
  if (action.type === 'coordinate' && action.reassignTo && !findUnit(tree, action.reassignTo)) {
    problems.push({
      field: 'reassignTo',
      rule: 'unknownUnit',
      message: `no unit ${action.reassignTo} in the org tree`,
    });
  }
  if (action.type === 'whistle') problems.push(...summonedUnitProblems(action.departmentIds, tree, actor, rules));
  return problems;
}

/** Who a whistle may summon under the pinned rules: departments, or the whistling community's own street. */
function summonedUnitProblems(ids: string[], tree: OrgTree, actor: Actor, rules?: LifecycleRules): FieldProblem[] {
  const answeredBy = actor.unitKind ? rules?.whistle.answeredBy?.[actor.unitKind] : undefined;
  if (answeredBy === 'street') {
    const street = findUnit(tree, actor.unitId)
      ? ancestorsOf(tree, actor.unitId).find((unit) => unit.kind === 'street' || unit.kind === 'township')
      : undefined;
    return ids.flatMap((id, i) =>
      id === street?.id
        ? []
        : [
            {
              field: `departmentIds[${i}]`,
              rule: 'answeredBy',
              message: `a ${actor.unitKind} whistles its own street (${street?.id ?? 'none in the org tree'}), not ${id}`,
            },
          ],
    );
  }
  return ids.flatMap((id, i) =>
    findUnit(tree, id)?.kind === 'department'
      ? []
      : [{ field: `departmentIds[${i}]`, rule: 'department', message: `${id} is not a department` }],
  );
}

export function toApiError(what: string, error: unknown, action?: { type: string }): Error {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    if (failure.type === ACTION_REFUSED) {
      const [code, ...rest] = failure.message.split(': ');
      const message = rest.join(': ') || failure.message;
      const apiCode = REFUSAL_STATUS[code] ?? ApiErrorCode.ActionRefused;
      const details: FieldProblem[] =
        apiCode === ApiErrorCode.ValidationFailed
          ? [{ field: refusedField(message, action), rule: code, message }]
          : [];
      return new ApiError(apiCode, `${code}: ${message}`, details);
    }
  }
  if (error instanceof WorkflowNotFoundError) {
    return new ApiError(ApiErrorCode.CaseNotFound, `No running ${what}`);
  }
  const text = (error as Error)?.message ?? String(error);
  if (/already completed|workflow execution already completed/i.test(text) || error instanceof WorkflowFailedError) {
    return new ApiError(ApiErrorCode.CaseClosed, `${what} is closed; nothing more can be done on it`);
  }
  if (isTemporalUnreachable(error)) {
    return new ApiError(ApiErrorCode.EngineUnavailable, `The workflow engine did not answer; nothing was changed`);
  }
  // Any other failure of the gRPC call itself (e.g. an Update the server dropped while it restarted) is the engine's,
  // not a refusal: the action may or may not have been applied, and a retry with the same Idempotency-Key tells.
  if (error instanceof ServiceError) {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return new ApiError(
      ApiErrorCode.EngineUnavailable,
      `The workflow engine failed the call${typeof code === 'number' ? ` (gRPC status ${code})` : ''}; ` +
        `retry it with the same Idempotency-Key`,
    );
  }
  return error as Error;
}

/**
 * The body field a case's InvalidArgument refusal is about, for the few the API's own checks
 * ({@link caseActionProblems}) cannot decide before asking the case (a rung's actions, a suspension reason): the
 * field the message starts with when the action has such a field (`reasonId: pick one of …` → `reasonId`), else
 * `body`. Never a word of the message that is not a field.
 */
function refusedField(message: string, action: { type: string } | undefined): string {
  const [, name, index = ''] = /^([A-Za-z][A-Za-z0-9]*)(\[\d+\])?[ :]/.exec(message) ?? [];
  return name && name !== 'type' && action && Object.prototype.hasOwnProperty.call(action, name)
    ? `${name}${index}`
    : 'body';
}
