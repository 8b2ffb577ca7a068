import { ProcessDefinition } from '../process-definition';
import { beijingPreset } from './beijing';
import { jinanPreset } from './jinan';
import { maluPreset } from './malu';
import { nanjingPreset } from './nanjing';
import { ningboDlPreset } from './ningbo-dl';
import { pingguPreset } from './pinggu';
import { PresetCity } from './preset-city';
import { suyuPreset } from './suyu';
import { xiangdongPreset } from './xiangdong';

export * from './preset-city';

/** Ids of the process definition presets shipped with the product (DESIGN.md §4). */
export const PRESET_IDS = ['beijing', 'pinggu', 'ningbo-dl', 'suyu', 'jinan', 'nanjing', 'malu', 'xiangdong'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** A preset is a template: the city's own root, catalogue and district fill it in (see {@link PresetCity}). */
export type PresetTemplate = (city: PresetCity) => ProcessDefinition;

/** The preset templates by id; each is documented in docs/rules.md. */
export const PRESET_TEMPLATES: Readonly<Record<PresetId, PresetTemplate>> = Object.freeze({
  beijing: beijingPreset,
  pinggu: pingguPreset,
  'ningbo-dl': ningboDlPreset,
  suyu: suyuPreset,
  jinan: jinanPreset,
  nanjing: nanjingPreset,
  malu: maluPreset,
  xiangdong: xiangdongPreset,
});

/** Presets written for one district of a city (the others cover the whole city). */
export const DISTRICT_PRESET_IDS: readonly PresetId[] = ['pinggu', 'ningbo-dl', 'suyu', 'malu', 'xiangdong'];

export function isPresetId(id: string): id is PresetId {
  return (PRESET_IDS as readonly string[]).includes(id);
}

/**
 * The preset `id` made for `city`, deeply frozen.
 * @throws PresetDistrictMissing for a district preset when the city names no district.
 */
export function presetFor(id: PresetId, city: PresetCity): ProcessDefinition {
  return deepFreeze(PRESET_TEMPLATES[id](city));
}

export {
  beijingPreset,
  jinanPreset,
  maluPreset,
  nanjingPreset,
  ningboDlPreset,
  pingguPreset,
  suyuPreset,
  xiangdongPreset,
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
