import { describe, expect, it } from 'vitest';
import { bodyOf, layoutDiagram, rungOrder } from './ladder-layout';

const definition = (rungs: unknown[]) => ({
  lifecycle: { returnWindow: '1WD', callback: { window: '2WD', maxAttempts: 3 }, ladder: { rungs } },
});
const BEIJING_RUNGS = [
  { id: 'community', name: '社区协调委员会', coordinator: { committee: 'community' }, deadline: '3WD', next: 'street' },
  { id: 'street', name: '街道协调委员会', coordinator: { committee: 'street' }, deadline: '5WD', next: 'district' },
  { id: 'district', name: '区协调委员会', coordinator: { committee: 'district' }, deadline: '7WD', next: 'city' },
  { id: 'city', name: '市级挂牌督办', coordinator: { serviceCentre: true }, supervision: 'posted' },
];

describe('ladder layout', () => {
  it('lays the rungs left to right along next, each with its body and deadline, the last final', () => {
    const layout = layoutDiagram(definition(BEIJING_RUNGS));
    expect(layout.rungs.map((rung) => [rung.id, rung.body, rung.deadline, rung.final])).toEqual([
      ['community', 'committee:community', '3WD', false],
      ['street', 'committee:street', '5WD', false],
      ['district', 'committee:district', '7WD', false],
      ['city', 'serviceCentre', undefined, true],
    ]);
    const xs = layout.rungs.map((rung) => rung.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(layout.rungs.map((rung) => rung.y)).size).toBe(1);
    expect(layout.rungs[0].y).toBeGreaterThan(layout.stages[0].y + layout.stages[0].height);
    expect(layout.width).toBeGreaterThanOrEqual(layout.rungs[3].x + layout.rungs[3].width);
  });

  it('labels each climb with the deadline of the rung it leaves, and enters the ladder from handling', () => {
    const layout = layoutDiagram(definition(BEIJING_RUNGS));
    const climbs = layout.arrows.filter((arrow) => arrow.label !== undefined);
    expect(climbs.map((arrow) => `${arrow.from}->${arrow.to}:${arrow.label}`)).toEqual([
      'community->street:3WD',
      'street->district:5WD',
      'district->city:7WD',
    ]);
    expect(layout.arrows.some((arrow) => arrow.from === 'handling' && arrow.to === 'community')).toBe(true);
  });

  it('follows next, not the list order, and marks rungs off the chain or with a missing next as broken', () => {
    const shuffled = [BEIJING_RUNGS[0], BEIJING_RUNGS[2], BEIJING_RUNGS[1], BEIJING_RUNGS[3]];
    expect(rungOrder(shuffled).map(({ rung }) => rung.id)).toEqual(['community', 'street', 'district', 'city']);
    const broken = [{ ...BEIJING_RUNGS[0], next: 'nowhere' }, BEIJING_RUNGS[3]];
    expect(rungOrder(broken).map(({ rung, broken: b }) => [rung.id, b])).toEqual([
      ['community', true],
      ['city', true],
    ]);
  });

  it('changes when the draft changes: a new deadline is drawn on its rung and its arrow', () => {
    const edited = BEIJING_RUNGS.map((rung) => (rung.id === 'street' ? { ...rung, deadline: '2WD' } : rung));
    const layout = layoutDiagram(definition(edited));
    expect(layout.rungs.find((rung) => rung.id === 'street')?.deadline).toBe('2WD');
    expect(layout.arrows.find((arrow) => arrow.from === 'street')?.label).toBe('2WD');
  });

  it('draws a half-written draft without throwing', () => {
    expect(layoutDiagram({}).rungs).toEqual([]);
    expect(layoutDiagram({ lifecycle: { ladder: { rungs: [{}] } } }).rungs[0]).toMatchObject({
      body: '?',
      final: true,
    });
    expect(bodyOf({ unitId: 'dept-housing' })).toBe('unit:dept-housing');
    expect(layoutDiagram(definition(BEIJING_RUNGS)).stages.find((s) => s.id === 'callback')?.deadline).toBe('2WD');
  });
});
