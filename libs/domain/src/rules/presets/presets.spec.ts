import { RoutingCatalogue } from '../../routing/routing.types';
import { PRESET_IDS, PresetDistrictMissing, presetFor } from '.';

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
    expect(routing.categories).toHaveLength(3);
  });
});
