import { describe, expect, it } from 'vitest';
import { filterQueryString, filtersFromSearch, lifecycleCsvPath, monthWindow } from './search-query';

describe('auditor case search: filters, address and CSV link', () => {
  it('should put only the filters that are set into the CSV link, in a fixed order', () => {
    expect(lifecycleCsvPath({})).toBe('/api/v1/audit/cases.csv');
    expect(
      lifecycleCsvPath({ overdue: 'true', unitId: ' s-hubin ', category: '', from: '2026-11-01T00:00:00+08:00' }),
    ).toBe('/api/v1/audit/cases.csv?from=2026-11-01T00%3A00%3A00%2B08%3A00&unitId=s-hubin&overdue=true');
  });

  it('should read back the filters a page address carries, ignoring other parameters', () => {
    const filters = {
      unitId: 's-hubin',
      supervision: 'posted',
      rulesVersion: 'beijing@1',
      to: '2026-12-01T00:00:00+08:00',
    };
    expect(filtersFromSearch(`${filterQueryString(filters)}&cursor=abc`)).toEqual(filters);
  });

  it('should give a month in Asia/Shanghai as a from/to window, December into January', () => {
    expect(monthWindow('2026-11')).toEqual({ from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' });
    expect(monthWindow('2026-12')).toEqual({ from: '2026-12-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' });
  });
});
