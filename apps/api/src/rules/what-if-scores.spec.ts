import { buildDefaultCalendar } from '../../../../libs/persistence/src/calendar/calendar-source';
import type { CaseOutcome } from '../../../../libs/domain/src/lifecycle/case-lifecycle';
import type { Satisfaction } from '../../../../libs/domain/src/lifecycle/lifecycle.types';
import { DEMO_CITY } from '../../../../libs/domain/src/org/demo-city';
import { ProcessDefinition } from '../../../../libs/domain/src/rules';
import { BEIJING_DEFINITION } from '../../../../libs/persistence/src/seed/demo-presets';
import { DEMO_CATALOGUE } from '../../../../libs/domain/src/routing/demo-catalogue';
import { DEFAULT_SCORING_POLICY, Rate, withCatalogueExclusions } from '../../../../libs/domain/src/scores';
import type { RecordedCase } from './what-if';
import {
  compareScores,
  MonthScoreChanges,
  recordedScoreFacts,
  ScoredCase,
  scoreFactsOf,
  scoringPolicyOf,
  UnitRef,
} from './what-if-scores';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `beijing`, changed. */
function definition(change: (doc: Json) => void = () => undefined): ProcessDefinition {
  const doc = JSON.parse(JSON.stringify(BEIJING_DEFINITION)) as Json;
  change(doc);
  return doc as ProcessDefinition;
}
const category = (doc: Json, id: string): Json => (doc.routing.categories as Json[]).find((c) => c.id === id)!;

const calendar = buildDefaultCalendar();
// Monday 2 November 2026, 10:00 in Beijing: every case is dispatched then, so all fall in 2026-11.
const MONDAY = '2026-11-02T02:00:00.000Z';
const AS_OF = '2026-12-20T00:00:00.000Z';
const hours = (h: number) => new Date(Date.parse(MONDAY) + h * 3600_000).toISOString();

interface Seed {
  caseNo: string;
  street: 's-yinxing' | 's-jintai';
  category?: string;
  rulesVersion?: string;
  /** Hours after dispatch; null: not yet. */
  sign: number | null;
  contact: number | null;
  callback?: readonly [solved: boolean, satisfaction: Satisfaction];
  outcome?: CaseOutcome;
}

/** A recorded case of 西山区 dispatched on {@link MONDAY} to its street, as the service loads it. */
function recorded(seed: Seed): RecordedCase {
  const category = seed.category ?? 'garbage-sorting';
  const rulesVersion = seed.rulesVersion ?? 'beijing@1';
  const at = (h: number | null) => (h === null ? undefined : hours(h));
  return {
    caseNo: seed.caseNo,
    rulesVersion,
    facts: { kind: 'complaint', category, urgency: 'normal', place: { streetId: seed.street, districtId: 'd-xishan' } },
    dispatchedAt: MONDAY,
    signedAt: at(seed.sign),
    contactedAt: at(seed.contact),
    escalations: [],
    scoring: {
      caseNo: seed.caseNo,
      kind: 'complaint',
      category,
      rulesVersion,
      receivedAt: hours(-1),
      firstDispatchedAt: MONDAY,
      leadUnitId: seed.street,
      leadUnitKind: 'street',
      streetId: seed.street,
      districtId: 'd-xishan',
      response: { dispatchedAt: MONDAY, signedAt: at(seed.sign), contactedAt: at(seed.contact) },
      callback: seed.callback && { solved: seed.callback[0], satisfaction: seed.callback[1], at: hours(96) },
      outcome: seed.outcome,
      repeatCount: 0,
    },
  };
}

/*
 * 银杏街道 (garbage sorting) and 金台街道 (noise), all rated cases of 西山区. Under beijing (weights 30/35/35, the
 * unreachable left out of the rated cases, sign 1WD, contact 24 h):
 * - s-yinxing: responded on time y1 y2 y4 (y3 contacted after 30 h) 3/4; solved y1 y2 y4 3/4; satisfied y1 y2 2/4;
 *   score 30 × 0.75 + 35 × 0.75 + 35 × 0.5 = 66.25;
 * - s-jintai: on time 3/3; rated j1 j2 (j3 closed unreachable), solved 1/2, satisfied 1/2; score 30 + 17.5 + 17.5 = 65;
 * - d-xishan (all seven): on time 6/7; solved 4/6; satisfied 3/6; score 30 × 6/7 + 35 × 4/6 + 35 × 0.5 = 66.55.
 */
const CASES: Seed[] = [
  { caseNo: 'y1', street: 's-yinxing', sign: 1, contact: 2, callback: [true, 'very-satisfied'], outcome: 'satisfied' },
  { caseNo: 'y2', street: 's-yinxing', sign: 3, contact: 4, callback: [true, 'satisfied'], outcome: 'satisfied' },
  {
    caseNo: 'y3',
    street: 's-yinxing',
    sign: 1,
    contact: 30,
    callback: [false, 'dissatisfied'],
    outcome: 'accountability',
  },
  {
    caseNo: 'y4',
    street: 's-yinxing',
    sign: 1,
    contact: 2,
    callback: [true, 'dissatisfied'],
    outcome: 'accountability',
  },
  ...(['j1', 'j2', 'j3'] as const).map((caseNo, i) => ({
    caseNo,
    street: 's-jintai' as const,
    category: 'noise-nuisance',
    sign: 1,
    contact: 2,
    callback: i === 1 ? ([false, 'dissatisfied'] as const) : ([true, 'satisfied'] as const),
    outcome: (['satisfied', 'accountability', 'unreachable'] as const)[i],
  })),
];

const rate = (numerator: number, denominator: number): Rate => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : numerator / denominator,
});
const Y: UnitRef = { unitId: 's-yinxing', unitKind: 'street' };
const J: UnitRef = { unitId: 's-jintai', unitKind: 'street' };
const D: UnitRef = { unitId: 'd-xishan', unitKind: 'district' };
const noBottomChange = { entering: [], leaving: [] };

/** Scores {@link CASES} (pinned to `pinned`) under the pinned version and under the draft. */
function compare(draft: ProcessDefinition, pinned = BEIJING_DEFINITION, seeds = CASES, asOf = AS_OF) {
  const scored = seeds.map((seed) => scoreFactsOf(recorded(seed), pinned, draft, calendar)!);
  return compareScores(scored, new Map([['beijing@1', pinned]]), draft, asOf);
}

describe('scoringPolicyOf (a definition scoring section as the policy computeScores takes)', () => {
  it("should give beijing's section the policy the monthly run uses", () => {
    // The default policy, plus what a definition states that the default leaves implicit: duplicates out, the
    // double assessment published without weight and without veto.
    expect(scoringPolicyOf(BEIJING_DEFINITION)).toEqual({
      ...withCatalogueExclusions(DEFAULT_SCORING_POLICY, DEMO_CATALOGUE),
      excludeDuplicates: true,
      doubleAssessment: { weight: 0, veto: false },
    });
  });

  it('should map weights, minimum sample and bottom N, and drop the exclusions a draft drops', () => {
    const policy = scoringPolicyOf(
      definition((doc) => {
        doc.scoring = {
          weights: { response: 50, resolution: 25, satisfaction: 25 },
          exclusions: ['duplicate'],
          minimumSample: 3,
          bottomN: 2,
          doubleAssessment: false,
        };
      }),
    );
    expect(policy).toMatchObject({
      weights: { response: 50, resolution: 25, satisfaction: 25 },
      minSample: 3,
      bottomN: 2,
      excludedOutcomes: [],
      satisfactionExcludedCategories: [],
    });
  });
});

describe('scoreFactsOf (a recorded case scored under two definitions)', () => {
  it("should lay the sign and contact deadlines from the last dispatch under each definition's limits", () => {
    const draft = definition((doc) => (category(doc, 'garbage-sorting').deadlines.normal.sign = 'PT2H'));
    const scored = scoreFactsOf(recorded(CASES[1]), BEIJING_DEFINITION, draft, calendar)!;
    // 1 working day from Monday 10:00 ends Tuesday 18:00 in Beijing; 2 hours is Monday noon; 24 h is Tuesday 10:00.
    expect(scored.before.response).toEqual({
      dispatchedAt: MONDAY,
      signedAt: hours(3),
      contactedAt: hours(4),
      signDue: '2026-11-03T10:00:00.000Z',
      contactDue: '2026-11-03T02:00:00.000Z',
    });
    expect(scored.after.response).toMatchObject({ signDue: '2026-11-02T04:00:00.000Z', contactDue: hours(24) });
    expect(scored.after).toMatchObject({ leadUnitId: 's-yinxing', districtId: 'd-xishan', whistleRatings: [] });
  });

  it('should leave out a case never dispatched nor closed, and keep a case closed at intake without a response', () => {
    const waiting = recorded(CASES[0]);
    waiting.scoring = { ...waiting.scoring!, firstDispatchedAt: undefined, response: undefined, outcome: undefined };
    expect(scoreFactsOf(waiting, BEIJING_DEFINITION, BEIJING_DEFINITION, calendar)).toBeUndefined();
    const inadmissible = { ...waiting, scoring: { ...waiting.scoring, outcome: 'inadmissible' as const } };
    const scored = scoreFactsOf(inadmissible, BEIJING_DEFINITION, BEIJING_DEFINITION, calendar)!;
    expect(scored.after.response).toBeUndefined();
    expect(scored.after.outcome).toBe('inadmissible');
  });

  it("should refuse a case whose category the draft's catalogue no longer has", () => {
    const draft = definition((doc) => {
      doc.routing.categories = (doc.routing.categories as Json[]).filter((c) => c.id !== 'garbage-sorting');
    });
    expect(() => scoreFactsOf(recorded(CASES[0]), BEIJING_DEFINITION, draft, calendar)).toThrow(
      'the draft has no category garbage-sorting to lay its deadlines',
    );
  });

  it('should read a loaded row by the rules of the monthly run', () => {
    const row = {
      caseNo: 'r1',
      rulesVersion: 'beijing@1',
      kind: 'complaint' as const,
      category: 'garbage-sorting',
      streetId: 's-yinxing',
      districtId: 'd-xishan',
      receivedAt: new Date(hours(-1)),
      leadUnitId: 's-jintai',
      leadUnitKind: null,
      outcome: 'satisfied' as const,
      linkedCaseNo: null,
      repeatCount: 2,
      firstDispatchedAt: new Date(MONDAY),
      lastDispatchedAt: new Date(hours(5)),
      firstSignedAt: new Date(hours(6)),
      firstContactedAt: null,
      calledBackAt: new Date(hours(96)),
      callback: { solved: true, satisfaction: 'basically-satisfied' },
    };
    expect(recordedScoreFacts(row, DEMO_CITY)).toMatchObject({
      firstDispatchedAt: MONDAY,
      leadUnitId: 's-jintai',
      leadUnitKind: 'street',
      response: { dispatchedAt: hours(5), signedAt: hours(6), contactedAt: undefined },
      callback: { solved: true, satisfaction: 'basically-satisfied', at: hours(96) },
    });
    // A call-back that did not reach the citizen (no verdict) is no call-back for the scores.
    expect(recordedScoreFacts({ ...row, callback: { satisfaction: 'satisfied' } }, DEMO_CITY).callback).toBeUndefined();
  });
});

describe('compareScores (the 三率 of the sampled cases under the pinned version and under the draft)', () => {
  const table: [string, ProcessDefinition, ProcessDefinition, Omit<MonthScoreChanges, 'month' | 'cases'>][] = [
    [
      'new scores, unit by unit, when the weights change to 50 / 25 / 25',
      definition((doc) => (doc.scoring.weights = { response: 50, resolution: 25, satisfaction: 25 })),
      BEIJING_DEFINITION,
      {
        // y: 50 × 0.75 + 25 × 0.75 + 25 × 0.5; j: 50 + 12.5 + 12.5; d: 50 × 6/7 + 25 × 4/6 + 25 × 0.5 = 72.02.
        // None is eligible (10 rated cases needed): streets in id order.
        units: [
          { ...J, score: { before: 65, after: 75 } },
          { ...Y, score: { before: 66.25, after: 68.75 } },
          { ...D, score: { before: 66.55, after: 72.02 } },
        ],
        bottom: noBottomChange,
      },
    ],
    [
      'a lower response rate when a 2-hour sign limit makes the case signed after 3 hours late',
      definition((doc) => (category(doc, 'garbage-sorting').deadlines.normal.sign = 'PT2H')),
      BEIJING_DEFINITION,
      {
        // y: 30 × 0.5 + 26.25 + 17.5; d: 30 × 5/7 + 35 × 4/6 + 17.5 = 62.26. Noise cases (s-jintai) keep 1WD.
        units: [
          { ...Y, response: { before: rate(3, 4), after: rate(2, 4) }, score: { before: 66.25, after: 58.75 } },
          { ...D, response: { before: rate(6, 7), after: rate(5, 7) }, score: { before: 66.55, after: 62.26 } },
        ],
        bottom: noBottomChange,
      },
    ],
    [
      'ranks and the units entering the bottom 1 when the minimum sample falls to 2',
      definition((doc) => Object.assign(doc.scoring, { minimumSample: 2, bottomN: 1 })),
      BEIJING_DEFINITION,
      {
        units: [
          { ...Y, eligible: { before: false, after: true }, rank: { before: null, after: 1 } },
          { ...J, eligible: { before: false, after: true }, rank: { before: null, after: 2 } },
          { ...D, eligible: { before: false, after: true }, rank: { before: null, after: 1 } },
        ],
        // The lower street, and the only district (fewer than 1 eligible district scores lower).
        bottom: { entering: [J, D], leaving: [] },
      },
    ],
    [
      'the units swapping places in the bottom 1 when new weights reorder them',
      definition((doc) => {
        Object.assign(doc.scoring, { minimumSample: 2, bottomN: 1 });
        doc.scoring.weights = { response: 50, resolution: 25, satisfaction: 25 };
      }),
      definition((doc) => Object.assign(doc.scoring, { minimumSample: 2, bottomN: 1 })),
      {
        units: [
          { ...J, score: { before: 65, after: 75 }, rank: { before: 2, after: 1 } },
          { ...Y, score: { before: 66.25, after: 68.75 }, rank: { before: 1, after: 2 } },
          { ...D, score: { before: 66.55, after: 72.02 } },
        ],
        bottom: { entering: [Y], leaving: [J] },
      },
    ],
    [
      'the unreachable case rated when a draft no longer excludes the unreachable',
      definition((doc) => (doc.scoring.exclusions = ['duplicate', 'inadmissible', 'answered-at-intake'])),
      BEIJING_DEFINITION,
      {
        // j3 (solved, satisfied at an earlier call-back) counts: j: 30 + 35 × 2/3 + 35 × 2/3 = 76.67;
        // d: (30 × 6 + 35 × 5 + 35 × 4) / 7 = 70.71.
        units: [
          {
            ...J,
            resolution: { before: rate(1, 2), after: rate(2, 3) },
            satisfaction: { before: rate(1, 2), after: rate(2, 3) },
            score: { before: 65, after: 76.67 },
          },
          {
            ...D,
            resolution: { before: rate(4, 6), after: rate(5, 7) },
            satisfaction: { before: rate(3, 6), after: rate(4, 7) },
            score: { before: 66.55, after: 70.71 },
          },
        ],
        bottom: noBottomChange,
      },
    ],
    [
      'a rate with other counts but the same value, when garbage sorting is marked enforcement or mediation',
      definition((doc) => (category(doc, 'garbage-sorting').enforcementOrMediation = true)),
      BEIJING_DEFINITION,
      {
        // y: no satisfaction left, the others carry the score: (22.5 + 26.25) / 65 = 75; d: 1/2 is still 0.5.
        units: [
          { ...Y, satisfaction: { before: rate(2, 4), after: rate(0, 0) }, score: { before: 66.25, after: 75 } },
          { ...D, satisfaction: { before: rate(3, 6), after: rate(1, 2) } },
        ],
        bottom: noBottomChange,
      },
    ],
    [
      'nothing when the draft changes no figure',
      definition((doc) => (doc.scoring.doubleAssessment = false)),
      BEIJING_DEFINITION,
      { units: [], bottom: noBottomChange },
    ],
  ];

  it.each(table)('should report %s', (_, draft, pinned, expected) => {
    const comparison = compare(draft, pinned);
    expect(comparison.months).toEqual([{ month: '2026-11', cases: 7, ...expected }]);
    const units = new Set(
      [...expected.units, ...expected.bottom.entering, ...expected.bottom.leaving].map((u) => u.unitId),
    );
    expect(comparison.unitsChanged).toBe(units.size);
  });

  it('should show both policies, the pinned one named by its version', () => {
    const draft = definition((doc) => (doc.scoring.weights = { response: 50, resolution: 25, satisfaction: 25 }));
    expect(compare(draft).policy).toEqual({
      before: expect.objectContaining({ rulesVersion: 'beijing@1', weights: BEIJING_DEFINITION.scoring.weights }),
      after: expect.objectContaining({ weights: { response: 50, resolution: 25, satisfaction: 25 }, minSample: 10 }),
    });
  });

  it('should leave a response still pending as of the run out, and count it late once a shorter limit has passed', () => {
    // Signed after 1 hour, not contacted yet, as of Monday 15:00 in Beijing: 24 h to contact still runs, 4 h (natural
    // time, due 14:00) has passed. No call-back yet: no rate at all before, a response rate of 0 after.
    const seeds: Seed[] = [{ caseNo: 'p1', street: 's-yinxing', sign: 1, contact: null }];
    const draft = definition((doc) => (category(doc, 'garbage-sorting').deadlines.normal.contact = 'PT4H'));
    const { months } = compare(draft, BEIJING_DEFINITION, seeds, hours(5));
    expect(months[0].units).toEqual([
      { ...Y, response: { before: rate(0, 0), after: rate(0, 1) }, score: { before: null, after: 0 } },
      { ...D, response: { before: rate(0, 0), after: rate(0, 1) }, score: { before: null, after: 0 } },
    ]);
  });

  it("should keep each pinned version's exclusions for its cases and rank by the version most cases are pinned to", () => {
    // s-jintai's cases are pinned to a version that rates the unreachable: j3 counts before, not under the draft.
    const lenient = definition((doc) => (doc.scoring.exclusions = ['duplicate']));
    const seeds = CASES.map((seed) => (seed.street === 's-jintai' ? { ...seed, rulesVersion: 'beijing@2' } : seed));
    const pinned = new Map([
      ['beijing@1', BEIJING_DEFINITION],
      ['beijing@2', lenient],
    ]);
    const scored: ScoredCase[] = seeds.map((seed) => {
      const before = pinned.get(seed.rulesVersion ?? 'beijing@1')!;
      return scoreFactsOf(recorded(seed), before, BEIJING_DEFINITION, calendar)!;
    });
    const comparison = compareScores(scored, pinned, BEIJING_DEFINITION, AS_OF);
    expect(comparison.policy.before).toMatchObject({ rulesVersion: 'beijing@1', excludedOutcomes: ['unreachable'] });
    expect(comparison.months[0].units).toEqual([
      {
        ...J,
        resolution: { before: rate(2, 3), after: rate(1, 2) },
        satisfaction: { before: rate(2, 3), after: rate(1, 2) },
        score: { before: 76.67, after: 65 },
      },
      {
        ...D,
        resolution: { before: rate(5, 7), after: rate(4, 6) },
        satisfaction: { before: rate(4, 7), after: rate(3, 6) },
        score: { before: 70.71, after: 66.55 },
      },
    ]);
  });

  it('should group the cases by the month of their first dispatch', () => {
    const draft = definition((doc) => (doc.scoring.weights = { response: 50, resolution: 25, satisfaction: 25 }));
    const october = recorded(CASES[0]);
    october.scoring = { ...october.scoring!, caseNo: 'o1', firstDispatchedAt: '2026-10-30T02:00:00.000Z' };
    const scored = [october, ...CASES.slice(1).map(recorded)].map(
      (one) => scoreFactsOf(one, BEIJING_DEFINITION, draft, calendar)!,
    );
    const comparison = compareScores(scored, new Map([['beijing@1', BEIJING_DEFINITION]]), draft, AS_OF);
    expect(comparison.months.map(({ month, cases }) => [month, cases])).toEqual([
      ['2026-10', 1],
      ['2026-11', 6],
    ]);
    expect(comparison.cases).toBe(7);
  });
});
