import { describe, expect, it } from 'vitest';
import { densityByStreet, hotspotCategories } from './hotspots';
import { monthsEndingAt, percent, rankingRows, seriesSegments, shanghaiMonth, trendSeries } from './ranking';
import type { MonthScores, UnitScore } from './views';

const rate = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator ? numerator / denominator : null,
});

function unit(
  unitId: string,
  unitKind: UnitScore['unitKind'],
  rank: number | null,
  score: number | null,
  bottom = false,
): UnitScore {
  return {
    unitId,
    unitName: unitId === 's-b' ? null : `名-${unitId}`,
    unitKind,
    counts: { cases: 12, dispatched: 12, rated: 10, satisfactionRated: 10 },
    rates: { response: rate(9, 12), resolution: rate(8, 10), satisfaction: rate(7, 10) },
    score,
    eligible: rank !== null,
    rank,
    bottom,
  };
}

function month(units: UnitScore[], bottom: string[] = []): MonthScores {
  return {
    run: {
      id: 'r',
      month: '2026-11',
      trigger: 'on-demand',
      status: 'completed',
      computedAt: null,
      published: true,
      superseded: false,
      error: null,
    },
    units,
    rankings: { street: [], department: [], district: [] },
    bottom: { street: bottom, department: [], district: [] },
    doubleAssessment: [],
    hotspots: [],
    candidates: [],
  };
}

describe('rankings', () => {
  it('should list ranked units by rank, then the unranked by id, one kind only, bottom N from the API list', () => {
    const rows = rankingRows(
      month(
        [
          unit('s-z', 'street', null, 50),
          unit('s-c', 'street', 2, 80),
          unit('d-x', 'district', 1, 90),
          unit('s-b', 'street', 3, 70),
          unit('s-a', 'street', 1, 95),
          unit('s-y', 'street', null, null),
        ],
        ['s-b'],
      ),
      'street',
    );
    expect(rows.map((row) => row.unitId)).toEqual(['s-a', 's-c', 's-b', 's-y', 's-z']);
    expect(rows.filter((row) => row.bottom).map((row) => row.unitId)).toEqual(['s-b']);
    expect(rows.find((row) => row.unitId === 's-b')!.label).toBe('s-b');
    expect(rows[0].label).toBe('名-s-a');
  });

  it("should keep each scope's ranks together, the city's first", () => {
    const scoped = (id: string, rank: number, scope: string) => ({ ...unit(id, 'street', rank, 80), scope });
    const rows = rankingRows(
      month([
        scoped('s-x', 1, 'd-xishan'),
        scoped('s-b', 2, 'city'),
        scoped('s-a', 1, 'city'),
        scoped('s-y', 2, 'd-xishan'),
      ]),
      'street',
    );
    expect(rows.map((row) => row.unitId)).toEqual(['s-a', 's-b', 's-x', 's-y']);
  });

  it('should show rates as percentages and a missing rate as a dash', () => {
    expect(percent(0.756)).toBe('75.6%');
    expect(percent(null)).toBe('—');
  });

  it('should count months back across a year and name the Shanghai month of an instant', () => {
    expect(monthsEndingAt('2027-02', 4)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    // 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    expect(shanghaiMonth(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12');
  });

  it('should trace a unit over months with gaps where a month has no run or no figure', () => {
    const series = trendSeries(
      [month([unit('s-a', 'street', 1, 90)]), null, month([unit('s-a', 'street', 1, 70)]), month([])],
      ['s-a'],
    );
    expect(series).toEqual([{ unitId: 's-a', label: '名-s-a', points: [90, null, 70, null] }]);
    expect(trendSeries([month([unit('s-a', 'street', 1, 90)])], ['s-a'], 'response')[0].points).toEqual([75]);
    expect(seriesSegments([100, 50, null, 0], 300, 100)).toEqual(['0.0,0.0 100.0,50.0', '300.0,100.0']);
  });

  it('should add up hotspots per street (district when no street), for one category or all', () => {
    const spot = (category: string, streetId: string | null, districtId: string | null, cases: number) => ({
      month: '2026-11',
      category,
      streetId,
      districtId,
      cases,
      repeatContacts: 0,
      duplicates: 0,
      caseNos: [],
    });
    const spots = [
      spot('noise', 's-a', 'd-x', 3),
      spot('road', 's-a', 'd-x', 2),
      spot('noise', null, 'd-y', 1),
      spot('road', 's-b', 'd-x', 4),
    ];
    expect(densityByStreet(spots)).toEqual(
      new Map([
        ['s-a', 5],
        ['d-y', 1],
        ['s-b', 4],
      ]),
    );
    expect(densityByStreet(spots, 'noise')).toEqual(
      new Map([
        ['s-a', 3],
        ['d-y', 1],
      ]),
    );
    expect(hotspotCategories(spots)).toEqual(['road', 'noise']);
  });
});
