import { patrolProblem } from './patrol';

describe('patrolProblem: patrol findings are filed by a grid worker from their own grid', () => {
  const patrol = { id: 'patrol-small-matter', patrol: true };
  const worker = { role: 'handler', unitId: 'g-xiyuan-1', unitKind: 'grid' } as const;
  const fromGrid = (gridId?: string) => ({ channel: 'grid' as const, place: gridId ? { gridId } : {} });

  it('should let a grid worker file a finding from their own grid', () => {
    expect(patrolProblem(patrol, fromGrid('g-xiyuan-1'), worker)).toBeUndefined();
  });

  it.each([
    ['another grid', fromGrid('g-xiyuan-2'), worker, 'place.gridId', 'own-grid'],
    ['no grid', fromGrid(), worker, 'place.gridId', 'own-grid'],
    [
      'the hotline channel',
      { channel: 'hotline' as const, place: { gridId: 'g-xiyuan-1' } },
      worker,
      'channel',
      'patrol-channel',
    ],
    ['an anonymous caller', fromGrid('g-xiyuan-1'), undefined, 'category', 'patrol-by-grid-worker'],
    [
      'a community handler',
      fromGrid('g-xiyuan-1'),
      { role: 'handler', unitId: 'c-xiyuan', unitKind: 'community' } as const,
      'category',
      'patrol-by-grid-worker',
    ],
    [
      'an operator',
      fromGrid('g-xiyuan-1'),
      { role: 'operator', unitId: 'centre-12345', unitKind: 'service-centre' } as const,
      'category',
      'patrol-by-grid-worker',
    ],
  ])('should refuse a finding from %s, naming the field and the rule', (_title, facts, filer, field, rule) => {
    expect(patrolProblem(patrol, facts, filer)).toMatchObject({ field, rule });
  });

  it('should never refuse a category that is not a patrol finding', () => {
    expect(patrolProblem({ id: 'noise-nuisance' }, { channel: 'hotline', place: {} }, undefined)).toBeUndefined();
    expect(patrolProblem({ id: 'noise-nuisance' }, fromGrid('g-xiyuan-2'), worker)).toBeUndefined();
  });
});
