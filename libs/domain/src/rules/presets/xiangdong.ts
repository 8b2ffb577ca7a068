import { DeadlineSet, FUNCTION_HANDLER_PREFIX, RoutingCategory } from '../../routing/routing.types';
import { ProcessDefinition } from '../process-definition';
import { PresetCity, presetDistrict } from './preset-city';
import { beijingPreset } from './beijing';

/** Function of a village's comprehensive governance centre (村级综治中心), the first unit for the village's services. */
export const VILLAGE_CENTRE_FUNCTION = 'governance-centre';

/** Limits for an emergency: sign in 30 minutes, contact in 1 hour, handle in 2 hours (natural time). */
const EMERGENCY: DeadlineSet = { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' };

const centre = `${FUNCTION_HANDLER_PREFIX}${VILLAGE_CENTRE_FUNCTION}`;
const group = (fn: string): string => `${FUNCTION_HANDLER_PREFIX}${fn}`;

/**
 * The four services of the rural governance complex (the "4" of 4+X): each led by the village's governance centre,
 * with the village's volunteer group of that service summoned as its co-unit (it gets its task once the centre signs,
 * and reports its part to the centre). Limits are our defaults.
 */
export const VILLAGE_SERVICES: readonly RoutingCategory[] = [
  {
    id: 'village-volunteer-patrol',
    name: '志愿巡逻（治安巡防）',
    kinds: ['report', 'help'],
    defaultUrgency: 'normal',
    handler: centre,
    coUnits: [group('volunteer-patrol')],
    deadlines: {
      normal: { sign: '1WD', contact: '1WD', handle: '3WD' },
      urgent: { sign: 'PT2H', contact: 'PT2H', handle: '1WD' },
      emergency: EMERGENCY,
    },
  },
  {
    id: 'village-emergency-response',
    name: '应急处置',
    kinds: ['help', 'report'],
    defaultUrgency: 'urgent',
    handler: centre,
    coUnits: [group('emergency-response')],
    deadlines: {
      normal: { sign: '4WH', contact: '1WD', handle: '2WD' },
      urgent: { sign: 'PT1H', contact: 'PT2H', handle: 'P1D' },
      emergency: EMERGENCY,
    },
  },
  {
    id: 'village-dispute-mediation',
    name: '矛盾纠纷调解',
    kinds: ['help', 'complaint'],
    defaultUrgency: 'normal',
    handler: centre,
    coUnits: [group('volunteer-mediation')],
    deadlines: {
      normal: { sign: '1WD', contact: '1WD', handle: '10WD' },
      urgent: { sign: 'PT2H', contact: 'PT2H', handle: '3WD' },
      emergency: EMERGENCY,
    },
    enforcementOrMediation: true,
  },
  {
    id: 'village-volunteer-service',
    name: '志愿服务（助老助残、便民）',
    kinds: ['help', 'suggestion'],
    defaultUrgency: 'normal',
    handler: centre,
    coUnits: [group('volunteer-service')],
    deadlines: {
      normal: { sign: '1WD', contact: '1WD', handle: '5WD' },
      urgent: { sign: 'PT2H', contact: 'PT2H', handle: '2WD' },
      emergency: EMERGENCY,
    },
  },
];

/**
 * `xiangdong`: Xiangdong's rural governance complex (乡村治理综合体, "4+X"). Differences from `beijing`: the village's
 * comprehensive governance centre (村级综治中心, an office of function `governance-centre` in each village) is the
 * first unit for its four services — volunteer patrol, emergency response, dispute mediation, volunteer service —
 * and for the services a village adds (the "X": a designer adds a category led by `function:governance-centre`);
 * each service summons the village's volunteer or self-organised group of that service (an org unit of kind
 * `volunteer-group`, found by function) as a co-unit, which reports its part to the centre. Mediation matters are
 * left out of the satisfaction rate. Everything else (call-back, re-handling, the committee ladder, whistles) is
 * `beijing`'s. Jurisdiction: one district (on the demo city, the suburban 北郊区 and its villages).
 */
export function xiangdongPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'xiangdong',
    name: '湘东乡村治理综合体（4+X）',
    description:
      "Xiangdong: the village's comprehensive governance centre is the first unit for volunteer patrol, emergency " +
      'response, dispute mediation and volunteer service, plus the services a village adds; each summons the ' +
      "village's volunteer group of that service.",
    jurisdiction: { cityId: city.cityId, districtId: presetDistrict(city, 'xiangdong') },
    routing: {
      ...city.catalogue,
      id: `${city.catalogue.id}-xiangdong`,
      name: `${city.catalogue.name}（乡村治理综合体）`,
      categories: [...city.catalogue.categories, ...VILLAGE_SERVICES],
    },
  };
}
