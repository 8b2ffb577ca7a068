import { ProcessDefinition } from '../process-definition';
import { PresetCity, presetDistrict } from './preset-city';
import { beijingPreset } from './beijing';

/**
 * `ningbo-dl`: a Ningbo street's 社区吹哨、街道报到 with 点单 / 办单 / 销单 (the citizen orders, the units handle, the
 * case closes after the return visit). Differences from `beijing`: locality matters go to the grid first ("small
 * matters stay in the grid"); a community (or village) whistles and its street answers; the ladder is community
 * committee → street committee ("hard ones in the community, big ones in the street") → city supervision, with no
 * district rung and no copy to the district. Jurisdiction: the demo city's urban district 东湖区.
 */
export function ningboDlPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'ningbo-dl',
    name: '宁波DL街道 社区吹哨、街道报到',
    description:
      'Ningbo DL street: small matters stay in the grid, hard ones in the community, big ones in the street; the ' +
      'community whistles and the street reports; a case closes after the return visit.',
    jurisdiction: { cityId: city.cityId, districtId: presetDistrict(city, 'ningbo-dl') },
    dispatch: { localityLevel: 'grid', copyToDistrict: false, command: 'city' },
    lifecycle: {
      ...BEIJING_DEFINITION.lifecycle,
      ladder: {
        rungs: [
          {
            id: 'grid',
            name: '网格（小事在网格）',
            coordinator: { place: 'grid' },
            role: 'handler',
            actions: ['instruct'],
            deadline: '2WD',
            next: 'community',
          },
          {
            id: 'community',
            name: '社区（难事在社区）',
            coordinator: { committee: 'community' },
            deadline: '3WD',
            next: 'street',
          },
          {
            id: 'street',
            name: '街道（大事在街道）',
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
        { kind: 'community', answeredBy: 'street' },
        { kind: 'village', answeredBy: 'street' },
        { kind: 'street', answeredBy: 'departments' },
      ],
    },
  };
}
