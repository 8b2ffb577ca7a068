import { previousMonthOf } from './month';
import type { Hotspot, HotspotCaseFacts, ProblemCandidate, ScoreMonth, ScoringPolicy } from './score.types';

/** Code-point order: ids and case numbers sort the same on every machine (no locale rules). */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The area a case is counted in for hotspots: its street/township, or its district when the place has no street. */
const areaOf = (fact: HotspotCaseFacts): string | undefined => fact.streetId ?? fact.districtId;

function group(month: ScoreMonth, cases: readonly HotspotCaseFacts[]): Hotspot[] {
  const rows = new Map<string, Hotspot>();
  for (const fact of cases) {
    const key = JSON.stringify([fact.category, fact.districtId ?? null, fact.streetId ?? null]);
    const row = rows.get(key) ?? {
      month,
      category: fact.category,
      districtId: fact.districtId ?? null,
      streetId: fact.streetId ?? null,
      cases: 0,
      repeatContacts: 0,
      duplicates: 0,
      caseNos: [],
    };
    row.cases += 1;
    row.repeatContacts += fact.repeatCount;
    if (fact.linkedCaseNo) row.duplicates += 1;
    row.caseNos.push(fact.caseNo);
    rows.set(key, row);
  }
  for (const row of rows.values()) row.caseNos.sort(byText);
  return [...rows.values()];
}

/**
 * Hotspots: cases per category × street (district where the place has no street) for the month and the month
 * before, each with its repeat contacts, duplicates and case numbers. Every case of the month counts here,
 * excluded ones included: hotspots measure demand, not performance. Ordered by month (newest first), then most
 * cases, most repeat contacts, category, area.
 */
export function hotspotsOf(
  month: ScoreMonth,
  cases: readonly HotspotCaseFacts[],
  baseline: readonly HotspotCaseFacts[],
): Hotspot[] {
  return [...group(month, cases), ...group(previousMonthOf(month), baseline)].sort(
    (a, b) =>
      byText(b.month, a.month) ||
      b.cases - a.cases ||
      b.repeatContacts - a.repeatContacts ||
      byText(a.category, b.category) ||
      byText(a.streetId ?? a.districtId ?? '', b.streetId ?? b.districtId ?? ''),
  );
}

/**
 * Problem-of-the-month (每月一题) candidates. Rule: a category with at least `minCases` cases in the month (city-wide,
 * every case counted as for hotspots) is a candidate; candidates are ordered by repeat contacts (citizens coming back:
 * the problem is not going away), then growth over the month before, then cases, then category id; the first `top`
 * are returned.
 */
export function problemCandidates(
  month: ScoreMonth,
  cases: readonly HotspotCaseFacts[],
  baseline: readonly HotspotCaseFacts[],
  rule: ScoringPolicy['problemOfTheMonth'],
): ProblemCandidate[] {
  const previous = new Map<string, number>();
  for (const fact of baseline) previous.set(fact.category, (previous.get(fact.category) ?? 0) + 1);
  const byCategory = new Map<string, HotspotCaseFacts[]>();
  for (const fact of cases) byCategory.set(fact.category, [...(byCategory.get(fact.category) ?? []), fact]);

  const previousMonth = previousMonthOf(month);
  return [...byCategory.entries()]
    .filter(([, facts]) => facts.length >= rule.minCases)
    .map(([category, facts]): ProblemCandidate => {
      const previousCases = previous.get(category) ?? 0;
      const growth = facts.length - previousCases;
      const repeatContacts = facts.reduce((sum, fact) => sum + fact.repeatCount, 0);
      const areas = [...new Set(facts.map(areaOf).filter((area): area is string => area !== undefined))].sort(byText);
      return {
        category,
        cases: facts.length,
        previousCases,
        growth,
        repeatContacts,
        areas,
        caseNos: facts.map((fact) => fact.caseNo).sort(byText),
        reason:
          `${facts.length} case(s) in ${month} (${growth >= 0 ? '+' : ''}${growth} on ${previousMonth}), ` +
          `${repeatContacts} repeat contact(s), in ${areas.length} area(s)`,
      };
    })
    .sort(
      (a, b) =>
        b.repeatContacts - a.repeatContacts ||
        b.growth - a.growth ||
        b.cases - a.cases ||
        byText(a.category, b.category),
    )
    .slice(0, rule.top);
}
