import { DEMO_CITY, DEMO_CITY_ID } from '../org/demo-city';
import { DEMO_CATALOGUE } from '../routing/demo-catalogue';
import type { ProcessDefinition } from '../rules/process-definition';
import { PRESET_IDS, PresetId, presetFor } from '../rules/presets';
import { validateDefinition } from '../rules/validate-definition';
import { computeScores } from './compute-scores';
import { scoringPolicyOfDefinition } from './definition-policy';
import type { CaseScoreFacts, ResponseFacts, ScoreReport, UnitScore, WhistleRatingFact } from './score.types';

/*
 * Each preset's scoring section as the monthly run reads it, and each scoring rule proven on hand-computed facts:
 * weights, exclusions, the minimum sample, bottom N, the double assessment with its weight and the veto, and the
 * scopes (a district with a definition of its own is scored, ranked and listed under it).
 */
const DISTRICTS: Partial<Record<PresetId, string>> = {
  pinggu: 'd-beijiao',
  'ningbo-dl': 'd-donghu',
  suyu: 'd-xishan',
  malu: 'd-xishan',
  xiangdong: 'd-xishan',
};
const preset = (id: PresetId): ProcessDefinition =>
  presetFor(id, { cityId: DEMO_CITY_ID, catalogue: DEMO_CATALOGUE, districtId: DISTRICTS[id] });
/** The part of a definition the variants below change. */
interface ScoringDraft {
  scoring: {
    exclusions: string[];
    minimumSample: number;
    bottomN: number;
    doubleAssessment: boolean;
    doubleAssessmentWeight?: number;
  };
}
/** A mutable copy of a preset with `change` applied. */
const variant = (id: PresetId, change: (doc: ScoringDraft) => void): ProcessDefinition => {
  const doc = JSON.parse(JSON.stringify(preset(id))) as ScoringDraft;
  change(doc);
  return doc as unknown as ProcessDefinition;
};
const policyOf = (id: PresetId) => scoringPolicyOfDefinition(preset(id));

const DISPATCHED = '2026-10-12T02:00:00.000Z';
const AS_OF = '2026-10-31T18:00:00.000Z';
const ON_TIME: ResponseFacts = {
  dispatchedAt: DISPATCHED,
  signDue: '2026-10-13T10:00:00.000Z',
  signedAt: '2026-10-12T03:00:00.000Z',
  contactDue: '2026-10-13T02:00:00.000Z',
  contactedAt: '2026-10-12T05:00:00.000Z',
};
const satisfied = { solved: true, satisfaction: 'satisfied', at: '2026-10-20T02:00:00.000Z' } as const;

function fact(caseNo: string, unit: { lead: string; kind: 'street' | 'department'; district: string }, more = {}) {
  return {
    caseNo,
    kind: 'complaint',
    category: 'noise-nuisance',
    rulesVersion: 'beijing@1',
    receivedAt: DISPATCHED,
    firstDispatchedAt: DISPATCHED,
    leadUnitId: unit.lead,
    leadUnitKind: unit.kind,
    streetId: unit.kind === 'street' ? unit.lead : 's-x',
    districtId: unit.district,
    response: ON_TIME,
    callback: satisfied,
    outcome: 'satisfied',
    repeatCount: 0,
    whistleRatings: [],
    ...more,
  } as CaseScoreFacts;
}

/**
 * Ten cases of a street: #1 signed late, #2 unsolved and dissatisfied, #3 solved but dissatisfied. Response 9/10,
 * resolution 9/10, satisfaction 8/10: beijing 30×0.9 + 35×0.9 + 35×0.8 = 86.5; suyu 20×0.9 + 30×0.9 + 50×0.8 = 85.
 */
function streetMonth(lead: string, district = 'd-1'): CaseScoreFacts[] {
  const unit = { lead, kind: 'street' as const, district };
  return Array.from({ length: 10 }, (_, i) => {
    const no = `${lead}-${String(i + 1).padStart(2, '0')}`;
    if (i === 0) return fact(no, unit, { response: { ...ON_TIME, signedAt: '2026-10-13T11:00:00.000Z' } });
    if (i === 1) {
      return fact(no, unit, {
        callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' },
        outcome: 'accountability',
      });
    }
    if (i === 2) return fact(no, unit, { callback: { ...satisfied, satisfaction: 'dissatisfied' } });
    return fact(no, unit);
  });
}

const rating = (departmentId: string, score: number, veto?: boolean): WhistleRatingFact => ({
  round: 1,
  whistlerUnitId: 't-liuhe',
  departmentId,
  score,
  at: '2026-10-15T02:00:00.000Z',
  ...(veto ? { veto } : {}),
});

/** Ten perfect cases of a department; two of them carry the whistler's ratings (4 and 4: assessment value 0.75). */
function departmentMonth(lead: string, ratings: WhistleRatingFact[]): CaseScoreFacts[] {
  const unit = { lead, kind: 'department' as const, district: 'd-1' };
  return Array.from({ length: 10 }, (_, i) =>
    fact(`${lead}-${String(i + 1).padStart(2, '0')}`, unit, i < ratings.length ? { whistleRatings: [ratings[i]] } : {}),
  );
}

const score = (definition: ProcessDefinition, cases: CaseScoreFacts[]): ScoreReport =>
  computeScores({ month: '2026-10', asOf: AS_OF, cases, baseline: [], policy: scoringPolicyOfDefinition(definition) });
const unit = (report: ScoreReport, unitId: string) => report.units.find((u) => u.unitId === unitId) as UnitScore;

describe("scoringPolicyOfDefinition (each preset's scoring section as the monthly run reads it)", () => {
  const enforcement = DEMO_CATALOGUE.categories.filter((c) => c.enforcementOrMediation).map((c) => c.id);
  const expected: Record<PresetId, { weights: [number, number, number]; weight: number; veto: boolean }> = {
    beijing: { weights: [30, 35, 35], weight: 0, veto: false },
    pinggu: { weights: [30, 35, 35], weight: 20, veto: true },
    'ningbo-dl': { weights: [30, 35, 35], weight: 0, veto: false },
    suyu: { weights: [20, 30, 50], weight: 0, veto: false },
    jinan: { weights: [30, 35, 35], weight: 0, veto: false },
    nanjing: { weights: [30, 35, 35], weight: 0, veto: false },
    malu: { weights: [30, 35, 35], weight: 0, veto: false },
    xiangdong: { weights: [30, 35, 35], weight: 0, veto: false },
  };

  it.each(PRESET_IDS)('should read %s: weights, exclusions, minimum sample, bottom N, double assessment', (id) => {
    expect(validateDefinition(preset(id), { tree: DEMO_CITY }).ok).toBe(true);
    const [response, resolution, satisfaction] = expected[id].weights;
    const policy = policyOf(id);
    expect(policy).toMatchObject({
      weights: { response, resolution, satisfaction },
      minSample: 10,
      bottomN: 10,
      excludedOutcomes: ['unreachable'],
      excludeDuplicates: true,
      doubleAssessment: { weight: expected[id].weight, veto: expected[id].veto },
    });
    // The preset's catalogue (the city's, plus any category the preset adds) names the enforcement categories.
    const marked = preset(id)
      .routing.categories.filter((c) => c.enforcementOrMediation)
      .map((c) => c.id);
    expect(policy.satisfactionExcludedCategories).toEqual([...marked].sort());
    expect(policy.satisfactionExcludedCategories).toEqual(expect.arrayContaining(enforcement));
  });
});

describe('the scoring rules of a definition, enforced', () => {
  it("should weigh the rates by the definition: suyu's 20 / 30 / 50 against beijing's 30 / 35 / 35", () => {
    expect(unit(score(preset('beijing'), streetMonth('s-a')), 's-a').score).toBe(86.5);
    const suyu = unit(score(preset('suyu'), streetMonth('s-a')), 's-a');
    expect(suyu.score).toBe(85);
    expect(suyu.explanation.scoreTerms.map((t) => [t.rate, t.weight])).toEqual([
      ['response', 20],
      ['resolution', 30],
      ['satisfaction', 50],
    ]);
  });

  it('should leave duplicates out when listed, and count them when a definition drops the exclusion', () => {
    const cases = [
      ...streetMonth('s-a'),
      fact('s-a-11', { lead: 's-a', kind: 'street', district: 'd-1' }, { linkedCaseNo: 's-a-04' }),
    ];
    const listed = unit(score(preset('beijing'), cases), 's-a');
    expect(listed.counts).toMatchObject({ cases: 11, dispatched: 10, rated: 10, excluded: { duplicate: 1 } });
    const dropped = variant(
      'beijing',
      (doc) => (doc.scoring.exclusions = doc.scoring.exclusions.filter((e) => e !== 'duplicate')),
    );
    expect(unit(score(dropped, cases), 's-a').counts).toMatchObject({ dispatched: 11, rated: 11, satisfied: 9 });
  });

  it('should leave a case closed unreachable out of the rated cases when listed, and count its last reached call-back when not', () => {
    const unreachable = fact(
      's-a-11',
      { lead: 's-a', kind: 'street', district: 'd-1' },
      {
        callback: { ...satisfied, solved: false, satisfaction: 'dissatisfied' },
        outcome: 'unreachable',
      },
    );
    const cases = [...streetMonth('s-a'), unreachable];
    expect(unit(score(preset('beijing'), cases), 's-a').counts).toMatchObject({
      rated: 10,
      excluded: { unreachable: 1 },
    });
    const dropped = variant(
      'beijing',
      (doc) => (doc.scoring.exclusions = doc.scoring.exclusions.filter((e) => e !== 'unreachable')),
    );
    expect(unit(score(dropped, cases), 's-a').counts).toMatchObject({ rated: 11, solved: 9 });
  });

  it('should count enforcement categories for satisfaction only when the definition drops that exclusion', () => {
    const cases = streetMonth('s-a').map((c, i) => (i === 2 ? { ...c, category: 'illegal-construction' } : c));
    expect(unit(score(preset('beijing'), cases), 's-a').counts.satisfactionRated).toBe(9);
    const dropped = variant(
      'beijing',
      (doc) => (doc.scoring.exclusions = doc.scoring.exclusions.filter((e) => e !== 'enforcement-or-mediation')),
    );
    expect(unit(score(dropped, cases), 's-a').counts.satisfactionRated).toBe(10);
  });

  it("should rank a unit only from the definition's minimum sample", () => {
    expect(unit(score(preset('beijing'), streetMonth('s-a')), 's-a')).toMatchObject({ eligible: true, rank: 1 });
    const eleven = variant('beijing', (doc) => (doc.scoring.minimumSample = 11));
    const report = score(eleven, streetMonth('s-a'));
    expect(unit(report, 's-a')).toMatchObject({ eligible: false, rank: null });
    expect(unit(report, 's-a').explanation.eligibility).toBe('10 rated case(s) < minimum sample 11');
  });

  it("should list the definition's bottom N", () => {
    const cases = [
      ...streetMonth('s-a'),
      ...streetMonth('s-b').map((c, i) =>
        i === 3 ? { ...c, callback: { ...satisfied, satisfaction: 'dissatisfied' as const } } : c,
      ),
      ...streetMonth('s-c'),
    ];
    expect(score(preset('beijing'), cases).bottom.street).toEqual(['s-b', 's-a', 's-c']);
    const one = variant('beijing', (doc) => (doc.scoring.bottomN = 1));
    expect(score(one, cases).bottom.street).toEqual(['s-b']);
  });

  it("should weigh pinggu's double assessment at 20 % of a department's score, and a veto makes that part 0", () => {
    const rated = unit(
      score(preset('pinggu'), departmentMonth('dept-x', [rating('dept-x', 4), rating('dept-x', 4)])),
      'dept-x',
    );
    // 80 × 1 (every rate 1) + 20 × (4 − 1) / 4
    expect(rated.score).toBe(95);
    expect(rated.explanation.assessment).toMatchObject({
      ratings: 2,
      average: 4,
      vetoed: false,
      value: 0.75,
      weight: 20,
    });
    expect(rated.explanation.scoreTerms.map((t) => [t.rate, t.weight])).toEqual([
      ['response', 24],
      ['resolution', 28],
      ['satisfaction', 28],
      ['assessment', 20],
    ]);
    const vetoed = unit(
      score(preset('pinggu'), departmentMonth('dept-x', [rating('dept-x', 4), rating('dept-x', 4, true)])),
      'dept-x',
    );
    expect(vetoed.score).toBe(80);
    expect(vetoed.explanation.assessment).toMatchObject({ vetoed: true, value: 0, vetoCaseNos: ['dept-x-02'] });
  });

  it("should publish beijing's ratings without scoring them (weight 0), and ignore a veto its definition does not allow", () => {
    const report = score(
      preset('beijing'),
      departmentMonth('dept-x', [rating('dept-x', 2), rating('dept-x', 2, true)]),
    );
    expect(unit(report, 'dept-x').score).toBe(100);
    expect(unit(report, 'dept-x').explanation.assessment).toMatchObject({
      weight: 0,
      vetoed: false,
      vetoCaseNos: ['dept-x-02'],
    });
    expect(report.doubleAssessment).toEqual([
      expect.objectContaining({ departmentId: 'dept-x', vetoes: 1, average: 2 }),
    ]);
    const weighted = variant('beijing', (doc) => (doc.scoring.doubleAssessmentWeight = 10));
    // 90 × 1 + 10 × (2 − 1) / 4: the weight counts, the veto still does not (whistle.rating.veto is false).
    expect(
      unit(score(weighted, departmentMonth('dept-x', [rating('dept-x', 2), rating('dept-x', 2, true)])), 'dept-x')
        .score,
    ).toBe(92.5);
  });

  it("should score, rank and list a district with its own definition under it, apart from the city's units", () => {
    const report = computeScores({
      month: '2026-10',
      asOf: AS_OF,
      cases: [...streetMonth('s-a', 'd-1'), ...streetMonth('s-d', 'd-2')],
      baseline: [],
      policy: policyOf('beijing'),
      definition: 'beijing@1',
      districtScopes: [{ id: 'd-2', definition: 'suyu@1', policy: policyOf('suyu'), unitIds: ['s-d'] }],
    });
    expect(unit(report, 's-a')).toMatchObject({ score: 86.5, rank: 1, bottom: true });
    expect(unit(report, 's-d')).toMatchObject({ score: 85, rank: 1, bottom: true });
    expect(unit(report, 'd-2')).toMatchObject({ score: 85, rank: 1 });
    expect(unit(report, 's-d').explanation.scope).toEqual({ id: 'd-2', definition: 'suyu@1' });
    expect(unit(report, 's-a').explanation.scope).toEqual({ id: 'city', definition: 'beijing@1' });
    expect(report.bottom).toEqual({ street: ['s-a'], department: [], district: ['d-1'] });
    expect(report.scopes.map(({ id, definition, bottom }) => ({ id, definition, bottom }))).toEqual([
      { id: 'city', definition: 'beijing@1', bottom: { street: ['s-a'], department: [], district: ['d-1'] } },
      { id: 'd-2', definition: 'suyu@1', bottom: { street: ['s-d'], department: [], district: ['d-2'] } },
    ]);
  });
});

describe('validateDefinition (scoring rules that must do something)', () => {
  const errors = (doc: ProcessDefinition) => {
    const result = validateDefinition(doc, { tree: DEMO_CITY });
    return result.ok ? [] : result.errors.map(({ path, rule }) => ({ path, rule }));
  };

  it('should refuse a double-assessment weight when the assessment is not published', () => {
    const doc = variant('beijing', (d) =>
      Object.assign(d.scoring, { doubleAssessment: false, doubleAssessmentWeight: 10 }),
    );
    expect(errors(doc)).toEqual([
      { path: '/scoring/doubleAssessmentWeight', rule: 'weight-without-double-assessment' },
    ]);
  });

  it('should refuse a veto that weighs nothing, and a weight out of range', () => {
    expect(errors(variant('pinggu', (d) => delete d.scoring.doubleAssessmentWeight))).toEqual([
      { path: '/whistle/rating/veto', rule: 'veto-without-weight' },
    ]);
    expect(errors(variant('pinggu', (d) => (d.scoring.doubleAssessmentWeight = 120)))).toEqual([
      expect.objectContaining({ path: '/scoring/doubleAssessmentWeight' }),
    ]);
  });

  it('should refuse a definition that counts cases closed at intake (no unit answers for them)', () => {
    const doc = variant('beijing', (d) => (d.scoring.exclusions = ['duplicate', 'unreachable']));
    expect(errors(doc)).toEqual([
      { path: '/scoring/exclusions', rule: 'exclusion-always-applies' },
      { path: '/scoring/exclusions', rule: 'exclusion-always-applies' },
    ]);
  });
});
