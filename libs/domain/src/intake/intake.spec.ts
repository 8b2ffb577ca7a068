import { DEMO_CATALOGUE } from '../routing/demo-catalogue';
import { getCategory } from '../routing/routing-catalogue';
import { classifyIntake, IntakeDecision, IntakeFacts } from './intake';

const answerOf = (category: string) => getCategory(DEMO_CATALOGUE, category).knowledgeAnswer as string;

describe('classifyIntake', () => {
  it.each<[string, IntakeFacts, IntakeDecision]>([
    [
      'divert a fire to 119',
      { kind: 'help', emergencyType: 'fire' },
      { outcome: 'emergency-diversion', emergencyType: 'fire', channel: '119' },
    ],
    [
      'divert a crime in progress to 110',
      { kind: 'report', emergencyType: 'police' },
      { outcome: 'emergency-diversion', emergencyType: 'police', channel: '110' },
    ],
    [
      'divert a medical emergency to 120 even when a category is known',
      { kind: 'help', category: 'medical-services', emergencyType: 'medical' },
      { outcome: 'emergency-diversion', emergencyType: 'medical', channel: '120' },
    ],
    [
      'divert a traffic accident to 122 before judging admissibility',
      { kind: 'help', emergencyType: 'traffic', inadmissibleReason: 'litigation' },
      { outcome: 'emergency-diversion', emergencyType: 'traffic', channel: '122' },
    ],
    [
      'close a matter in litigation and point to the court',
      { kind: 'complaint', category: 'wage-arrears', inadmissibleReason: 'litigation' },
      {
        outcome: 'inadmissible',
        reason: 'litigation',
        channel: { code: 'court', advice: '该事项已进入诉讼程序，请向受理案件的人民法院反映。' },
      },
    ],
    [
      'close a matter outside government duty and point to civil remedies',
      { kind: 'help', inadmissibleReason: 'outside-government-duty' },
      {
        outcome: 'inadmissible',
        reason: 'outside-government-duty',
        channel: {
          code: 'civil-remedy',
          advice: '该事项不属于政府职责范围，建议通过协商、人民调解、仲裁或诉讼等途径解决。',
        },
      },
    ],
    [
      'answer a consultation on the spot when the caller accepts the knowledge-base answer',
      { kind: 'consultation', category: 'school-enrollment', callerAcceptsAnswer: true },
      { outcome: 'answer-on-the-spot', category: 'school-enrollment', answer: answerOf('school-enrollment') },
    ],
    [
      'dispatch a consultation the caller did not accept, carrying the answer for the handler',
      { kind: 'consultation', category: 'heating', callerAcceptsAnswer: false },
      { outcome: 'dispatch', category: 'heating', knowledgeAnswer: answerOf('heating') },
    ],
    [
      'dispatch a consultation whose caller has not yet been asked',
      { kind: 'consultation', category: 'heating' },
      { outcome: 'dispatch', category: 'heating', knowledgeAnswer: answerOf('heating') },
    ],
    [
      'dispatch a consultation whose category has no knowledge-base answer',
      { kind: 'consultation', category: 'wage-arrears', callerAcceptsAnswer: true },
      { outcome: 'dispatch', category: 'wage-arrears' },
    ],
    [
      'dispatch a complaint even when its category has an answer and the caller would accept it',
      { kind: 'complaint', category: 'heating', callerAcceptsAnswer: true },
      { outcome: 'dispatch', category: 'heating' },
    ],
    [
      'dispatch an ordinary complaint',
      { kind: 'complaint', category: 'noise-nuisance' },
      { outcome: 'dispatch', category: 'noise-nuisance' },
    ],
  ])('should %s', (_title, facts, expected) => {
    expect(classifyIntake(DEMO_CATALOGUE, facts)).toEqual(expected);
  });

  it.each<[string, IntakeFacts, string, string]>([
    ['a request to dispatch without a category', { kind: 'complaint' }, 'IntakeError', 'category-required'],
    [
      'a consultation without a category',
      { kind: 'consultation', callerAcceptsAnswer: true },
      'IntakeError',
      'category-required',
    ],
    ['an unknown category', { kind: 'complaint', category: 'ufo-sighting' }, 'RoutingError', 'unknown-category'],
  ])('should refuse %s', (_title, facts, name, code) => {
    expect(() => classifyIntake(DEMO_CATALOGUE, facts)).toThrow(expect.objectContaining({ name, code }));
  });
});
