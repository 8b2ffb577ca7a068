import { DEMO_CITY_ID } from '../../../domain/src/org/demo-city';
import { DEMO_CATALOGUE } from '../../../domain/src/routing/demo-catalogue';
import { ProcessDefinition } from '../../../domain/src/rules/process-definition';
import { PRESET_IDS, PresetId, presetFor } from '../../../domain/src/rules/presets';

/**
 * Demo data: the presets made for the demo city and its catalogue, with the districts each district preset covers
 * there (北郊区 for pinggu and xiangdong, 东湖区 for ningbo-dl, 西山区 for suyu and malu). The seed publishes `beijing` from here;
 * tests run every preset on the demo city.
 */
const DEMO_DISTRICTS: Readonly<Partial<Record<PresetId, string>>> = {
  pinggu: 'd-beijiao',
  'ningbo-dl': 'd-donghu',
  suyu: 'd-xishan',
  malu: 'd-xishan',
  xiangdong: 'd-beijiao',
};

export const DEMO_PRESETS: Readonly<Record<PresetId, ProcessDefinition>> = Object.freeze(
  Object.fromEntries(
    PRESET_IDS.map((id) => [
      id,
      presetFor(id, { cityId: DEMO_CITY_ID, catalogue: DEMO_CATALOGUE, districtId: DEMO_DISTRICTS[id] }),
    ]),
  ) as Record<PresetId, ProcessDefinition>,
);

/** The `beijing` preset on the demo city: the version every demo case pins (`beijing@1`). */
export const BEIJING_DEFINITION = DEMO_PRESETS.beijing;
