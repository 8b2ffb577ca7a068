import type { TFunction } from 'i18next';
import type { Me } from '../../api/views';

/** The auditor and leader pages' routes, inside the staff shell (see app.tsx). */
export function oversightRoutes() {
  return [];
}

/** The auditor and leader pages' menu entries for this user. */
export function oversightNav(_user: Me, _t: TFunction) {
  return [];
}
