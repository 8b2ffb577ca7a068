import type { OpenTask } from '../lifecycle/open-tasks';
import type { WhistleRoundState } from './whistle.types';

/**
 * The human steps a whistle round waits on, for the task inbox: each summoned department's report (报到) until it
 * reports, then its result until it submits one (where the rules keep departments until the work is done, until the
 * whistler confirms it, with the whistler's confirmation task beside it), then the whistler's rating of it. Keys start
 * `<caseNo>:whistle-<round>:` so the round's tasks are told from the case's; a confirmation after n results were sent
 * back is `whistle-confirm-<n+1>`. Nothing once the round has ended.
 */
export function openWhistleTasks(state: WhistleRoundState): OpenTask[] {
  if (state.phase !== 'open') return [];
  const prefix = `${state.caseNo}:whistle-${state.round}:`;
  // The whistler's own tasks go to the role it whistled in (a command centre's operators, else handlers).
  const whistlerRole = state.whistler.role === 'operator' ? ('operator' as const) : ('handler' as const);
  return state.departments.flatMap((department): OpenTask[] => {
    const base = { role: 'handler' as const, reminded: false };
    if (!department.reportedAt) {
      const deadline = department.reportDeadline;
      return [
        {
          ...base,
          key: `${prefix}whistle-report:${department.departmentId}`,
          step: 'whistle-report',
          unitId: department.departmentId,
          dueAt: deadline?.due,
          reminderAt: deadline?.reminderAt,
          reminded: deadline?.reminded === true,
          overdue: department.escalated,
        },
      ];
    }
    if (!department.resultAt) {
      return [
        {
          ...base,
          key: `${prefix}whistle-result:${department.departmentId}`,
          step: 'whistle-result',
          unitId: department.departmentId,
          dueAt: state.resultDeadline.due,
          overdue: department.overdue,
        },
      ];
    }
    if (!department.confirmedAt && state.stayUntilDone) {
      // 事不完、人不撤: the department's result task stays open until the whistler confirms the work done.
      return [
        {
          ...base,
          key: `${prefix}whistle-result:${department.departmentId}`,
          step: 'whistle-result',
          unitId: department.departmentId,
          dueAt: state.resultDeadline.due,
          overdue: department.overdue,
        },
        {
          ...base,
          // A task once closed is never reopened: each result sent back gets a confirmation task of its own.
          key: `${prefix}whistle-confirm${department.rejections ? `-${department.rejections + 1}` : ''}:${department.departmentId}`,
          step: 'whistle-confirm',
          unitId: state.whistler.unitId,
          role: whistlerRole,
          overdue: false,
        },
      ];
    }
    if (!department.rating) {
      return [
        {
          ...base,
          key: `${prefix}whistle-rating:${department.departmentId}`,
          step: 'whistle-rating',
          unitId: state.whistler.unitId,
          role: whistlerRole,
          overdue: false,
        },
      ];
    }
    return [];
  });
}
