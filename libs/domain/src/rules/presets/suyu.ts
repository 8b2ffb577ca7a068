import { ProcessDefinition } from '../process-definition';
import { PresetCity, presetDistrict } from './preset-city';
import { beijingPreset } from './beijing';

/**
 * `suyu`: Suyu's 民意访评 (the public's visits and ratings audit the units). Differences from `beijing`: the
 * call-back gets 5 attempts over 3 working days; one re-handling, and the second dissatisfaction goes to the
 * discipline office, whose handler decides on the unit's responsibility within 10 working days (the rule `beijing`
 * borrows from Suyu); a fifth of the cases closed satisfied are called back again by the service centre within 5
 * working days (audit call-backs, drawn by case number), and an answer contradicting the unit's "solved" flags the
 * case and counts in the unit's scores instead of the call-back's; satisfaction weighs most in the score
 * (20 / 30 / 50). Figures are ours. Jurisdiction: one district (西山区 on the demo city).
 */
export function suyuPreset(city: PresetCity): ProcessDefinition {
  const BEIJING_DEFINITION = beijingPreset(city);
  return {
    ...BEIJING_DEFINITION,
    id: 'suyu',
    name: '宿豫民意访评',
    description:
      'Suyu: call-backs audit the units; a case the citizen is dissatisfied with twice goes to the discipline office ' +
      'for accountability.',
    jurisdiction: { cityId: city.cityId, districtId: presetDistrict(city, 'suyu') },
    lifecycle: {
      ...BEIJING_DEFINITION.lifecycle,
      callback: {
        window: '3WD',
        maxAttempts: 5,
        audit: { fraction: 0.2, sampling: 'case-number-hash', deadline: '5WD', flagEffect: 'audit-answer' },
      },
      rehandle: { duration: '5WD', maxCount: 1 },
      accountability: { target: 'discipline-office', deadline: '10WD', role: 'handler' },
    },
    scoring: { ...BEIJING_DEFINITION.scoring, weights: { response: 20, resolution: 30, satisfaction: 50 } },
  };
}
