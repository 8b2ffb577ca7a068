import { CalendarDayEntity, CalendarVersionEntity } from './calendar.entity';
import { OrgUnitEntity } from './org-unit.entity';
import { OrgUnitHistoryEntity, OrgVersionEntity } from './org-version.entity';
import { RoutingCatalogueEntity, RoutingCategoryEntity } from './routing-catalogue.entity';

/** Entities of the org tree and its versions, routing catalogue and calendar tables (owned by the org/calendar module). */
export const ORG_ENTITIES: Array<new () => unknown> = [
  OrgUnitEntity,
  OrgVersionEntity,
  OrgUnitHistoryEntity,
  RoutingCatalogueEntity,
  RoutingCategoryEntity,
  CalendarVersionEntity,
  CalendarDayEntity,
];
