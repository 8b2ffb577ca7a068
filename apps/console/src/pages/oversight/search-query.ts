/** The auditor's case-search filters, as the page's form holds them. */
export interface CaseFilters {
  from?: string;
  to?: string;
  unitId?: string;
  status?: string;
  category?: string;
  /** 'true' | 'false' | '' (either). */
  overdue?: string;
  escalationLevel?: string;
  supervision?: string;
  rulesVersion?: string;
}

const KEYS: readonly (keyof CaseFilters)[] = [
  'from',
  'to',
  'unitId',
  'status',
  'category',
  'overdue',
  'escalationLevel',
  'supervision',
  'rulesVersion',
];

/** The filters that are set, trimmed, in a fixed order (empty ones dropped: the API reads absent as "any"). */
export function filterParams(filters: CaseFilters): [keyof CaseFilters, string][] {
  return KEYS.map((key) => [key, (filters[key] ?? '').trim()] as [keyof CaseFilters, string]).filter(
    ([, value]) => value !== '',
  );
}

/** `?unitId=s-hubin&overdue=true` (or '' with no filter), for the page's address and the CSV export. */
export function filterQueryString(filters: CaseFilters): string {
  const params = new URLSearchParams(filterParams(filters));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The filters a page address carries (the reverse of {@link filterQueryString}); unknown keys are ignored. */
export function filtersFromSearch(search: string): CaseFilters {
  const params = new URLSearchParams(search);
  const filters: CaseFilters = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** The lifecycle CSV of every case matching the filters (the API streams it; cursor and limit do not apply). */
export function lifecycleCsvPath(filters: CaseFilters): string {
  return `/api/v1/audit/cases.csv${filterQueryString(filters)}`;
}

/** The time window of a month 'YYYY-MM' in Asia/Shanghai (UTC+8, no daylight saving), as the search's from/to. */
export function monthWindow(month: string): { from: string; to: string } {
  const [year, mon] = month.split('-').map(Number);
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
  return { from: `${month}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00` };
}
