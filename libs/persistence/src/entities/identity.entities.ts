/** Entities of users, roles, memberships and tokens (owned by the auth module). */
export const IDENTITY_ENTITIES: Function[] = [];
