import { CASE_NO_PATTERN, caseWorkflowId, factsOf, formatCaseNo } from './case.types';

describe('case numbers', () => {
  it.each([
    ['2026-11-23T01:00:00Z', 1, '20261123000001'],
    // 16:30 UTC is 00:30 the next day in China: the case belongs to the Chinese date.
    ['2026-12-31T16:30:00Z', 42, '20270101000042'],
    ['2026-03-01T15:59:59Z', 1234567, '202603011234567'],
  ])('should number a case received at %s with serial %d as %s', (at, serial, expected) => {
    expect(formatCaseNo(new Date(at), serial)).toBe(expected);
    expect(expected).toMatch(CASE_NO_PATTERN);
  });

  it('should derive the workflow id from the case number', () => {
    expect(caseWorkflowId('20261123000001')).toBe('case-20261123000001');
  });

  it('should keep personal data out of the facts a workflow sees', () => {
    const facts = factsOf({
      kind: 'complaint',
      category: 'noise',
      urgency: 'normal',
      channel: 'hotline',
      place: { streetId: 's-1' },
      description: 'my neighbour, phone 13800138000',
      address: 'Room 101',
      citizen: { name: '王小明', phone: '13800138000' },
      location: { lat: 39.9, lng: 116.4 },
    });
    expect(facts).toEqual({
      kind: 'complaint',
      category: 'noise',
      urgency: 'normal',
      channel: 'hotline',
      place: { streetId: 's-1' },
    });
  });
});
