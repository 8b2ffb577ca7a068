import { ProcessDefinition } from '../process-definition';
import { PresetCity, presetDistrict } from './preset-city';
import { beijingPreset } from './beijing';

/**
 * `malu`: Shanghai Malu's 镇管社区 (the town manages communities): town → community → village/residence. On the demo
 * city the township is the town, the coordination committee of a community or village plays Malu's community layer,
 * and the community or village itself the village/residence committee. Differences from `beijing`: locality
 * matters go to the community/village first; only the community layer whistles, and departments answer it
 * (条专块统: the lines specialise, the block coordinates); the ladder is community layer → town → district → city.
 * Jurisdiction: the demo city's district 西山区, whose township 石桥镇 has villages and a community.
 */
export function maluPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'malu',
    name: '上海马陆镇管社区',
    description:
      'Malu: the town manages communities; village and residents committees handle first, the community layer ' +
      'coordinates the departments, the town above it.',
    jurisdiction: { cityId: city.cityId, districtId: presetDistrict(city, 'malu') },
    dispatch: { localityLevel: 'community', copyToDistrict: false, command: 'city' },
    lifecycle: {
      ...BEIJING_DEFINITION.lifecycle,
      ladder: {
        rungs: [
          {
            id: 'village-residence',
            name: '村（居）委会',
            coordinator: { place: 'community' },
            role: 'handler',
            actions: ['instruct', 'convene'],
            deadline: '3WD',
            next: 'community-layer',
          },
          {
            id: 'community-layer',
            name: '社区（镇管社区，条专块统）',
            coordinator: { committee: 'community' },
            actions: ['instruct', 'reassign', 'convene'],
            deadline: '3WD',
            next: 'town',
          },
          {
            id: 'town',
            name: '镇协调委员会',
            coordinator: { committee: 'street' },
            supervision: 'posted',
            actions: ['instruct', 'reassign', 'convene', 'decide'],
          },
        ],
      },
    },
    whistle: {
      ...BEIJING_DEFINITION.whistle,
      whistlers: [
        { kind: 'community', answeredBy: 'departments' },
        { kind: 'village', answeredBy: 'departments' },
      ],
    },
  };
}
