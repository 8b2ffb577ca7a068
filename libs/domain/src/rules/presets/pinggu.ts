import { ProcessDefinition } from '../process-definition';
import { PresetCity, presetDistrict } from './preset-city';
import { beijingPreset } from './beijing';

/**
 * `pinggu`: Pinggu's 乡镇吹哨、部门报到, the origin of the whistle (joint enforcement in the townships). Differences from
 * `beijing`: townships and streets whistle (not communities); a red whistle for joint enforcement or emergency
 * response (an enforcement whistle) makes departments report within 30 minutes, a blue one (a management or
 * development whistle) within a working day; departments stay until the township confirms the job done (事不完、人不撤);
 * the township rates each department and can veto its assessment; the ladder starts at the township committee.
 * Jurisdiction: the demo city's suburban district 北郊区, whose townships stand in for Pinggu's.
 */
export function pingguPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'pinggu',
    name: '平谷乡镇吹哨、部门报到',
    description:
      'Pinggu: the township whistles for joint enforcement; departments report within 30 minutes for a red whistle, ' +
      'stay until the job is done, and are rated by the township, which can veto.',
    jurisdiction: { cityId: city.cityId, districtId: presetDistrict(city, 'pinggu') },
    lifecycle: {
      ...BEIJING_DEFINITION.lifecycle,
      ladder: {
        rungs: [
          {
            id: 'township',
            name: '乡镇（街道）协调委员会',
            coordinator: { committee: 'street' },
            deadline: '5WD',
            next: 'district',
          },
          {
            id: 'district',
            name: '区协调委员会',
            coordinator: { committee: 'district' },
            supervision: 'posted',
            actions: ['instruct', 'reassign', 'convene', 'decide'],
          },
        ],
      },
    },
    whistle: {
      triggers: ['joint-enforcement', 'emergency-response', 'key-work', 'citizen-demand'],
      types: ['enforcement', 'management', 'development'],
      grades: [
        {
          id: 'blue',
          name: '蓝哨',
          description: '日常事项：部门派员报到，按期办结',
          reportLimit: '1WD',
          triggers: ['key-work', 'citizen-demand'],
          types: ['management', 'development'],
        },
        {
          id: 'red',
          name: '红哨',
          description: '联合执法、应急处置：部门执法力量30分钟内到场报到，事不完、人不撤',
          reportLimit: 'PT30M',
          triggers: ['joint-enforcement', 'emergency-response'],
          types: ['enforcement'],
        },
      ],
      whistlers: [
        { kind: 'township', answeredBy: 'departments' },
        { kind: 'street', answeredBy: 'departments' },
      ],
      maxDepartments: 6,
      stayUntilDone: true,
      rating: { required: true, veto: true },
    },
    // The township's ratings make a fifth of a department's monthly score (our figure); a veto makes that part 0.
    scoring: { ...BEIJING_DEFINITION.scoring, doubleAssessmentWeight: 20 },
  };
}
