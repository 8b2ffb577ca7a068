import type { CaseKind } from '../../case/case.types';
import { DEMO_CITY, DEMO_CITY_ID } from '../../org/demo-city';
import type { PlaceQuery } from '../../org/org.types';
import { DEMO_CATALOGUE } from '../../routing/demo-catalogue';
import { evaluateRoute } from '../../routing/evaluate-route';
import { RoutingCatalogue, RoutingCategory } from '../../routing/routing.types';
import { validateDefinition } from '../validate-definition';
import { PRESET_IDS, PresetDistrictMissing, presetFor } from '.';
import { VILLAGE_SERVICES } from './xiangdong';

/** A catalogue of another city: one locality matter and one enforcement matter with its own departments. */
const CATALOGUE: RoutingCatalogue = {
  id: 'qingshan',
  version: '3',
  name: '青山县派单目录',
  categories: [
    {
      id: 'noise',
      name: '噪声扰民',
      kinds: ['complaint'],
      defaultUrgency: 'normal',
      handler: 'locality',
      coUnits: ['qs-ecology'],
      deadlines: {
        normal: { sign: '1WD', contact: 'PT24H', handle: '7WD' },
        urgent: { sign: 'PT2H', contact: 'PT2H', handle: '3WD' },
        emergency: { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' },
      },
    },
    {
      id: 'illegal-building',
      name: '违法建设',
      kinds: ['report'],
      defaultUrgency: 'normal',
      handler: 'qs-enforcement',
      coUnits: ['locality', 'qs-planning'],
      deadlines: {
        normal: { sign: '1WD', contact: 'PT24H', handle: '15WD' },
        urgent: { sign: 'PT2H', contact: 'PT2H', handle: '7WD' },
        emergency: { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' },
      },
      enforcementOrMediation: true,
    },
  ],
};

describe('presets are templates a city fills in', () => {
  it.each(PRESET_IDS)('%s takes the city root, its catalogue and its district', (id) => {
    const preset = presetFor(id, { cityId: 'qingshan', catalogue: CATALOGUE, districtId: 'qs-east' });
    expect(preset.id).toBe(id);
    expect(preset.jurisdiction.cityId).toBe('qingshan');
    expect(preset.routing.categories.map((category) => category.id)).toEqual(
      expect.arrayContaining(['noise', 'illegal-building']),
    );
    expect(JSON.stringify(preset)).not.toMatch(/"(d|s|c|g)-[a-z]+"|dept-|demo/);
    expect(Object.isFrozen(preset.lifecycle)).toBe(true);
  });

  it('district presets cover the named district and refuse to guess one', () => {
    expect(
      presetFor('pinggu', { cityId: 'qingshan', catalogue: CATALOGUE, districtId: 'qs-east' }).jurisdiction,
    ).toEqual({ cityId: 'qingshan', districtId: 'qs-east' });
    expect(() => presetFor('suyu', { cityId: 'qingshan', catalogue: CATALOGUE })).toThrow(PresetDistrictMissing);
    expect(presetFor('beijing', { cityId: 'qingshan', catalogue: CATALOGUE }).jurisdiction).toEqual({
      cityId: 'qingshan',
    });
  });

  it("jinan shortens the city's 7-working-day limits to 5 and leaves the others", () => {
    const { routing } = presetFor('jinan', { cityId: 'qingshan', catalogue: CATALOGUE });
    expect(routing.id).toBe('qingshan-jinan');
    expect(routing.categories[0].deadlines.normal.handle).toBe('5WD');
    expect(routing.categories[1].deadlines.normal.handle).toBe('15WD');
    expect(CATALOGUE.categories[0].deadlines.normal.handle).toBe('7WD');
  });

  it("nanjing's patrol findings bring the city's own enforcement departments", () => {
    const { routing } = presetFor('nanjing', { cityId: 'qingshan', catalogue: CATALOGUE });
    const patrol = routing.categories.find((category) => category.id === 'patrol-joint-action');
    expect(patrol?.coUnits).toEqual(['qs-enforcement', 'qs-planning']);
    // The city's two categories, then the patrol small matter and the joint action.
    expect(routing.categories.map((category) => category.id)).toEqual([
      'noise',
      'illegal-building',
      'patrol-small-matter',
      'patrol-joint-action',
    ]);
  });
});

/** The rules `nanjing` (patrol parts) and `xiangdong` state, each proved on the demo city. */
describe('preset rules on the demo city', () => {
  const demo = (id: 'nanjing' | 'xiangdong') =>
    presetFor(id, { cityId: DEMO_CITY_ID, catalogue: DEMO_CATALOGUE, districtId: 'd-beijiao' });
  const route = (id: 'nanjing' | 'xiangdong', category: string, kind: CaseKind, place: PlaceQuery) =>
    evaluateRoute(demo(id).routing, DEMO_CITY, { category, kind, place }, demo(id).dispatch);

  it('nanjing: a small matter found on patrol stays with the grid it was found in', () => {
    const decision = route('nanjing', 'patrol-small-matter', 'report', { gridId: 'g-xiyuan-2' });
    expect([decision.mode, decision.leadUnitId, decision.coUnitIds]).toEqual(['direct-to-grid', 'g-xiyuan-2', []]);
  });

  it('nanjing: a joint-action finding is led by the street with several of its district’s departments', () => {
    const decision = route('nanjing', 'patrol-joint-action', 'report', { gridId: 'g-xiyuan-1' });
    expect(decision.leadUnitId).toBe('s-hubin');
    expect(decision.coUnitIds.length).toBeGreaterThanOrEqual(2);
    for (const id of decision.coUnitIds) expect(DEMO_CITY.byId.get(id)?.kind).toBe('department');
    expect(decision.coUnitIds).toContain('dept-donghu-urban-management');
    expect(demo('nanjing').dispatch.command).toBe('city-and-district');
  });

  it('nanjing: both patrol categories are flagged as patrol findings, and nothing else is', () => {
    const flagged = demo('nanjing').routing.categories.filter((category) => category.patrol);
    expect(flagged.map((category) => category.id)).toEqual(['patrol-small-matter', 'patrol-joint-action']);
  });

  it.each([
    ['village-volunteer-patrol', 'report', 'vg-liuhe-patrol'],
    ['village-emergency-response', 'help', 'vg-liuhe-emergency'],
    ['village-dispute-mediation', 'help', 'vg-liuhe-mediation'],
    ['village-volunteer-service', 'help', 'vg-liuhe-service'],
  ] as const)(
    'xiangdong: %s is led by the village’s governance centre, which summons its volunteer group',
    (category, kind, groupId) => {
      const decision = route('xiangdong', category, kind, { gridId: 'g-liuhe-1' });
      expect([decision.mode, decision.leadUnitId, decision.coUnitIds]).toEqual([
        'body-by-function',
        'o-liuhe-governance',
        [groupId],
      ]);
      expect(DEMO_CITY.byId.get(groupId)?.kind).toBe('volunteer-group');
    },
  );

  it('xiangdong: a village’s services go to that village’s own centre, not a neighbour’s', () => {
    expect(route('xiangdong', 'village-dispute-mediation', 'help', { communityId: 'v-nangou' }).leadUnitId).toBe(
      'o-nangou-governance',
    );
  });

  it('xiangdong: dispute mediation is left out of the satisfaction rate, the other services are not', () => {
    const place = { gridId: 'g-liuhe-1' };
    expect(route('xiangdong', 'village-dispute-mediation', 'help', place).enforcementOrMediation).toBe(true);
    expect(route('xiangdong', 'village-volunteer-service', 'help', place).enforcementOrMediation).toBe(false);
  });

  it('xiangdong: a service a village adds (the X) runs through the centre too, and the definition stays valid', () => {
    const base = demo('xiangdong');
    const tea: RoutingCategory = {
      ...VILLAGE_SERVICES[3],
      id: 'village-tea-industry',
      name: '茶产业服务',
      coUnits: ['function:volunteer-service'],
    };
    const doc = { ...base, routing: { ...base.routing, categories: [...base.routing.categories, tea] } };
    expect(validateDefinition(doc, { tree: DEMO_CITY })).toMatchObject({ ok: true });
    const decision = evaluateRoute(doc.routing, DEMO_CITY, {
      category: 'village-tea-industry',
      kind: 'help',
      place: { gridId: 'g-zhangjiazhuang-1' },
    });
    expect(decision.leadUnitId).toBe('o-zhangjiazhuang-governance');
  });

  it('xiangdong: a place with no governance centre cannot take a village service (the place is refused)', () => {
    expect(() => route('xiangdong', 'village-dispute-mediation', 'help', { communityId: 'c-qinghewan' })).toThrow(
      expect.objectContaining({ code: 'no-office' }),
    );
  });

  it('xiangdong: a service led by a function no body of the org tree has is refused by validation', () => {
    const base = demo('xiangdong');
    const categories = base.routing.categories.map((category) =>
      category.id === 'village-volunteer-patrol' ? { ...category, handler: 'function:no-such-centre' } : category,
    );
    const result = validateDefinition({ ...base, routing: { ...base.routing, categories } }, { tree: DEMO_CITY });
    expect(result.ok ? [] : result.errors.map((error) => error.rule)).toEqual(['unknown-function']);
  });
});

describe('nanjing on a catalogue with bodies named by function', () => {
  it('should bring departments only to the joint action, never a village centre or group', () => {
    const catalogue: RoutingCatalogue = {
      ...CATALOGUE,
      categories: [
        ...CATALOGUE.categories,
        { ...CATALOGUE.categories[1], id: 'mediation', handler: 'function:governance-centre', coUnits: ['qs-civil'] },
      ],
    };
    const { routing } = presetFor('nanjing', { cityId: 'qingshan', catalogue });
    const patrol = routing.categories.find((category) => category.id === 'patrol-joint-action');
    expect(patrol?.coUnits).toEqual(['qs-enforcement', 'qs-planning', 'qs-civil']);
  });
});
