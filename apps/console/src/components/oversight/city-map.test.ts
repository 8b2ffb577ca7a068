import { describe, expect, it } from 'vitest';
import {
  buildCityMap,
  cellRadius,
  clipHalfPlane,
  densityLegend,
  densityStep,
  fitProjection,
  pathOf,
  voronoiCells,
  type MapUnit,
} from './city-map';

describe('city map', () => {
  it('should project north up and east right, keeping true shapes at the mean latitude', () => {
    const project = fitProjection(
      [
        { lat: 39.9, lng: 116.4 },
        { lat: 40.0, lng: 116.5 },
      ],
      400,
      400,
      0,
    );
    const southWest = project({ lat: 39.9, lng: 116.4 });
    const northEast = project({ lat: 40.0, lng: 116.5 });
    expect(northEast.x).toBeGreaterThan(southWest.x);
    expect(northEast.y).toBeLessThan(southWest.y);
    // 0.1° of longitude is cos(39.95°) ≈ 0.767 of 0.1° of latitude: the box is taller than wide.
    const width = northEast.x - southWest.x;
    const height = southWest.y - northEast.y;
    expect(height).toBeCloseTo(400, 5);
    expect(width / height).toBeCloseTo(Math.cos((39.95 * Math.PI) / 180), 3);
    // Centred horizontally.
    expect(southWest.x).toBeCloseTo((400 - width) / 2, 5);
  });

  it('should keep the part of a polygon on the inner side of a half-plane', () => {
    const square = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    const left = clipHalfPlane(square, 1, 0, 4); // x ≤ 4
    expect(Math.max(...left.map((p) => p.x))).toBeCloseTo(4);
    expect(left).toHaveLength(4);
    expect(clipHalfPlane(square, 1, 0, -1)).toEqual([]);
  });

  it('should split the plane between two sites along their bisector', () => {
    const [a, b] = voronoiCells(
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
      ],
      20,
    );
    expect(Math.max(...a.map((p) => p.x))).toBeCloseTo(5);
    expect(Math.min(...b.map((p) => p.x))).toBeCloseTo(5);
  });

  it('should size cells by the median nearest-neighbour distance', () => {
    expect(
      cellRadius([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 100, y: 0 },
      ]),
    ).toBe(15);
  });

  it('should draw each street from its grids, label districts and use an outline where the tree has one', () => {
    const units: MapUnit[] = [
      { id: 'city', kind: 'city', name: '示范市', parentId: null },
      { id: 'd-a', kind: 'district', name: '甲区', parentId: 'city' },
      { id: 's-1', kind: 'street', name: '一街道', parentId: 'd-a' },
      { id: 'c-1', kind: 'community', name: '一社区', parentId: 's-1', centroid: { lat: 39.9, lng: 116.4 } },
      { id: 'g-1', kind: 'grid', name: '网格1', parentId: 'c-1', centroid: { lat: 39.9, lng: 116.4 } },
      { id: 'g-2', kind: 'grid', name: '网格2', parentId: 'c-1', centroid: { lat: 39.91, lng: 116.41 } },
      { id: 's-2', kind: 'street', name: '二街道', parentId: 'd-a' },
      { id: 'c-2', kind: 'community', name: '二社区', parentId: 's-2', centroid: { lat: 39.92, lng: 116.43 } },
      {
        id: 's-3',
        kind: 'township',
        name: '三镇',
        parentId: 'd-a',
        boundary: [
          { lat: 39.95, lng: 116.45 },
          { lat: 39.95, lng: 116.47 },
          { lat: 39.97, lng: 116.46 },
        ],
      },
      { id: 's-4', kind: 'street', name: '无位置街道', parentId: 'd-a' },
    ];
    const map = buildCityMap(units, 600, 400);
    expect(map.areas.map((area) => area.id)).toEqual(['s-1', 's-2', 's-3']);
    expect(map.areas[0].polygons).toHaveLength(2); // one cell per grid
    expect(map.areas[1].polygons).toHaveLength(1); // no grid: its community
    expect(map.areas[2].polygons[0]).toHaveLength(3); // its own outline
    expect(map.districts).toEqual([expect.objectContaining({ id: 'd-a', name: '甲区' })]);
    for (const area of map.areas) {
      for (const point of area.polygons.flat()) {
        expect(point.x).toBeGreaterThanOrEqual(-60);
        expect(point.x).toBeLessThanOrEqual(660);
      }
    }
    expect(pathOf(map.areas[2].polygons)).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+Z$/);
  });

  it('should colour densities in five steps relative to the busiest street', () => {
    expect(densityStep(0, 10)).toBe(0);
    expect(densityStep(1, 10)).toBe(1);
    expect(densityStep(5, 10)).toBe(3);
    expect(densityStep(10, 10)).toBe(5);
    expect(densityStep(3, 0)).toBe(0);
  });

  it('should give each colour step used its range of case counts, as densityStep colours them', () => {
    expect(densityLegend(0)).toEqual([{ step: 0, label: '0' }]);
    expect(densityLegend(2)).toEqual([
      { step: 0, label: '0' },
      { step: 3, label: '1' },
      { step: 5, label: '2' },
    ]);
    for (const max of [1, 2, 3, 7, 10, 23]) {
      for (const { step, label } of densityLegend(max).slice(1)) {
        const [from, to = from] = label.split('–').map(Number);
        expect(densityStep(from, max)).toBe(step);
        expect(densityStep(to, max)).toBe(step);
      }
    }
  });
});
