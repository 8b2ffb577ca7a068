import type { TFunction } from 'i18next';
import type { Me } from '../../api/views';

/** The designer pages' routes, inside the staff shell (see app.tsx). */
export function designerRoutes() {
  return [];
}

/** The designer pages' menu entries for this user. */
export function designerNav(_user: Me, _t: TFunction) {
  return [];
}
