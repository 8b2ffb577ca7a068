import {
  DuplicateCandidate,
  DuplicateMatch,
  findDuplicate,
  normalizeAddressKey,
  OpenCaseSummary,
  priorityForRepeats,
  RepeatAssessment,
} from './duplicate';

/** 0.001° of latitude is about 111 m. */
const at = (dLat: number) => ({ lat: 39.9 + dLat, lng: 116.4 });

const open = (caseNo: string, fields: Partial<OpenCaseSummary> = {}): OpenCaseSummary => ({
  caseNo,
  category: 'noise-nuisance',
  repeatCount: 0,
  ...fields,
});

describe('findDuplicate', () => {
  it.each<[string, OpenCaseSummary[], DuplicateCandidate, Partial<DuplicateMatch> & { caseNo?: string }]>([
    [
      'link a same-category request 222 m away within the default 250 m radius',
      [open('A1', { point: at(0) })],
      { category: 'noise-nuisance', point: at(0.002) },
      { caseNo: 'A1', matchedBy: 'radius', action: 'report-progress', repeatCount: 1 },
    ],
    [
      'link a same-category request at the same address written differently',
      [open('A1', { address: '湖滨路１２号 ３单元' })],
      { category: 'noise-nuisance', address: '湖滨路12号3单元' },
      { caseNo: 'A1', matchedBy: 'address' },
    ],
    [
      'link a same-category request in the same grid however far apart the points',
      [open('A1', { gridId: 'g-xiyuan-1', point: at(0) })],
      { category: 'noise-nuisance', gridId: 'g-xiyuan-1', point: at(0.01) },
      { caseNo: 'A1', matchedBy: 'grid', distanceMeters: expect.any(Number) },
    ],
    [
      'ask for a new linked case when the caller brings new facts',
      [open('A1', { point: at(0), repeatCount: 2 })],
      { category: 'noise-nuisance', point: at(0.001), hasNewFacts: true },
      { caseNo: 'A1', action: 'open-linked-case', repeatCount: 3, priority: { priority: 'high' } },
    ],
    [
      'prefer an address match over a nearer radius match',
      [open('A1', { point: at(0.0001) }), open('A2', { point: at(0.002), address: '文昌路1号' })],
      { category: 'noise-nuisance', point: at(0), address: '文昌路1号' },
      { caseNo: 'A2', matchedBy: 'address' },
    ],
    [
      'prefer the nearest of several radius matches whatever their order',
      [open('A1', { point: at(0.002) }), open('A2', { point: at(0.0005) }), open('A3', { point: at(-0.001) })],
      { category: 'noise-nuisance', point: at(0) },
      { caseNo: 'A2', matchedBy: 'radius' },
    ],
    [
      'break a tie by the smaller case number',
      [open('B7', { gridId: 'g-x-1' }), open('B3', { gridId: 'g-x-1' })],
      { category: 'noise-nuisance', gridId: 'g-x-1' },
      { caseNo: 'B3', matchedBy: 'grid' },
    ],
  ])('should %s', (_title, openCases, candidate, expected) => {
    const { caseNo, ...rest } = expected;
    const match = findDuplicate(openCases, candidate);
    expect(match?.openCase.caseNo).toBe(caseNo);
    expect(match).toMatchObject(rest);
  });

  it.each<[string, OpenCaseSummary[], DuplicateCandidate]>([
    ['a request 278 m away', [open('A1', { point: at(0) })], { category: 'noise-nuisance', point: at(0.0025) }],
    [
      'a different category at the same address and grid',
      [open('A1', { address: '湖滨路12号', gridId: 'g-xiyuan-1', point: at(0) })],
      { category: 'water-supply', address: '湖滨路12号', gridId: 'g-xiyuan-1', point: at(0) },
    ],
    ['a request with no place at all', [open('A1', { point: at(0), gridId: 'g-x-1' })], { category: 'noise-nuisance' }],
    [
      'an address that normalises to nothing',
      [open('A1', { address: ' - ' })],
      { category: 'noise-nuisance', address: '—' },
    ],
    ['no open cases', [], { category: 'noise-nuisance', point: at(0) }],
  ])('should not link %s', (_title, openCases, candidate) => {
    expect(findDuplicate(openCases, candidate)).toBeUndefined();
  });

  it('should honour a custom radius', () => {
    const openCases = [open('A1', { point: at(0) })];
    const candidate = { category: 'noise-nuisance', point: at(0.004) };
    expect(findDuplicate(openCases, candidate)).toBeUndefined();
    expect(findDuplicate(openCases, candidate, { radiusMeters: 500 })?.matchedBy).toBe('radius');
  });
});

describe('normalizeAddressKey', () => {
  it.each<[string, string]>([
    ['湖滨路１２号 ３单元', '湖滨路12号3单元'],
    ['  Building A, Room 5  ', 'buildingaroom5'],
    ['文昌路（东段）1-2号', '文昌路东段12号'],
  ])('should normalise %j to %j', (address, expected) => {
    expect(normalizeAddressKey(address)).toBe(expected);
  });
});

describe('priorityForRepeats', () => {
  it.each<[number, RepeatAssessment]>([
    [0, { priority: 'normal' }],
    [1, { priority: 'elevated' }],
    [2, { priority: 'elevated' }],
    [3, { priority: 'high' }],
    [4, { priority: 'high' }],
    [5, { priority: 'high', supervision: 'daily' }],
    [40, { priority: 'high', supervision: 'daily' }],
  ])('should rate a case repeated %i times as %j', (repeatCount, expected) => {
    expect(priorityForRepeats(repeatCount)).toEqual(expected);
  });

  it('should follow a custom policy', () => {
    const policy = { elevatedAt: 2, highAt: 4, supervisionAt: 4 };
    expect(priorityForRepeats(1, policy)).toEqual({ priority: 'normal' });
    expect(priorityForRepeats(4, policy)).toEqual({ priority: 'high', supervision: 'daily' });
  });

  it.each([-1, 1.5, Number.NaN])('should refuse the repeat count %p', (repeatCount) => {
    expect(() => priorityForRepeats(repeatCount)).toThrow(
      expect.objectContaining({ name: 'IntakeError', code: 'invalid-repeat-count' }),
    );
  });
});
