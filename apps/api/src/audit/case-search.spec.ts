import { ApiError } from '../common/api-error';
import { caseSearchWhere, decodeCursor, encodeCursor, lifecycleCsvCells, LIFECYCLE_CSV_COLUMNS } from './case-search';
import type { AuditCaseRow } from './audit.dto';

describe('case search filters', () => {
  it('should filter on nothing when no filter is given', () => {
    expect(caseSearchWhere({})).toEqual({ where: '', params: [] });
  });

  it('should bind every filter as a parameter and combine them with AND', () => {
    const { where, params } = caseSearchWhere(
      {
        from: '2026-11-01T00:00:00+08:00',
        to: '2026-12-01T00:00:00+08:00',
        unitId: 's-hubin',
        status: 'open',
        category: 'noise-nuisance',
        overdue: false,
        escalationLevel: 'street',
        supervision: 'posted',
        rulesVersion: "beijing@1'; DROP TABLE cases; --",
      },
      { receivedAt: '2026-11-23T02:00:00.000Z', caseNo: '20261123000001' },
    );
    expect(params).toEqual([
      '2026-11-01T00:00:00+08:00',
      '2026-12-01T00:00:00+08:00',
      's-hubin',
      'open',
      'noise-nuisance',
      false,
      'street',
      'posted',
      "beijing@1'; DROP TABLE cases; --",
      '2026-11-23T02:00:00.000Z',
      '20261123000001',
    ]);
    expect(where).not.toContain('DROP');
    expect(where.split(' AND ').length).toBe(10);
    expect(where).toContain('$3 = ANY (c.co_unit_ids)');
    expect(where).toContain('(c.received_at, c.case_no) > ($10::timestamptz, $11)');
  });

  it('should read back a cursor it wrote, and refuse one it did not', () => {
    const cursor = { receivedAt: '2026-11-23T02:00:00.000Z', caseNo: '20261123000001' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(() => decodeCursor('bm9wZQ')).toThrow(ApiError);
  });
});

describe('the lifecycle CSV', () => {
  it('should flag each deadline the case ever ran past', () => {
    const row = {
      caseNo: '20261123000001',
      overdue: false,
      overdueDeadlines: ['handle', 'sign'],
      whistles: [],
    } as unknown as AuditCaseRow;
    const cells = Object.fromEntries(LIFECYCLE_CSV_COLUMNS.map((column, i) => [column, lifecycleCsvCells(row)[i]]));
    expect(cells).toMatchObject({
      case_no: '20261123000001',
      overdue_now: false,
      sign_overdue: true,
      contact_overdue: false,
      handle_overdue: true,
      escalation_overdue: false,
      callback_overdue: false,
    });
  });

  it("should list each whistle round's grade, trigger and type in order, empty where the rules read none", () => {
    const row = {
      caseNo: '20261123000002',
      overdueDeadlines: [],
      whistles: [
        { round: 1, grade: 'red', trigger: 'joint-enforcement', whistleType: 'enforcement' },
        { round: 2, grade: 'blue', trigger: null, whistleType: null },
      ],
    } as unknown as AuditCaseRow;
    const cells = Object.fromEntries(LIFECYCLE_CSV_COLUMNS.map((column, i) => [column, lifecycleCsvCells(row)[i]]));
    expect(cells).toMatchObject({
      whistle_grades: 'red;blue',
      whistle_triggers: 'joint-enforcement;',
      whistle_types: 'enforcement;',
    });
  });
});
