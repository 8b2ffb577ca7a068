import { DEMO_CITY_ID } from '../../org/demo-city';
import { DEADLINE_PRESETS, DEMO_CATALOGUE } from '../../routing/demo-catalogue';
import { RoutingCategory } from '../../routing/routing.types';
import { ProcessDefinition } from '../process-definition';
import { BEIJING_DEFINITION } from './beijing';

/** Patrol findings that need several departments at once: the street leads, departments act together fast. */
const PATROL_FINDING: RoutingCategory = {
  id: 'patrol-joint-action',
  name: '巡查发现联勤处置',
  kinds: ['report'],
  defaultUrgency: 'urgent',
  handler: 'locality',
  coUnits: ['dept-urban-management', 'dept-market-regulation', 'dept-public-security', 'dept-transport'],
  deadlines: {
    normal: { sign: 'PT1H', contact: 'PT2H', handle: '3WD' },
    urgent: { sign: 'PT30M', contact: 'PT1H', handle: '1WD' },
    emergency: DEADLINE_PRESETS.ordinary.emergency,
  },
  enforcementOrMediation: true,
};

/**
 * `nanjing`: Nanjing's 大联勤 (great joint patrol). Differences from `beijing`: two-level command (city and district
 * command centres dispatch), three-level linkage (city, district, street): the ladder is street → district
 * command → city command, with no community rung; a district command centre may whistle too; patrol findings are a
 * category of their own, and a `rapid` whistle brings up to 10 departments within an hour for joint action.
 */
export const NANJING_DEFINITION: ProcessDefinition = {
  ...BEIJING_DEFINITION,
  id: 'nanjing',
  name: '南京大联勤',
  description:
    'Nanjing: two-level command and three-level linkage; patrols find problems and several departments act on ' +
    'them together, fast.',
  jurisdiction: { cityId: DEMO_CITY_ID },
  dispatch: { localityLevel: 'street', copyToDistrict: true, command: 'city-and-district' },
  routing: {
    ...DEMO_CATALOGUE,
    id: 'demo-nanjing',
    name: '示范市派单目录（大联勤）',
    categories: [...DEMO_CATALOGUE.categories, PATROL_FINDING],
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
      { kind: 'district', answeredBy: 'departments' },
      { kind: 'street', answeredBy: 'departments' },
      { kind: 'township', answeredBy: 'departments' },
    ],
    maxDepartments: 10,
  },
};
