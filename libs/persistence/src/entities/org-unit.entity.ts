import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CommitteeLevel, GeoPoint, OrgUnit, OrgUnitKind } from '../../../domain/src/org/org.types';

/**
 * One unit of the current org tree (`OrgUnit` of libs/domain), from the city or county down to the grid, with
 * departments, committees, offices and service centres. The database keeps the tree valid: one root (a city or a
 * county), parent kinds as `buildOrgTree` allows them, committee fields only on committees, a function on every
 * office, one committee per locality. Every change goes through `writeOrgTree` (org.store.ts), which records it as a
 * new version in `org_versions` / `org_unit_history`.
 */
@Entity({ name: 'org_units' })
export class OrgUnitEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  kind: OrgUnitKind;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'parent_id', type: 'text', nullable: true })
  parentId: string | null;

  @Column({ name: 'centroid_lat', type: 'double precision', nullable: true })
  centroidLat: number | null;

  @Column({ name: 'centroid_lng', type: 'double precision', nullable: true })
  centroidLng: number | null;

  /** Departments only: the line of duty (条), e.g. `urban-management`. */
  @Column({ type: 'text', nullable: true })
  duty: string | null;

  /** Departments only: a public-utility company rather than a government body. */
  @Column({ type: 'boolean' })
  utility: boolean;

  /** Committees only: community, street or district. */
  @Column({ name: 'committee_level', type: 'text', nullable: true })
  committeeLevel: CommitteeLevel | null;

  /** Committees only: the locality the committee coordinates (equal to `parentId`). */
  @Column({ name: 'locality_id', type: 'text', nullable: true })
  localityId: string | null;

  /** Offices only: the office's function slug, e.g. `government-office`. */
  @Column({ name: 'office_function', type: 'text', nullable: true })
  officeFunction: string | null;

  /** Areas only: the outline, at least three points. */
  @Column({ type: 'jsonb', nullable: true })
  boundary: GeoPoint[] | null;
}

/** The row of a domain unit (absent optional fields become NULL / false). */
export function orgUnitRow(unit: OrgUnit): OrgUnitEntity {
  return Object.assign(new OrgUnitEntity(), {
    id: unit.id,
    kind: unit.kind,
    name: unit.name,
    parentId: unit.parentId,
    centroidLat: unit.centroid?.lat ?? null,
    centroidLng: unit.centroid?.lng ?? null,
    duty: unit.duty ?? null,
    utility: unit.utility ?? false,
    committeeLevel: unit.level ?? null,
    localityId: unit.localityId ?? null,
    officeFunction: unit.function ?? null,
    boundary: unit.boundary ? unit.boundary.map(({ lat, lng }) => ({ lat, lng })) : null,
  });
}

/** The domain unit of a row: the inverse of {@link orgUnitRow} (NULL / false fields are left out). */
export function toOrgUnit(row: OrgUnitEntity): OrgUnit {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    parentId: row.parentId,
    ...(row.centroidLat !== null && row.centroidLng !== null
      ? { centroid: { lat: row.centroidLat, lng: row.centroidLng } }
      : {}),
    ...(row.duty !== null ? { duty: row.duty } : {}),
    ...(row.utility ? { utility: true } : {}),
    ...(row.committeeLevel !== null ? { level: row.committeeLevel } : {}),
    ...(row.localityId !== null ? { localityId: row.localityId } : {}),
    ...(row.officeFunction !== null ? { function: row.officeFunction } : {}),
    ...(row.boundary !== null ? { boundary: row.boundary.map(({ lat, lng }) => ({ lat, lng })) } : {}),
  };
}
