import { buildDemoCity, committeeIdOf, DEMO_CITY, DEMO_CITY_ID, DEMO_SERVICE_CENTRE_ID } from './demo-city';
import { OrgUnitKind } from './org.types';

const countOf = (kind: OrgUnitKind) => DEMO_CITY.units.filter((unit) => unit.kind === kind).length;

describe('demo city 示范市', () => {
  it.each<[OrgUnitKind, number]>([
    ['city', 1],
    // The 12345 centre and 东湖区's command centre (two-level command).
    ['service-centre', 2],
    // The city's four offices and each village's comprehensive governance centre.
    ['office', 10],
    ['district', 3],
    ['street', 6],
    ['township', 3],
    ['community', 18],
    ['village', 6],
    ['grid', 31],
    ['department', 28],
    ['committee', 36],
    // Four volunteer groups in each of the 6 villages (patrol, emergency, mediation, service).
    ['volunteer-group', 24],
  ])('should have the expected number of %s units (%i)', (kind, expected) => {
    expect(countOf(kind)).toBe(expected);
  });

  it('should meet the minimum sizes the seed promises', () => {
    expect(countOf('district')).toBeGreaterThanOrEqual(2);
    expect(countOf('street') + countOf('township')).toBeGreaterThanOrEqual(6);
    expect(countOf('street')).toBeGreaterThan(0);
    expect(countOf('township')).toBeGreaterThan(0);
    expect(countOf('community') + countOf('village')).toBeGreaterThanOrEqual(20);
    expect(countOf('department')).toBeGreaterThanOrEqual(12);
  });

  it('should give every unit except the city an existing parent', () => {
    for (const unit of DEMO_CITY.units) {
      if (unit.id === DEMO_CITY_ID) expect(unit.parentId).toBeNull();
      else expect(DEMO_CITY.byId.has(unit.parentId as string)).toBe(true);
    }
  });

  it('should use unique ASCII slug ids and Chinese names', () => {
    const ids = DEMO_CITY.units.map((unit) => unit.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const unit of DEMO_CITY.units) {
      expect(unit.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(unit.name).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('should give every community and village at least one grid, and every grid a centroid near lat 39.9 lng 116.4', () => {
    for (const unit of DEMO_CITY.units) {
      if (unit.kind === 'community' || unit.kind === 'village') {
        const grids = (DEMO_CITY.childIds.get(unit.id) ?? []).filter((id) => DEMO_CITY.byId.get(id)?.kind === 'grid');
        expect(grids.length).toBeGreaterThanOrEqual(1);
      }
      if (unit.kind === 'grid') {
        expect(unit.centroid?.lat).toBeGreaterThan(39.7);
        expect(unit.centroid?.lat).toBeLessThan(40.2);
        expect(unit.centroid?.lng).toBeGreaterThan(116.1);
        expect(unit.centroid?.lng).toBeLessThan(116.6);
      }
    }
  });

  it('should have a coordination committee at every community, village, street, township and district', () => {
    const localityKinds: OrgUnitKind[] = ['community', 'village', 'street', 'township', 'district'];
    for (const unit of DEMO_CITY.units.filter((candidate) => localityKinds.includes(candidate.kind))) {
      const committee = DEMO_CITY.byId.get(committeeIdOf(unit.id));
      expect(committee).toMatchObject({ kind: 'committee', localityId: unit.id, parentId: unit.id });
    }
  });

  it('should include the 12345 service centre, utility companies and district-level departments', () => {
    expect(DEMO_CITY.byId.get(DEMO_SERVICE_CENTRE_ID)).toMatchObject({
      kind: 'service-centre',
      parentId: DEMO_CITY_ID,
    });
    expect(DEMO_CITY.units.filter((unit) => unit.utility === true).map((unit) => unit.id)).toEqual([
      'dept-power-company',
      'dept-gas-company',
      'dept-water-company',
      'dept-heating-company',
    ]);
    expect(DEMO_CITY.byId.get('dept-donghu-urban-management')).toMatchObject({
      parentId: 'd-donghu',
      duty: 'urban-management',
    });
  });

  it('should be frozen so that no caller can alter the shared seed', () => {
    const unit = DEMO_CITY.byId.get('c-xiyuan');
    expect(Object.isFrozen(DEMO_CITY.units)).toBe(true);
    expect(Object.isFrozen(unit)).toBe(true);
    expect(Object.isFrozen(unit?.centroid)).toBe(true);
  });

  it('should build the same tree on every call', () => {
    expect(buildDemoCity().units).toEqual(DEMO_CITY.units);
  });
});
