import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A WGS-84 point in decimal degrees. */
export class GeoPointView {
  @ApiProperty({ example: 39.9292 }) lat: number;
  @ApiProperty({ example: 116.4338 }) lng: number;
}

/** One area of the city (district, street, township, community, village, grid) with the geometry the tree carries. */
export class MapUnitView {
  @ApiProperty({ example: 's-hubin' }) id: string;
  @ApiProperty({ enum: ['city', 'county', 'district', 'street', 'township', 'community', 'village', 'grid'] })
  kind: string;
  @ApiProperty({ example: '湖滨街道' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'd-donghu' }) parentId: string | null;
  @ApiPropertyOptional({ type: GeoPointView, description: 'Representative point (grids; communities optionally)' })
  centroid?: GeoPointView;
  @ApiPropertyOptional({ type: [GeoPointView], description: 'Outline as a ring of at least three points' })
  boundary?: GeoPointView[];
}

/** The city's areas for a map drawn from the org tree itself (no map tiles). */
export class OrgMapView {
  @ApiProperty({ type: Number, nullable: true, description: 'The stored org tree version; null before any import' })
  version: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'city-demo' }) rootId: string | null;
  @ApiProperty({ type: [MapUnitView], description: 'Areas only, in the tree order' }) units: MapUnitView[];
}
