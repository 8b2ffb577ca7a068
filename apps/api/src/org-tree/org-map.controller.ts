import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { OrgUnitKind } from '../../../../libs/domain/src/org/org.types';
import { OrgTreeSource } from '../../../../libs/persistence/src/org/org-tree-source';
import { Roles } from '../auth/auth.decorators';
import { MapUnitView, OrgMapView } from './org-map.dto';

/** The kinds that are areas of the city (what a map draws); departments, committees and offices are not. */
const AREA_KINDS: ReadonlySet<OrgUnitKind> = new Set([
  'city',
  'county',
  'district',
  'street',
  'township',
  'community',
  'village',
  'grid',
]);

/**
 * The city's areas with their centroids and outlines, for the hotspot map of the console (drawn as SVG from this,
 * without map tiles). Read by those who read every unit's scores: the centre (operators, auditors, admins) and
 * designers.
 */
@ApiTags('org')
@ApiBearerAuth()
@Controller('api/v1/org/map')
export class OrgMapController {
  constructor(private readonly orgTree: OrgTreeSource) {}

  @Get()
  @Roles('operator', 'auditor', 'admin', 'designer')
  @ApiOperation({ summary: "The city's areas (district down to grid) with centroids and outlines, for a map" })
  @ApiResponse({ status: 200, type: OrgMapView })
  async map(): Promise<OrgMapView> {
    const tree = await this.orgTree.currentIfStored();
    if (!tree) return { version: null, rootId: null, units: [] };
    const units: MapUnitView[] = tree.units
      .filter((unit) => AREA_KINDS.has(unit.kind))
      .map((unit) => ({
        id: unit.id,
        kind: unit.kind,
        name: unit.name,
        parentId: unit.parentId,
        ...(unit.centroid ? { centroid: { lat: unit.centroid.lat, lng: unit.centroid.lng } } : {}),
        ...(unit.boundary ? { boundary: unit.boundary.map((point) => ({ lat: point.lat, lng: point.lng })) } : {}),
      }));
    return { version: tree.version ?? null, rootId: tree.rootId, units };
  }
}
