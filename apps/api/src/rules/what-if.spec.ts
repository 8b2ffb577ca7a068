import { buildDefaultCalendar } from '../../../../libs/persistence/src/calendar/calendar-source';
import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { ProcessDefinition } from '../../../../libs/domain/src/rules';
import { BEIJING_DEFINITION } from '../../../../libs/persistence/src/seed/demo-presets';
import { addToTotals, compareCase, emptyTotals, RecordedCase } from './what-if';

/** `beijing` with the street rung shortened to 2WD and noise complaints handled in 5WD instead of 7WD. */
function draft(change: (doc: Mutable) => void = () => undefined): ProcessDefinition {
  const doc = JSON.parse(JSON.stringify(BEIJING_DEFINITION)) as Mutable;
  doc.lifecycle.ladder.rungs.find((rung) => rung.id === 'street')!.deadline = '2WD';
  doc.routing.categories.find((category) => category.id === 'noise-nuisance')!.deadlines.normal.handle = '5WD';
  change(doc);
  return doc as unknown as ProcessDefinition;
}
type Mutable = {
  lifecycle: { ladder: { rungs: { id: string; deadline?: string }[] } };
  routing: {
    categories: { id: string; handler: string; deadlines: Record<string, { sign: string; handle: string }> }[];
  };
};

const context = { tree: DEMO_CITY, calendar: buildDefaultCalendar(), now: '2026-12-20T00:00:00.000Z' };
const place = { communityId: 'c-songtao', streetId: 's-yinxing', districtId: 'd-xishan' };
// Monday 2 November 2026, 10:00 in Beijing.
const MONDAY = '2026-11-02T02:00:00.000Z';

function recorded(overrides: Partial<RecordedCase> = {}): RecordedCase {
  return {
    caseNo: 'c1',
    rulesVersion: 'beijing@1',
    facts: { kind: 'complaint', category: 'garbage-sorting', urgency: 'normal', place },
    dispatchedAt: MONDAY,
    signedAt: '2026-11-02T05:00:00.000Z',
    contactedAt: '2026-11-02T06:00:00.000Z',
    escalations: [],
    ...overrides,
  };
}

describe('compareCase (what-if of one recorded case)', () => {
  it('should predict an earlier climb from the street committee when its rung deadline is shortened', () => {
    const comparison = compareCase(
      recorded({
        escalations: [
          // 7WD after dispatch, then 3WD on the community rung, then the street rung.
          { level: 'community', at: '2026-11-11T10:00:00.000Z', byDeadline: true },
          { level: 'street', at: '2026-11-16T10:00:00.000Z', byDeadline: true },
          { level: 'district', at: '2026-11-23T10:00:00.000Z', byDeadline: true },
        ],
      }),
      BEIJING_DEFINITION,
      draft(),
      context,
    );
    expect(comparison.differs).toBe(true);
    expect(comparison.deadlines).toEqual([
      {
        deadline: 'street',
        from: '2026-11-16T10:00:00.000Z',
        before: { duration: '5WD', due: '2026-11-23T10:00:00.000Z' },
        after: { duration: '2WD', due: '2026-11-18T10:00:00.000Z' },
        shiftMs: -5 * 24 * 3600_000,
      },
    ]);
    expect(comparison.escalation).toEqual({
      stage: 'street',
      verdict: 'sooner',
      actual: '2026-11-23T10:00:00.000Z',
      predicted: '2026-11-18T10:00:00.000Z',
      byMs: 5 * 24 * 3600_000,
    });
  });

  it('should find nothing to report for a case the draft does not touch', () => {
    const comparison = compareCase(
      recorded({ escalations: [{ level: 'community', at: '2026-11-11T10:00:00.000Z', byDeadline: true }] }),
      BEIJING_DEFINITION,
      draft(),
      context,
    );
    expect(comparison).toMatchObject({ differs: false, deadlines: [], responseBefore: 'on-time' });
    expect(comparison.escalation).toBeUndefined();
  });

  it('should say a case replied on day 6 would newly climb under a 5-working-day handling limit', () => {
    const comparison = compareCase(
      recorded({
        facts: { kind: 'complaint', category: 'noise-nuisance', urgency: 'normal', place },
        resolvedAt: '2026-11-10T02:00:00.000Z',
      }),
      BEIJING_DEFINITION,
      draft(),
      context,
    );
    expect(comparison.escalation).toMatchObject({
      stage: 'handle',
      verdict: 'newly',
      predicted: '2026-11-09T10:00:00.000Z',
      byMs: 16 * 3600_000,
    });
  });

  it("should move an open case's running handling deadline", () => {
    const comparison = compareCase(
      recorded({ facts: { kind: 'complaint', category: 'noise-nuisance', urgency: 'normal', place } }),
      BEIJING_DEFINITION,
      draft(),
      { ...context, now: '2026-11-03T00:00:00.000Z' },
    );
    expect(comparison.escalation).toMatchObject({
      stage: 'handle',
      verdict: 'sooner',
      actual: '2026-11-11T10:00:00.000Z',
      predicted: '2026-11-09T10:00:00.000Z',
    });
  });

  it('should report a new lead unit and a response that becomes late under a shorter sign limit', () => {
    const comparison = compareCase(
      recorded({ signedAt: '2026-11-02T08:00:00.000Z' }),
      BEIJING_DEFINITION,
      draft((doc) => {
        const category = doc.routing.categories.find((candidate) => candidate.id === 'garbage-sorting')!;
        category.handler = 'dept-city-management';
        category.deadlines.normal.sign = 'PT2H';
      }),
      context,
    );
    expect(comparison.routing).toEqual({
      before: expect.objectContaining({ mode: 'direct-to-street', leadUnitId: 's-yinxing' }),
      after: expect.objectContaining({ mode: 'department', leadUnitId: 'dept-city-management' }),
    });
    expect(comparison.response).toEqual({ before: 'on-time', after: 'late' });
    const totals = emptyTotals();
    addToTotals(totals, comparison);
    expect(totals).toMatchObject({
      cases: 1,
      differing: 1,
      routingChanged: 1,
      responseOnTime: { before: 1, after: 0 },
    });
  });

  it('should leave a case that was never dispatched out of the deadlines', () => {
    const comparison = compareCase(recorded({ dispatchedAt: undefined }), BEIJING_DEFINITION, draft(), context);
    expect(comparison).toMatchObject({ differs: false, responseBefore: 'not-dispatched', deadlines: [] });
  });
});
