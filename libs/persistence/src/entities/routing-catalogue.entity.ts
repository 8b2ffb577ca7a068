import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CaseKind, Urgency } from '../../../domain/src/case/case.types';
import type { CategoryDeadlines, RoutingCategory } from '../../../domain/src/routing/routing.types';

/** One version of a routing catalogue (派单目录); its categories are {@link RoutingCategoryEntity} rows. */
@Entity({ name: 'routing_catalogues' })
export class RoutingCatalogueEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** Version label, pinned by each case that used the catalogue. */
  @PrimaryColumn({ type: 'text' })
  version: string;

  @Column({ type: 'text' })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * One category of a routing catalogue version (`RoutingCategory` of libs/domain). A department handler is a
 * foreign key into `org_units` (through the generated column `handler_unit_id`); `locality` stays a token.
 */
@Entity({ name: 'routing_categories' })
export class RoutingCategoryEntity {
  @PrimaryColumn({ name: 'catalogue_id', type: 'text' })
  catalogueId: string;

  @PrimaryColumn({ name: 'catalogue_version', type: 'text' })
  catalogueVersion: string;

  @PrimaryColumn({ type: 'text' })
  id: string;

  /** Order of the category in its catalogue (lists and forms show them in this order). */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true })
  kinds: CaseKind[];

  @Column({ name: 'default_urgency', type: 'text' })
  defaultUrgency: Urgency;

  /** `locality` or a department id. */
  @Column({ type: 'text' })
  handler: string;

  @Column({ name: 'co_units', type: 'text', array: true })
  coUnits: string[];

  /** Sign / contact / handle durations per urgency. */
  @Column({ type: 'jsonb' })
  deadlines: CategoryDeadlines;

  @Column({ name: 'enforcement_or_mediation', type: 'boolean' })
  enforcementOrMediation: boolean;

  @Column({ name: 'knowledge_answer', type: 'text', nullable: true })
  knowledgeAnswer: string | null;
}

/** The row of a domain category in a catalogue version, at `position`. */
export function routingCategoryRow(
  catalogue: { id: string; version: string },
  category: RoutingCategory,
  position: number,
): RoutingCategoryEntity {
  return Object.assign(new RoutingCategoryEntity(), {
    catalogueId: catalogue.id,
    catalogueVersion: catalogue.version,
    id: category.id,
    position,
    name: category.name,
    kinds: [...category.kinds],
    defaultUrgency: category.defaultUrgency,
    handler: category.handler,
    coUnits: [...(category.coUnits ?? [])],
    deadlines: category.deadlines,
    enforcementOrMediation: category.enforcementOrMediation ?? false,
    knowledgeAnswer: category.knowledgeAnswer ?? null,
  });
}

/** The domain category of a row: the inverse of {@link routingCategoryRow} (empty / false / NULL fields left out). */
export function toRoutingCategory(row: RoutingCategoryEntity): RoutingCategory {
  return {
    id: row.id,
    name: row.name,
    kinds: row.kinds,
    defaultUrgency: row.defaultUrgency,
    handler: row.handler,
    ...(row.coUnits.length > 0 ? { coUnits: row.coUnits } : {}),
    deadlines: row.deadlines,
    ...(row.enforcementOrMediation ? { enforcementOrMediation: true } : {}),
    ...(row.knowledgeAnswer !== null ? { knowledgeAnswer: row.knowledgeAnswer } : {}),
  };
}
