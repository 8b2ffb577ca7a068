import {
  DeadlineSet,
  handlerFunction,
  LOCALITY_HANDLER,
  RoutingCatalogue,
  RoutingCategory,
} from '../../routing/routing.types';
import { ProcessDefinition } from '../process-definition';
import { PresetCity } from './preset-city';
import { beijingPreset } from './beijing';

/** Limits for an emergency: sign in 30 minutes, contact in 1 hour, handle in 2 hours (natural time). */
const EMERGENCY: DeadlineSet = { sign: 'PT30M', contact: 'PT1H', handle: 'PT2H' };

/** How many departments a patrol finding brings together by default. */
const JOINT_ACTION_DEPARTMENTS = 4;

/**
 * Patrol findings that need several departments at once: the street leads, departments act together fast as its
 * co-units, and under two-level command the district's command centre dispatches and commands the case. The
 * departments are the city's own: those its catalogue names for enforcement or mediation matters, first come first.
 * Only a grid worker files one, from their own grid (`patrol`).
 */
function patrolFinding(catalogue: RoutingCatalogue): RoutingCategory {
  const departments = new Set<string>();
  for (const category of catalogue.categories.filter((one) => one.enforcementOrMediation)) {
    for (const unit of [category.handler, ...(category.coUnits ?? [])]) {
      // Departments only: not the locality, nor a body named by function (a village's centre or group).
      if (unit !== LOCALITY_HANDLER && handlerFunction(unit) === undefined) departments.add(unit);
    }
  }
  return {
    id: 'patrol-joint-action',
    name: '巡查发现联勤处置',
    kinds: ['report'],
    defaultUrgency: 'urgent',
    handler: 'locality',
    coUnits: [...departments].slice(0, JOINT_ACTION_DEPARTMENTS),
    deadlines: {
      normal: { sign: 'PT1H', contact: 'PT2H', handle: '3WD' },
      urgent: { sign: 'PT30M', contact: 'PT1H', handle: '1WD' },
      emergency: EMERGENCY,
    },
    enforcementOrMediation: true,
    patrol: true,
  };
}

/**
 * Small matters a grid worker finds on patrol (小事不出网格): the grid itself keeps and handles them; a grid worker
 * files them, from their own grid (`patrol`).
 */
const PATROL_SMALL_MATTER: RoutingCategory = {
  id: 'patrol-small-matter',
  name: '巡查发现一般问题',
  kinds: ['report'],
  defaultUrgency: 'normal',
  handler: 'locality',
  localityLevel: 'grid',
  deadlines: {
    normal: { sign: '4WH', contact: '1WD', handle: '3WD' },
    urgent: { sign: 'PT1H', contact: 'PT2H', handle: '1WD' },
    emergency: EMERGENCY,
  },
  patrol: true,
};

/**
 * `nanjing`: Nanjing's 大联勤 (great joint patrol). Differences from `beijing`: two-level command (city and district
 * command centres dispatch), three-level linkage (city, district, street): the ladder is street → district
 * command → city command, with no community rung; a district command centre may whistle too. Grid workers file what
 * they find on patrol from their own grid: small matters stay with the grid (`patrol-small-matter`), a finding that
 * needs several departments starts a joint action led by the street with the departments as co-units, under the
 * district command centre (`patrol-joint-action`); a `rapid` whistle brings up to 10 departments within an hour.
 */
export function nanjingPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'nanjing',
    name: '南京大联勤',
    description:
      'Nanjing: two-level command and three-level linkage; patrols find problems and several departments act on ' +
      'them together, fast.',
    jurisdiction: { cityId: city.cityId },
    dispatch: { localityLevel: 'street', copyToDistrict: true, command: 'city-and-district' },
    routing: {
      ...city.catalogue,
      id: `${city.catalogue.id}-nanjing`,
      name: `${city.catalogue.name}（大联勤）`,
      categories: [...city.catalogue.categories, PATROL_SMALL_MATTER, patrolFinding(city.catalogue)],
    },
    lifecycle: {
      ...BEIJING_DEFINITION.lifecycle,
      ladder: {
        rungs: [
          {
            id: 'street',
            name: '街道联勤工作站',
            coordinator: { committee: 'street' },
            deadline: '3WD',
            next: 'district-command',
          },
          {
            id: 'district-command',
            name: '区联勤指挥中心',
            coordinator: { serviceCentre: true },
            role: 'operator',
            actions: ['instruct', 'reassign', 'convene'],
            deadline: '5WD',
            next: 'city-command',
          },
          {
            id: 'city-command',
            name: '市联勤指挥中心',
            coordinator: { office: 'command-centre' },
            supervision: 'posted',
            actions: ['instruct', 'reassign', 'convene', 'decide'],
          },
        ],
      },
    },
    whistle: {
      ...BEIJING_DEFINITION.whistle,
      triggers: [...BEIJING_DEFINITION.whistle.triggers, 'patrol-finding'],
      grades: [
        ...BEIJING_DEFINITION.whistle.grades,
        {
          id: 'rapid',
          name: '快速联动',
          description: '巡查发现：多部门1小时内联合到场处置',
          reportLimit: 'PT1H',
          triggers: ['patrol-finding'],
        },
      ],
      whistlers: [
        { kind: 'service-centre', answeredBy: 'departments' },
        { kind: 'district', answeredBy: 'departments' },
        { kind: 'street', answeredBy: 'departments' },
        { kind: 'township', answeredBy: 'departments' },
      ],
      maxDepartments: 10,
    },
  };
}
