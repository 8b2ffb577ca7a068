import { describe, expect, it } from 'vitest';
import type { CaseResponse } from '../api/views';
import { caseStages, ladder, nextDeadline, STAGES } from './case-process';

const view = {
  caseNo: '20261203000001',
  case: {
    leadUnitId: 's-hubin',
    deadlines: {
      sign: { due: '2026-12-04T10:00:00.000Z' },
      handle: { due: '2026-12-14T10:00:00.000Z' },
    },
  },
  workflow: {
    status: 'RUNNING',
    state: {
      lifecycle: { plan: { leadUnitId: 's-hubin', ladderUnits: { community: 'cc-c-xiyuan', street: 'cc-s-hubin' } } },
    },
  },
} as unknown as CaseResponse;

describe('case process', () => {
  it('should pick the soonest deadline still ahead', () => {
    expect(nextDeadline(view, new Date('2026-12-03T10:00:00Z'))?.kind).toBe('sign');
    expect(nextDeadline(view, new Date('2026-12-05T10:00:00Z'))?.kind).toBe('handle');
  });

  it('should climb the pinned ladder from the lead unit to the city', () => {
    expect(ladder(view)).toEqual([
      { level: 'none', unitId: 's-hubin' },
      { level: 'community', unitId: 'cc-c-xiyuan' },
      { level: 'street', unitId: 'cc-s-hubin' },
      { level: 'city', unitId: undefined },
    ]);
  });

  it('should show the accountability stage only for a case that entered it, before the close', () => {
    expect(caseStages(view)).toEqual([...STAGES]);
    const accountable = {
      ...view,
      workflow: { ...view.workflow, state: { ...view.workflow.state, stage: 'accountability', stages: [] } },
    } as unknown as CaseResponse;
    expect(caseStages(accountable).slice(-3)).toEqual(['awaiting-callback', 'accountability', 'closed']);
  });
});
