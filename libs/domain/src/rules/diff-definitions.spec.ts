import { Change, diffDefinitions, formatDiff } from './diff-definitions';
import { ProcessDefinition } from './process-definition';
import { DEMO_PRESETS as PRESETS } from '../../../persistence/src/seed/demo-presets';

type Editable<T> = T extends readonly (infer U)[]
  ? Editable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Editable<T[K]> }
    : T;

/** The beijing preset, changed by `change`. */
function edited(change: (doc: Editable<ProcessDefinition>) => void): ProcessDefinition {
  const doc = JSON.parse(JSON.stringify(PRESETS.beijing)) as Editable<ProcessDefinition>;
  change(doc);
  return doc;
}

describe('diffDefinitions', () => {
  it('should find nothing between equal documents', () => {
    expect(
      diffDefinitions(
        PRESETS.beijing,
        edited(() => undefined),
      ),
    ).toEqual([]);
    expect(formatDiff([])).toBe('');
  });

  it('should show a shortened street committee deadline as one change, readable as text', () => {
    const after = edited((doc) => (doc.lifecycle.ladder.rungs[1].deadline = '3WD'));
    const changes = diffDefinitions(PRESETS.beijing, after);
    expect(changes).toEqual<Change[]>([
      {
        path: '/lifecycle/ladder/rungs/1/deadline',
        label: 'lifecycle.ladder.rungs[street].deadline',
        kind: 'changed',
        before: '5WD',
        after: '3WD',
      },
    ]);
    expect(formatDiff(changes)).toBe('~ lifecycle.ladder.rungs[street].deadline: "5WD" → "3WD"');
  });

  it('should match rungs by id, so a new order is one change and no field changes', () => {
    const after = edited((doc) => doc.lifecycle.ladder.rungs.reverse());
    expect(diffDefinitions(PRESETS.beijing, after)).toEqual<Change[]>([
      {
        path: '/lifecycle/ladder/rungs',
        label: 'lifecycle.ladder.rungs (order)',
        kind: 'changed',
        before: ['community', 'street', 'district', 'city'],
        after: ['city', 'district', 'street', 'community'],
      },
    ]);
  });

  it('should report items and fields added and removed, with pointers into the document that has them', () => {
    const after = edited((doc) => {
      doc.whistle.grades.splice(1, 1); // yellow goes
      doc.whistle.grades.push({ id: 'orange', name: '橙哨', description: '较急事项', reportLimit: '2WH' });
      doc.lifecycle.suspension = { ...doc.lifecycle.suspension, maxCount: 2 };
      delete doc.description;
    });
    expect(diffDefinitions(PRESETS.beijing, after)).toEqual<Change[]>([
      { path: '/description', label: 'description', kind: 'removed', before: PRESETS.beijing.description },
      {
        path: '/lifecycle/suspension/maxCount',
        label: 'lifecycle.suspension.maxCount',
        kind: 'added',
        after: 2,
      },
      {
        path: '/whistle/grades/1',
        label: 'whistle.grades[yellow]',
        kind: 'removed',
        before: PRESETS.beijing.whistle.grades[1],
      },
      {
        path: '/whistle/grades/2',
        label: 'whistle.grades[orange]',
        kind: 'added',
        after: { id: 'orange', name: '橙哨', description: '较急事项', reportLimit: '2WH' },
      },
    ]);
  });

  it('should match whistler rules by kind and change plain lists as a whole', () => {
    const after = edited((doc) => {
      doc.whistle.whistlers[2].answeredBy = 'street';
      doc.routing.categories[0].coUnits = ['dept-housing', 'dept-planning'];
    });
    expect(formatDiff(diffDefinitions(PRESETS.beijing, after)).split('\n')).toEqual([
      '~ routing.categories[property-management].coUnits: ["dept-housing"] → ["dept-housing","dept-planning"]',
      '~ whistle.whistlers[community].answeredBy: "departments" → "street"',
    ]);
  });

  it('should cut long values on a line', () => {
    const text = formatDiff([{ path: '/name', label: 'name', kind: 'added', after: 'x'.repeat(200) }]);
    expect(text).toBe(`+ name: "${'x'.repeat(78)}…`);
  });

  it('should describe a whole preset against another, one line per change', () => {
    const text = formatDiff(diffDefinitions(PRESETS.beijing, PRESETS.pinggu));
    expect(text).toContain('~ whistle.stayUntilDone: false → true');
    expect(text).toContain('- whistle.grades[yellow]: ');
    expect(text).toContain('- lifecycle.ladder.rungs[community]: ');
    expect(text).not.toContain('grades[red].reportLimit');
  });
});
