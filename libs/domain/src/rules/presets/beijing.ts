import { PROCESS_DEFINITION_SCHEMA_VERSION, ProcessDefinition } from '../process-definition';
import { PresetCity } from './preset-city';

/**
 * `beijing`: Beijing's 接诉即办 with 街乡吹哨、部门报到, the full process of DESIGN.md §3 on the demo city. Direct
 * dispatch to the street/township with a copy to its district; return within 2 working days; one extension of at
 * most 10 working days; committee ladder community 3WD → street 5WD → district 7WD → city supervision (posted);
 * reminders at 80 %; supervision the working day after expiry, then a level every 5 working days; whistle grades
 * blue 1WD / yellow 4WH / red 30 minutes, whistled by a street/township or a community/village, at most 6
 * departments, rated by the whistler (double assessment); call-back within 2 working days in 3 attempts, one
 * re-handling of 5 working days, then the discipline office decides on accountability within 10 working days
 * (our figure); duplicates within 250 m or the same grid; scores weighted
 * 30 / 35 / 35, ranked from 10 rated cases, bottom 10 published. Its lifecycle rules equal
 * `BEIJING_LIFECYCLE_RULES`.
 */
export function beijingPreset(city: PresetCity): ProcessDefinition {
  return {
    schemaVersion: PROCESS_DEFINITION_SCHEMA_VERSION,
    id: 'beijing',
    name: '北京接诉即办 · 街乡吹哨、部门报到',
    description:
      'Beijing: every request dispatched to a responsible unit under a deadline and rated by the citizen; streets and ' +
      'townships whistle departments, which report and are rated; monthly three-rate ranking.',
    jurisdiction: { cityId: city.cityId },
    calendarId: 'cn-mainland',
    dispatch: { localityLevel: 'street', copyToDistrict: true, command: 'city' },
    routing: city.catalogue,
    lifecycle: {
      returnWindow: '2WD',
      extension: { maxCount: 1, maxWorkingDays: 10 },
      suspension: { reasons: [{ id: 'awaiting-citizen', name: '等待诉求人补充材料或配合' }] },
      ladder: {
        rungs: [
          {
            id: 'community',
            name: '社区协调委员会',
            coordinator: { committee: 'community' },
            deadline: '3WD',
            next: 'street',
          },
          {
            id: 'street',
            name: '街道（乡镇）协调委员会',
            coordinator: { committee: 'street' },
            deadline: '5WD',
            next: 'district',
          },
          {
            id: 'district',
            name: '区协调委员会',
            coordinator: { committee: 'district' },
            deadline: '7WD',
            next: 'city',
          },
          {
            id: 'city',
            name: '市级挂牌督办',
            coordinator: { serviceCentre: true },
            supervision: 'posted',
            role: 'operator',
            actions: ['instruct', 'reassign', 'convene'],
          },
        ],
      },
      reminderFraction: 0.8,
      supervision: { reminderAfter: '1WD', raiseAfter: '5WD' },
      callback: { window: '2WD', maxAttempts: 3 },
      rehandle: { duration: '5WD', maxCount: 1 },
      // Our figure: the discipline office's handler decides on responsibility within 10 working days.
      accountability: { target: 'discipline-office', deadline: '10WD', role: 'handler' },
    },
    whistle: {
      triggers: ['citizen-demand', 'key-work', 'joint-enforcement', 'emergency-response'],
      grades: [
        { id: 'blue', name: '蓝哨', description: '一般事项：部门派员报到并按期办结', reportLimit: '1WD' },
        { id: 'yellow', name: '黄哨', description: '较大事项：部门负责人报到，联合处置', reportLimit: '4WH' },
        { id: 'red', name: '红哨', description: '紧急事项：部门主要负责人30分钟内到场', reportLimit: 'PT30M' },
      ],
      whistlers: [
        { kind: 'street', answeredBy: 'departments' },
        { kind: 'township', answeredBy: 'departments' },
        { kind: 'community', answeredBy: 'departments' },
        { kind: 'village', answeredBy: 'departments' },
      ],
      maxDepartments: 6,
      stayUntilDone: false,
      rating: { required: true, veto: false },
    },
    intake: {
      duplicateRadiusMeters: 250,
      duplicateSameGrid: true,
      repeat: { elevatedAt: 1, highAt: 3, supervisionAt: 5 },
    },
    scoring: {
      weights: { response: 30, resolution: 35, satisfaction: 35 },
      exclusions: ['duplicate', 'inadmissible', 'answered-at-intake', 'unreachable', 'enforcement-or-mediation'],
      minimumSample: 10,
      bottomN: 10,
      doubleAssessment: true,
      // Our defaults: the bottom units report their rectification in 10 working days; a category that grew by 3 or
      // more cases in a street over the month before, to at least 5, gets a proactive item due in 5 working days.
      rectification: { deadline: '10WD' },
      proactive: { growthThreshold: 3, minimumCount: 5, deadline: '5WD' },
    },
  };
}
