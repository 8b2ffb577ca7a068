import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { INHERITED_DEADLINE, WhistleRound } from '../../libs/domain/src/whistle/whistle-round';
import type { WhistleDeadlineRequest, WhistleRoundResult } from '../../libs/domain/src/whistle/whistle.types';
import { ACTION_REFUSED, resolveIncidentSignal, retryIncidentsSignal } from '../complaint-case/messages';
import {
  closeWhistleRoundSignal,
  moveWhistleResultDueSignal,
  WHISTLE_ACTION_UPDATES,
  WhistleActionRequest,
  WhistleRoundInput,
  whistleRoundQuery,
} from './messages';
import { roundActivities as activities, RoundMirror } from './round-mirror';

const refuse = (code: string, message: string): never => {
  throw ApplicationFailure.nonRetryable(`${code}: ${message}`, ACTION_REFUSED);
};

/**
 * One whistle round of a case (街乡吹哨、部门报到), started by the case as a child workflow with id
 * `case-<caseNo>-whistle-<round>`: enacts the {@link WhistleRound} — each department's report, result and the
 * whistler's rating an Update with a validator, each report limit a durable timer stamped on the working-day calendar
 * (a department that misses it is escalated), the case's handling deadline the result deadline — mirrors every event
 * into the `whistle-<round>` stream, and returns the outcome per department once every department has been rated,
 * or when the case closes the round early with {@link closeWhistleRoundSignal}.
 *
 * An input the round refuses (see `WhistleRound.validateOpening`) fails the workflow with a `CaseActionRefused`
 * error whose message starts with the refusal code; the case should validate before it starts the round.
 */
export async function whistleRound(input: WhistleRoundInput): Promise<WhistleRoundResult> {
  const now = () => new Date().toISOString();
  /** Rounds started before the inbox knew whistle steps mirror only their events. */
  const withTasks = patched('whistle-tasks');
  const openedAt = input.startedAt ?? now();
  const refusal = WhistleRound.validateOpening(input.rules, input, openedAt);
  if (refusal) refuse(refusal.code, refusal.message);
  const { round, requests } = WhistleRound.open(input.rules, input, openedAt);
  let version = 0;
  const mirror = new RoundMirror(input.caseNo, input.round, round, withTasks);
  const sync = (updateId?: string): Promise<void> => mirror.sync(updateId);

  /** Stamps deadlines on the calendar (in parallel: they are independent) and hands them to the round in order. */
  const stamp = async (deadlines: WhistleDeadlineRequest[]) => {
    const { reminderFraction } = input;
    const entries = await Promise.all(
      deadlines.map(({ kind, duration, from }) => activities.stampDeadline({ kind, duration, from, reminderFraction })),
    );
    entries.forEach((entry, i) => round.setDeadline(entry, deadlines[i].departmentId));
  };

  setHandler(whistleRoundQuery, () => round.state);
  for (const [type, update] of Object.entries(WHISTLE_ACTION_UPDATES)) {
    setHandler(
      update,
      async (request: WhistleActionRequest) => {
        const deadlines = round.apply(request.action, request.actor, now());
        version += 1;
        await stamp(deadlines);
        await sync(currentUpdateInfo()?.id);
        return round.state;
      },
      {
        validator: (request: WhistleActionRequest) => {
          if (!request?.actor || request.action?.type !== type) {
            refuse('InvalidArgument', `the ${update.name} update takes { actor, action: { type: '${type}', … } }`);
          }
          const refused = round.validate(request.action, request.actor, now());
          if (refused) refuse(refused.code, refused.message);
        },
      },
    );
  }
  // Sent by the API for an incident of this round (its workflow id is the round's): retry after a fix, or drop.
  setHandler(retryIncidentsSignal, () => void mirror.retryFailed());
  setHandler(resolveIncidentSignal, ({ key }) => mirror.dropFailed(key));
  // A signal, not an Update: the case tells the round it is over; nothing about it can be refused.
  setHandler(closeWhistleRoundSignal, (request) => {
    if (round.close(request?.reason ?? '', now())) version += 1;
  });
  setHandler(moveWhistleResultDueSignal, (request) => {
    const due = Date.parse(request?.resultDue ?? '');
    if (round.state.phase !== 'open' || Number.isNaN(due)) return;
    round.setDeadline({
      kind: 'whistle-result',
      ...INHERITED_DEADLINE,
      from: now(),
      due: new Date(due).toISOString(),
      appliedDays: [],
    });
    version += 1;
    void sync();
  });

  await stamp(requests);
  await sync();

  while (round.state.phase === 'open') {
    const timer = round.nextTimer();
    const seen = version;
    const woken = () => version !== seen || round.state.phase !== 'open';
    const acted = timer
      ? await condition(woken, Math.max(1, Date.parse(timer.at) - Date.now()))
      : await condition(woken).then(() => true);
    if (!acted && timer) {
      // Departments summoned together share one report deadline: fire every timer that is due, then mirror once.
      // Each fired timer changes the round (a reminder is sent once, a deadline acted on once), so this ends.
      for (let due: typeof timer | undefined = timer; due && due.at <= now(); due = round.nextTimer()) {
        await stamp(round.onTimer(due, now()));
      }
      version += 1;
      await sync();
    }
  }
  await condition(allHandlersFinished);
  await sync();
  await mirror.settled();
  return round.result();
}
