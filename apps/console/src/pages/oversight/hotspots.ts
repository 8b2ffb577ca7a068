import type { Hotspot } from './views';

/** Cases per street (or per district, for places without a street) of one category, or of every category. */
export function densityByStreet(hotspots: readonly Hotspot[], category?: string): Map<string, number> {
  const density = new Map<string, number>();
  for (const spot of hotspots) {
    if (category && spot.category !== category) continue;
    const area = spot.streetId ?? spot.districtId;
    if (area) density.set(area, (density.get(area) ?? 0) + spot.cases);
  }
  return density;
}

/** The month's categories, most cases first (then by id). */
export function hotspotCategories(hotspots: readonly Hotspot[]): string[] {
  const totals = new Map<string, number>();
  for (const spot of hotspots) totals.set(spot.category, (totals.get(spot.category) ?? 0) + spot.cases);
  return [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([category]) => category);
}
