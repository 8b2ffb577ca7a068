import { RoutingCatalogue } from '../../routing/routing.types';

/**
 * The city a preset is made for: presets are templates (ladders name bodies by kind or function, not by unit), and
 * a city's own data fills them in — its root, its routing catalogue and, for a preset written for one district, that
 * district.
 */
export interface PresetCity {
  /** The org tree's root (a city or a county). */
  readonly cityId: string;
  /** The city's routing catalogue; a preset may derive its own from it (shorter limits, an added category). */
  readonly catalogue: RoutingCatalogue;
  /** The district a district-scoped preset (pinggu, ningbo-dl, suyu, malu) covers. */
  readonly districtId?: string;
}

/** A preset that covers one district was asked for without naming the district. */
export class PresetDistrictMissing extends Error {
  constructor(readonly presetId: string) {
    super(`preset ${presetId} covers one district: name the district (districtId)`);
    this.name = 'PresetDistrictMissing';
  }
}

/** @throws PresetDistrictMissing when the city names no district. */
export function presetDistrict(city: PresetCity, presetId: string): string {
  if (!city.districtId) throw new PresetDistrictMissing(presetId);
  return city.districtId;
}
