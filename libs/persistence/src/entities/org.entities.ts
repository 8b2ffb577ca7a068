/** Entities of the org tree, routing catalogue and calendar tables (owned by the org/calendar module). */
export const ORG_ENTITIES: Function[] = [];
