import { DEMO_CATALOGUE } from '../routing/demo-catalogue';
import {
  caseMonth,
  CaseVerdict,
  computeScores,
  formulasOf,
  judgeCase,
  policyProblems,
  round2,
  withCatalogueExclusions,
} from './compute-scores';
import {
  CaseScoreFacts,
  DEFAULT_SCORING_POLICY,
  HotspotCaseFacts,
  ResponseFacts,
  ScoringPolicy,
  UnitScore,
} from './score.types';

/*
 * Hand-computed expectations. Every case is dispatched on 12 October 2026 at 10:00 Shanghai time with a sign deadline
 * of 13 October 18:00 and a contact deadline of 13 October 10:00, unless a row says otherwise.
 */
const DISPATCHED = '2026-10-12T02:00:00.000Z';
const SIGN_DUE = '2026-10-13T10:00:00.000Z';
const CONTACT_DUE = '2026-10-13T02:00:00.000Z';
const AS_OF = '2026-10-31T18:00:00.000Z'; // 1 November 02:00 in Shanghai: when the schedule runs

const ON_TIME: ResponseFacts = {
  dispatchedAt: DISPATCHED,
  signDue: SIGN_DUE,
  signedAt: '2026-10-12T03:00:00.000Z',
  contactDue: CONTACT_DUE,
  contactedAt: '2026-10-12T05:00:00.000Z',
};
const SIGNED_LATE: ResponseFacts = { ...ON_TIME, signedAt: '2026-10-13T11:00:00.000Z' };
const CONTACTED_LATE: ResponseFacts = { ...ON_TIME, contactedAt: '2026-10-13T03:00:00.000Z' };
const NEVER_SIGNED: ResponseFacts = { dispatchedAt: DISPATCHED, signDue: SIGN_DUE, contactDue: CONTACT_DUE };

const satisfied = { solved: true, satisfaction: 'satisfied', at: '2026-10-20T02:00:00.000Z' } as const;

function fact(caseNo: string, overrides: Partial<CaseScoreFacts> = {}): CaseScoreFacts {
  return {
    caseNo,
    kind: 'complaint',
    category: 'noise-nuisance',
    rulesVersion: 'beijing@1',
    receivedAt: DISPATCHED,
    firstDispatchedAt: DISPATCHED,
    leadUnitId: 's-a',
    leadUnitKind: 'street',
    streetId: 's-a',
    districtId: 'd-1',
    response: ON_TIME,
    callback: satisfied,
    outcome: 'satisfied',
    repeatCount: 0,
    whistleRatings: [],
    ...overrides,
  };
}

const POLICY: ScoringPolicy = {
  ...DEFAULT_SCORING_POLICY,
  minSample: 3,
  bottomN: 1,
  satisfactionExcludedCategories: ['illegal-construction'],
  problemOfTheMonth: { minCases: 3, top: 2 },
};

const streetA = { leadUnitId: 's-a', leadUnitKind: 'street', streetId: 's-a', districtId: 'd-1' } as const;
const streetB = { leadUnitId: 's-b', leadUnitKind: 'street', streetId: 's-b', districtId: 'd-1' } as const;
const streetC = { leadUnitId: 's-c', leadUnitKind: 'street', streetId: 's-c', districtId: 'd-1' } as const;
const deptX = (districtId: string, streetId: string) =>
  ({ leadUnitId: 'dept-x', leadUnitKind: 'department', streetId, districtId, category: 'food-safety' }) as const;
const deptY = { leadUnitId: 'dept-y', leadUnitKind: 'department', streetId: 's-e', districtId: 'd-2' } as const;
const rating = (round: number, whistlerUnitId: string, departmentId: string, score: number) => ({
  round,
  whistlerUnitId,
  departmentId,
  score,
  at: '2026-10-15T02:00:00.000Z',
});

/** October 2026: three streets and a district-1 department, two departments working in district 2. */
const OCTOBER: CaseScoreFacts[] = [
  fact('A1', { ...streetA, whistleRatings: [rating(1, 's-a', 'dept-x', 4), rating(1, 's-a', 'dept-y', 2)] }),
  fact('A2', { ...streetA, callback: { ...satisfied, satisfaction: 'very-satisfied' } }),
  fact('A3', {
    ...streetA,
    response: SIGNED_LATE,
    callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' },
    outcome: 'accountability',
    whistleRatings: [rating(2, 's-a', 'dept-x', 3)],
  }),
  fact('A4', {
    ...streetA,
    category: 'illegal-construction',
    callback: { ...satisfied, satisfaction: 'basically-satisfied' },
  }),
  fact('A5', { ...streetA, callback: undefined, outcome: 'unreachable' }),
  fact('B1', {
    ...streetB,
    category: 'property-management',
    repeatCount: 2,
    whistleRatings: [rating(1, 's-b', 'dept-x', 5)],
  }),
  fact('B2', { ...streetB, category: 'property-management', response: CONTACTED_LATE }),
  fact('B3', {
    ...streetB,
    category: 'property-management',
    callback: { ...satisfied, solved: false, satisfaction: 'very-dissatisfied' },
    outcome: 'accountability',
  }),
  fact('B4', { ...streetB, category: 'property-management', linkedCaseNo: 'B1' }),
  fact('C1', { ...streetC, repeatCount: 1 }),
  // Dispatched at 22:00 on 31 October, signed, the contact deadline still running when the run computes.
  fact('C2', {
    ...streetC,
    receivedAt: '2026-10-31T14:00:00.000Z',
    firstDispatchedAt: '2026-10-31T14:00:00.000Z',
    response: {
      dispatchedAt: '2026-10-31T14:00:00.000Z',
      signDue: '2026-11-02T10:00:00.000Z',
      signedAt: '2026-10-31T15:00:00.000Z',
      contactDue: '2026-11-01T14:00:00.000Z',
    },
    callback: undefined,
    outcome: undefined,
  }),
  fact('X1', deptX('d-1', 's-a')),
  fact('X2', { ...deptX('d-2', 's-e'), response: NEVER_SIGNED, callback: undefined, outcome: undefined }),
  fact('X3', {
    ...deptX('d-2', 's-e'),
    callback: { ...satisfied, solved: false, satisfaction: 'basically-satisfied' },
  }),
  fact('Y1', { ...deptY, category: 'water-supply' }),
  fact('Y2', { ...deptY, category: 'water-supply' }),
  fact('Y3', {
    ...deptY,
    category: 'water-supply',
    callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' },
    outcome: 'accountability',
  }),
  // Closed at intake: never dispatched, so in no rate; the district lists it as excluded.
  fact('I1', {
    streetId: 's-a',
    districtId: 'd-1',
    leadUnitId: undefined,
    leadUnitKind: undefined,
    firstDispatchedAt: undefined,
    response: undefined,
    callback: undefined,
    outcome: 'inadmissible',
  }),
];

const SEPTEMBER: HotspotCaseFacts[] = [
  ...['P1', 'P2', 'P3', 'P4'].map((caseNo) => ({
    caseNo,
    category: 'property-management',
    streetId: 's-b',
    districtId: 'd-1',
    repeatCount: 0,
  })),
  { caseNo: 'N1', category: 'noise-nuisance', streetId: 's-a', districtId: 'd-1', repeatCount: 0 },
  { caseNo: 'N2', category: 'noise-nuisance', streetId: 's-a', districtId: 'd-1', repeatCount: 3 },
];

const report = computeScores({ month: '2026-10', asOf: AS_OF, cases: OCTOBER, baseline: SEPTEMBER, policy: POLICY });
const unit = (unitId: string): UnitScore => {
  const found = report.units.find((candidate) => candidate.unitId === unitId);
  if (!found) throw new Error(`no unit ${unitId}`);
  return found;
};

describe('computeScores', () => {
  // [unit, cases, dispatched, on time, rated, solved, satisfaction-rated, satisfied, score, eligible, rank, bottom]
  it.each<
    [string, number, number, number, number, number, number, number, number | null, boolean, number | null, boolean]
  >([
    // 30×4/5 + 35×3/4 + 35×2/3 = 24 + 26.25 + 23.33 = 73.58
    ['s-a', 5, 5, 4, 4, 3, 3, 2, 73.58, true, 1, false],
    // 100 × 2/3 on every rate
    ['s-b', 4, 3, 2, 3, 2, 3, 2, 66.67, true, 2, true],
    // one rated case: below the minimum sample of 3, not ranked
    ['s-c', 2, 1, 1, 1, 1, 1, 1, 100, false, null, false],
    // 30×2/3 + 35×1/2 + 35×2/2 = 20 + 17.5 + 35 = 72.5, but only 2 rated cases
    ['dept-x', 3, 3, 2, 2, 1, 2, 2, 72.5, false, null, false],
    // 30×3/3 + 35×2/3 + 35×2/3 = 30 + 23.33 + 23.33 = 76.67; the only eligible department is also the bottom one
    ['dept-y', 3, 3, 3, 3, 2, 3, 2, 76.67, true, 1, true],
    // 30×8/10 + 35×7/9 + 35×6/8 = 24 + 27.22 + 26.25 = 77.47
    ['d-1', 13, 10, 8, 9, 7, 8, 6, 77.47, true, 1, false],
    // 30×4/5 + 35×2/4 + 35×3/4 = 24 + 17.5 + 26.25 = 67.75
    ['d-2', 5, 5, 4, 4, 2, 4, 3, 67.75, true, 2, true],
  ])(
    'should give %s %i cases, %i dispatched / %i on time, %i rated / %i solved, %i / %i satisfied, score %p',
    (unitId, cases, dispatched, onTime, rated, solved, satRated, sat, score, eligible, rank, bottom) => {
      const u = unit(unitId);
      expect(u.counts).toMatchObject({
        cases,
        dispatched,
        respondedOnTime: onTime,
        rated,
        solved,
        satisfactionRated: satRated,
        satisfied: sat,
      });
      expect(u.rates.response.value).toBeCloseTo(onTime / dispatched, 10);
      expect(u.rates.resolution.value).toBeCloseTo(solved / rated, 10);
      expect(u.rates.satisfaction.value).toBeCloseTo(sat / satRated, 10);
      expect({ score: u.score, eligible: u.eligible, rank: u.rank, bottom: u.bottom }).toEqual({
        score,
        eligible,
        rank,
        bottom,
      });
    },
  );

  it('should keep the case numbers behind every count and every exclusion', () => {
    expect(unit('s-a').explanation).toMatchObject({
      cases: ['A1', 'A2', 'A3', 'A4', 'A5'],
      dispatched: ['A1', 'A2', 'A3', 'A4', 'A5'],
      respondedOnTime: ['A1', 'A2', 'A4', 'A5'],
      respondedLate: ['A3'],
      rated: ['A1', 'A2', 'A3', 'A4'],
      solved: ['A1', 'A2', 'A4'],
      satisfactionRated: ['A1', 'A2', 'A3'],
      satisfied: ['A1', 'A2'],
      excluded: { unreachable: ['A5'], 'enforcement-or-mediation': ['A4'] },
    });
    expect(unit('s-a').counts.excluded).toEqual({ unreachable: 1, 'enforcement-or-mediation': 1 });
    expect(unit('s-b').explanation.excluded).toEqual({ duplicate: ['B4'] });
    expect(unit('s-c').explanation.excluded).toEqual({ 'response-pending': ['C2'], 'awaiting-callback': ['C2'] });
    expect(unit('dept-x').explanation).toMatchObject({
      respondedLate: ['X2'],
      excluded: { 'awaiting-callback': ['X2'] },
      solved: ['X1'],
      satisfied: ['X1', 'X3'],
    });
    expect(unit('d-1').counts.excluded).toEqual({
      unreachable: 1,
      'enforcement-or-mediation': 1,
      duplicate: 1,
      'response-pending': 1,
      'awaiting-callback': 1,
      inadmissible: 1,
    });
    expect(unit('d-1').explanation.excluded.inadmissible).toEqual(['I1']);
  });

  it('should explain the score as weighted terms and the rank by the units above and below', () => {
    const a = unit('s-a').explanation;
    expect(a.scoreTerms.map(({ rate, weight }) => [rate, weight])).toEqual([
      ['response', 30],
      ['resolution', 35],
      ['satisfaction', 35],
    ]);
    expect(a.scoreTerms.map((term) => round2(term.points))).toEqual([24, 26.25, 23.33]);
    expect(a.ranking).toEqual({ eligibleUnits: 2, higherScores: 0, lowerScores: 1 });
    expect(a.eligibility).toBe('4 rated case(s) ≥ minimum sample 3');
    expect(unit('s-c').explanation.eligibility).toBe('1 rated case(s) < minimum sample 3');
    expect(unit('s-c').explanation.ranking).toBeUndefined();
  });

  it('should spell out each figure with its numbers', () => {
    expect(formulasOf(unit('s-a'))).toEqual({
      response: 'respondedOnTime / dispatched = 4 / 5 = 0.8',
      resolution: 'solved / rated = 3 / 4 = 0.75',
      satisfaction: 'satisfied / satisfactionRated = 2 / 3 = 0.6667',
      score: 'score = 100 × (24 + 26.25 + 23.3333) / (30 + 35 + 35) = 73.58',
    });
  });

  it('should list the bottom N of each kind worst first, and order units by kind and rank', () => {
    expect(report.bottom).toEqual({ street: ['s-b'], department: ['dept-y'], district: ['d-2'] });
    expect(report.units.map((u) => u.unitId)).toEqual(['s-a', 's-b', 's-c', 'dept-y', 'dept-x', 'd-1', 'd-2']);
  });

  it('should give the double assessment: each department rated by the streets that whistled it', () => {
    expect(report.doubleAssessment).toEqual([
      {
        departmentId: 'dept-x',
        count: 3,
        average: 4, // (4 + 3 + 5) / 3
        byWhistler: [
          { whistlerUnitId: 's-a', count: 2, average: 3.5 },
          { whistlerUnitId: 's-b', count: 1, average: 5 },
        ],
        ratings: [
          { caseNo: 'A1', ...rating(1, 's-a', 'dept-x', 4) },
          { caseNo: 'A3', ...rating(2, 's-a', 'dept-x', 3) },
          { caseNo: 'B1', ...rating(1, 's-b', 'dept-x', 5) },
        ],
        vetoes: 0,
      },
      {
        departmentId: 'dept-y',
        count: 1,
        average: 2,
        byWhistler: [{ whistlerUnitId: 's-a', count: 1, average: 2 }],
        ratings: [{ caseNo: 'A1', ...rating(1, 's-a', 'dept-y', 2) }],
        vetoes: 0,
      },
    ]);
  });

  it('should count hotspots per category and street for the month and the month before', () => {
    expect(
      report.hotspots.map((h) => [h.month, h.category, h.streetId, h.cases, h.repeatContacts, h.duplicates]),
    ).toEqual([
      ['2026-10', 'noise-nuisance', 's-a', 5, 0, 0],
      ['2026-10', 'property-management', 's-b', 4, 2, 1],
      ['2026-10', 'water-supply', 's-e', 3, 0, 0],
      ['2026-10', 'noise-nuisance', 's-c', 2, 1, 0],
      ['2026-10', 'food-safety', 's-e', 2, 0, 0],
      ['2026-10', 'food-safety', 's-a', 1, 0, 0],
      ['2026-10', 'illegal-construction', 's-a', 1, 0, 0],
      ['2026-09', 'property-management', 's-b', 4, 0, 0],
      ['2026-09', 'noise-nuisance', 's-a', 2, 3, 0],
    ]);
    expect(report.hotspots[0].caseNos).toEqual(['A1', 'A2', 'A3', 'A5', 'I1']);
  });

  it('should name the problem-of-the-month candidates by repeat contacts, then growth', () => {
    expect(report.candidates).toEqual([
      {
        category: 'property-management',
        cases: 4,
        previousCases: 4,
        growth: 0,
        repeatContacts: 2,
        areas: ['s-b'],
        caseNos: ['B1', 'B2', 'B3', 'B4'],
        reason: '4 case(s) in 2026-10 (+0 on 2026-09), 2 repeat contact(s), in 1 area(s)',
      },
      {
        category: 'noise-nuisance',
        cases: 7,
        previousCases: 2,
        growth: 5,
        repeatContacts: 1,
        areas: ['s-a', 's-c'],
        caseNos: ['A1', 'A2', 'A3', 'A5', 'C1', 'C2', 'I1'],
        reason: '7 case(s) in 2026-10 (+5 on 2026-09), 1 repeat contact(s), in 2 area(s)',
      },
    ]);
  });

  it('should give the same report for the same input (a stored run re-derives)', () => {
    const again = computeScores({
      month: '2026-10',
      asOf: AS_OF,
      cases: JSON.parse(JSON.stringify([...OCTOBER].reverse())),
      baseline: SEPTEMBER,
      policy: POLICY,
    });
    expect(again).toEqual(report);
  });

  it('should share a rank between equal scores and list every unit tied at the bottom cut', () => {
    const tied = computeScores({
      month: '2026-10',
      asOf: AS_OF,
      cases: [
        fact('T1', { ...streetA }),
        fact('T2', { ...streetB }),
        fact('T3', { ...streetC, callback: { ...satisfied, solved: false } }),
      ],
      baseline: [],
      policy: { ...POLICY, minSample: 1, bottomN: 1 },
    });
    const streets = tied.units.filter((u) => u.unitKind === 'street');
    expect(streets.map((u) => [u.unitId, u.score, u.rank, u.bottom])).toEqual([
      ['s-a', 100, 1, false],
      ['s-b', 100, 1, false],
      ['s-c', 65, 3, true], // 30 + 0 + 35
    ]);
    const twoAtBottom = computeScores({
      month: '2026-10',
      asOf: AS_OF,
      cases: [fact('T1', { ...streetA }), fact('T2', { ...streetB, callback: { ...satisfied, solved: false } })].concat(
        fact('T3', { ...streetC, callback: { ...satisfied, solved: false } }),
      ),
      baseline: [],
      policy: { ...POLICY, minSample: 1, bottomN: 1 },
    });
    expect(twoAtBottom.bottom.street).toEqual(['s-b', 's-c']);
  });

  it('should let the other weights carry the score when a rate has no denominator', () => {
    const onlyEnforcement = computeScores({
      month: '2026-10',
      asOf: AS_OF,
      cases: [
        fact('E1', { category: 'illegal-construction' }),
        fact('E2', { category: 'illegal-construction', response: SIGNED_LATE }),
      ],
      baseline: [],
      policy: POLICY,
    });
    const a = onlyEnforcement.units.find((u) => u.unitId === 's-a') as UnitScore;
    expect(a.rates.satisfaction).toEqual({ numerator: 0, denominator: 0, value: null });
    // (30 × 1/2 + 35 × 2/2) / 65 × 100 = 50 / 65 × 100 = 76.92
    expect(a.score).toBe(76.92);
    expect(a.explanation.scoreTerms.map((term) => term.rate)).toEqual(['response', 'resolution']);
  });

  it('should refuse a case of another month, a bad month and a bad policy', () => {
    const input = { month: '2026-10', asOf: AS_OF, baseline: [], policy: POLICY };
    // 1 November 00:00 in Shanghai is November.
    const november = fact('Z1', { firstDispatchedAt: '2026-10-31T16:00:00.000Z' });
    expect(() => computeScores({ ...input, cases: [november] })).toThrow(/Z1 belongs to 2026-11, not 2026-10/);
    expect(() => computeScores({ ...input, month: '2026-1', cases: [] })).toThrow(
      expect.objectContaining({ code: 'invalid-month' }),
    );
    expect(() =>
      computeScores({
        ...input,
        cases: [],
        policy: { ...POLICY, weights: { response: 0, resolution: 0, satisfaction: 0 } },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-policy' }));
  });
});

describe('caseMonth', () => {
  it.each<[string, Partial<CaseScoreFacts>, string]>([
    ['the Shanghai month of the first dispatch', { firstDispatchedAt: '2026-09-30T16:30:00.000Z' }, '2026-10'],
    [
      'the first dispatch even when received the month before',
      { receivedAt: '2026-09-30T15:00:00.000Z', firstDispatchedAt: '2026-10-01T01:00:00.000Z' },
      '2026-10',
    ],
    [
      'the reception month of a case closed at intake',
      { receivedAt: '2026-10-31T15:30:00.000Z', firstDispatchedAt: undefined },
      '2026-10',
    ],
  ])('should take %s', (_title, overrides, month) => {
    expect(caseMonth(fact('M1', overrides))).toBe(month);
  });
});

describe('judgeCase', () => {
  const PENDING_CONTACT: ResponseFacts = { ...ON_TIME, contactedAt: undefined, contactDue: '2026-11-01T02:00:00.000Z' };
  it.each<[string, Partial<CaseScoreFacts>, ScoringPolicy, Partial<CaseVerdict>]>([
    [
      'count a case signed and contacted by their deadlines, solved and satisfied',
      {},
      POLICY,
      { response: 'on-time', rated: true, solved: true, satisfaction: 'satisfied' },
    ],
    ['count a late sign as late', { response: SIGNED_LATE }, POLICY, { response: 'late' }],
    ['count a late contact as late', { response: CONTACTED_LATE }, POLICY, { response: 'late' }],
    ['count a sign deadline passed without a sign as late', { response: NEVER_SIGNED }, POLICY, { response: 'late' }],
    [
      'leave a response pending while the contact deadline still runs',
      { response: PENDING_CONTACT },
      POLICY,
      { response: 'pending' },
    ],
    [
      'take a missing deadline as no limit',
      { response: { ...ON_TIME, contactDue: undefined, contactedAt: '2026-10-20T00:00:00.000Z' } },
      POLICY,
      { response: 'on-time' },
    ],
    [
      'count basically satisfied as satisfied',
      { callback: { ...satisfied, satisfaction: 'basically-satisfied' } },
      POLICY,
      { satisfaction: 'satisfied' },
    ],
    [
      'count a citizen who is satisfied but calls it unsolved',
      { callback: { ...satisfied, solved: false } },
      POLICY,
      { rated: true, solved: false, satisfaction: 'satisfied' },
    ],
    [
      'leave an unreachable citizen out of the ratings even after an earlier call-back',
      { outcome: 'unreachable', callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' } },
      POLICY,
      { response: 'on-time', rated: 'unreachable' },
    ],
    [
      'keep the last reached call-back when unreachable is not excluded',
      { outcome: 'unreachable', callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' } },
      { ...POLICY, excludedOutcomes: [] },
      { rated: true, solved: false, satisfaction: 'dissatisfied' },
    ],
    [
      'wait for the final call-back of a case in re-handling',
      { outcome: undefined, callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' } },
      POLICY,
      { rated: 'awaiting-callback' },
    ],
    [
      'keep an enforcement case in resolution but out of satisfaction',
      { category: 'illegal-construction' },
      POLICY,
      { rated: true, solved: true, satisfaction: 'enforcement-or-mediation' },
    ],
    [
      "apply the exclusions of the case's own process-definition version",
      { rulesVersion: 'jinan@2' },
      { ...POLICY, byRulesVersion: { 'jinan@2': { satisfactionExcludedCategories: ['noise-nuisance'] } } },
      { rated: true, satisfaction: 'enforcement-or-mediation' },
    ],
    ['leave a duplicate out of every rate', { linkedCaseNo: 'A1' }, POLICY, { excludedFromAll: 'duplicate' }],
  ])('should %s', (_title, overrides, policy, expected) => {
    const verdict = judgeCase(fact('J1', overrides), policy, AS_OF);
    expect(verdict).toMatchObject(expected);
    if (!expected.response && !verdict.excludedFromAll) expect(verdict.response).toBe('on-time');
  });

  it.each<[string, Partial<CaseScoreFacts>, CaseVerdict['units']]>([
    [
      'a street and its district',
      {},
      [
        { unitId: 's-a', unitKind: 'street' },
        { unitId: 'd-1', unitKind: 'district' },
      ],
    ],
    [
      'a township as a street',
      { leadUnitId: 't-1', leadUnitKind: 'township' },
      [
        { unitId: 't-1', unitKind: 'street' },
        { unitId: 'd-1', unitKind: 'district' },
      ],
    ],
    [
      'a department and the district of the place',
      { leadUnitId: 'dept-x', leadUnitKind: 'department', districtId: 'd-2' },
      [
        { unitId: 'dept-x', unitKind: 'department' },
        { unitId: 'd-2', unitKind: 'district' },
      ],
    ],
    [
      'the district a case without a district place was routed to',
      { leadUnitId: 'd-3', leadUnitKind: 'district', districtId: undefined, streetId: undefined },
      [{ unitId: 'd-3', unitKind: 'district' }],
    ],
    [
      'only the district of a case closed at intake',
      { leadUnitId: undefined, leadUnitKind: undefined, firstDispatchedAt: undefined, response: undefined },
      [{ unitId: 'd-1', unitKind: 'district' }],
    ],
    [
      'only the district when a community leads',
      { leadUnitId: 'c-1', leadUnitKind: 'community' },
      [{ unitId: 'd-1', unitKind: 'district' }],
    ],
  ])('should count a case for %s', (_title, overrides, units) => {
    expect(judgeCase(fact('U1', overrides), POLICY, AS_OF).units).toEqual(units);
  });

  it('should leave a case closed at intake out of every rate, under its outcome', () => {
    const verdict = judgeCase(
      fact('I9', {
        firstDispatchedAt: undefined,
        response: undefined,
        callback: undefined,
        outcome: 'answered-at-intake',
      }),
      POLICY,
      AS_OF,
    );
    expect(verdict).toMatchObject({ excludedFromAll: 'answered-at-intake' });
    expect(verdict.response).toBeUndefined();
  });
});

describe('scoring policy', () => {
  it('should default to 30 / 35 / 35, a minimum sample of 10 and the bottom 10', () => {
    expect(DEFAULT_SCORING_POLICY).toMatchObject({
      weights: { response: 30, resolution: 35, satisfaction: 35 },
      minSample: 10,
      bottomN: 10,
      excludedOutcomes: ['unreachable'],
    });
    expect(policyProblems(DEFAULT_SCORING_POLICY)).toEqual([]);
  });

  it.each<[string, Partial<ScoringPolicy>, string[]]>([
    [
      'a negative weight',
      { weights: { response: -1, resolution: 35, satisfaction: 35 } },
      ['weights.response must be a number ≥ 0'],
    ],
    ['all weights 0', { weights: { response: 0, resolution: 0, satisfaction: 0 } }, ['the weights must not all be 0']],
    ['a fractional minimum sample', { minSample: 2.5 }, ['minSample must be a whole number ≥ 0']],
    ['a negative bottom N', { bottomN: -1 }, ['bottomN must be a whole number ≥ 0']],
    [
      'a candidate rule that takes categories without cases',
      { problemOfTheMonth: { minCases: 0, top: 5 } },
      ['problemOfTheMonth.minCases must be a whole number ≥ 1'],
    ],
  ])('should refuse %s', (_title, overrides, problems) => {
    expect(policyProblems({ ...DEFAULT_SCORING_POLICY, ...overrides })).toEqual(problems);
  });

  it("should add the routing catalogue's enforcement and mediation categories to the satisfaction exclusions", () => {
    const policy = withCatalogueExclusions(DEFAULT_SCORING_POLICY, DEMO_CATALOGUE);
    const marked = DEMO_CATALOGUE.categories.filter((c) => c.enforcementOrMediation).map((c) => c.id);
    expect(marked).toContain('illegal-construction');
    expect(policy.satisfactionExcludedCategories).toEqual([...marked].sort());
    expect(policy.weights).toEqual(DEFAULT_SCORING_POLICY.weights);
  });
});
