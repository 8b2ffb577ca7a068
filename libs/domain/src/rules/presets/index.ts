import { ProcessDefinition } from '../process-definition';
import { BEIJING_DEFINITION } from './beijing';
import { JINAN_DEFINITION } from './jinan';
import { MALU_DEFINITION } from './malu';
import { NANJING_DEFINITION } from './nanjing';
import { NINGBO_DL_DEFINITION } from './ningbo-dl';
import { PINGGU_DEFINITION } from './pinggu';
import { SUYU_DEFINITION } from './suyu';

/** Ids of the process definition presets shipped with the product (DESIGN.md §4). */
export const PRESET_IDS = ['beijing', 'pinggu', 'ningbo-dl', 'suyu', 'jinan', 'nanjing', 'malu'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/**
 * The presets by id, deeply frozen; each is valid against the demo city (`validateDefinition`) and documented in
 * docs/rules.md.
 */
export const PRESETS: Readonly<Record<PresetId, ProcessDefinition>> = deepFreeze({
  beijing: BEIJING_DEFINITION,
  pinggu: PINGGU_DEFINITION,
  'ningbo-dl': NINGBO_DL_DEFINITION,
  suyu: SUYU_DEFINITION,
  jinan: JINAN_DEFINITION,
  nanjing: NANJING_DEFINITION,
  malu: MALU_DEFINITION,
});

export {
  BEIJING_DEFINITION,
  JINAN_DEFINITION,
  MALU_DEFINITION,
  NANJING_DEFINITION,
  NINGBO_DL_DEFINITION,
  PINGGU_DEFINITION,
  SUYU_DEFINITION,
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
