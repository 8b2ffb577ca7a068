import { ProcessDefinition } from '../process-definition';
import { PresetCity, presetDistrict } from './preset-city';
import { beijingPreset } from './beijing';

/**
 * `suyu`: Suyu's 民意访评 (the public's visits and ratings audit the units). Differences from `beijing`: the
 * call-back gets 5 attempts over
 * 3 working days; one re-handling, and the second dissatisfaction goes to the discipline office for accountability
 * (the rule `beijing` borrows from Suyu); satisfaction weighs most in the score (20 / 30 / 50, our figures).
 * Its audit call-backs (a share of closed cases called back again) are not built yet and so not stated (issue 11).
 * Jurisdiction: one district (西山区 on the demo city).
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
      callback: { window: '3WD', maxAttempts: 5 },
      rehandle: { duration: '5WD', maxCount: 1 },
      accountability: { target: 'discipline-office' },
    },
    scoring: { ...BEIJING_DEFINITION.scoring, weights: { response: 20, resolution: 30, satisfaction: 50 } },
  };
}
