import { hotspotsOf, problemCandidates } from './hotspots';
import type { HotspotCaseFacts } from './score.types';

let serial = 0;
/** `n` cases of a category in an area; `repeats` repeat contacts on the first of them. */
function cases(n: number, category: string, streetId: string | undefined, districtId = 'd-1', repeats = 0) {
  return Array.from({ length: n }, (_, i): HotspotCaseFacts => {
    serial += 1;
    return {
      caseNo: `H${String(serial).padStart(3, '0')}`,
      category,
      streetId,
      districtId,
      repeatCount: i === 0 ? repeats : 0,
    };
  });
}

describe('hotspotsOf', () => {
  it('should group by category and street, and by district where the place has no street', () => {
    const rows = hotspotsOf(
      '2026-10',
      [
        ...cases(2, 'noise-nuisance', 's-a'),
        ...cases(1, 'noise-nuisance', undefined, 'd-2', 4),
        {
          caseNo: 'L1',
          category: 'noise-nuisance',
          streetId: 's-a',
          districtId: 'd-1',
          repeatCount: 0,
          linkedCaseNo: 'X',
        },
      ],
      [],
    );
    expect(rows.map((r) => [r.category, r.districtId, r.streetId, r.cases, r.repeatContacts, r.duplicates])).toEqual([
      ['noise-nuisance', 'd-1', 's-a', 3, 0, 1],
      ['noise-nuisance', 'd-2', null, 1, 4, 0],
    ]);
  });

  it('should list the month before after the month, each with its own month', () => {
    const rows = hotspotsOf('2026-01', cases(1, 'a', 's-a'), cases(5, 'a', 's-a'));
    expect(rows.map((r) => [r.month, r.cases])).toEqual([
      ['2026-01', 1],
      ['2025-12', 5],
    ]);
  });
});

describe('problemCandidates', () => {
  const rule = { minCases: 3, top: 5 };

  it.each<[string, HotspotCaseFacts[], HotspotCaseFacts[], string[]]>([
    ['leave out categories under the minimum', cases(2, 'a', 's-a', 'd-1', 9), [], []],
    [
      'put the most repeat contacts first, whatever the counts',
      [...cases(10, 'many', 's-a'), ...cases(3, 'repeated', 's-a', 'd-1', 1)],
      [],
      ['repeated', 'many'],
    ],
    [
      'order equal repeats by growth over the month before',
      [...cases(5, 'steady', 's-a'), ...cases(4, 'growing', 's-a')],
      [...cases(5, 'steady', 's-a'), ...cases(1, 'growing', 's-a')],
      ['growing', 'steady'],
    ],
    [
      'order equal repeats and growth by cases, then by category',
      [...cases(3, 'b', 's-a'), ...cases(3, 'a', 's-a'), ...cases(4, 'c', 's-a')],
      [...cases(1, 'c', 's-a')],
      ['c', 'a', 'b'], // all grew by 3: c has more cases; a and b tie on everything but the id
    ],
  ])('should %s', (_title, month, before, categories) => {
    expect(problemCandidates('2026-10', month, before, rule).map((c) => c.category)).toEqual(categories);
  });

  it('should return at most `top` candidates and say how each qualified, shrinking ones included', () => {
    const month = [...cases(3, 'a', 's-a'), ...cases(3, 'b', 's-b', 'd-1', 2), ...cases(3, 'c', undefined, 'd-2')];
    const before = cases(7, 'a', 's-a');
    const top2 = problemCandidates('2026-10', month, before, { minCases: 3, top: 2 });
    expect(top2.map((c) => c.category)).toEqual(['b', 'c']);
    const all = problemCandidates('2026-10', month, before, { minCases: 3, top: 5 });
    expect(all.find((c) => c.category === 'a')).toMatchObject({
      cases: 3,
      previousCases: 7,
      growth: -4,
      areas: ['s-a'],
      reason: '3 case(s) in 2026-10 (-4 on 2026-09), 0 repeat contact(s), in 1 area(s)',
    });
    expect(all.find((c) => c.category === 'c')?.areas).toEqual(['d-2']);
    expect(problemCandidates('2026-10', month, before, { minCases: 3, top: 0 })).toEqual([]);
  });
});
