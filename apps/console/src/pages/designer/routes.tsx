import type { TFunction } from 'i18next';
import { Route } from 'react-router';
import { Link } from 'react-router';
import type { Me } from '../../api/views';
import { CalendarPage } from './calendar-page';
import { DraftPage } from './draft-page';
import { RulesPage } from './rules-page';

/** Who works on process definitions and the calendar: designers, and admins. */
const DESIGNER_ROLES: readonly Me['role'][] = ['designer', 'admin'];

/** The designer pages' routes, inside the staff shell (see app.tsx). */
export function designerRoutes() {
  return [
    <Route key="rules" path="/rules" element={<RulesPage />} />,
    <Route key="draft" path="/rules/drafts/:id" element={<DraftPage />} />,
    <Route key="calendar" path="/calendar" element={<CalendarPage />} />,
  ];
}

/** The designer pages' menu entries for this user. */
export function designerNav(user: Me, t: TFunction) {
  if (!DESIGNER_ROLES.includes(user.role)) return [];
  return [
    { key: '/rules', label: <Link to="/rules">{t('designer.nav.rules')}</Link> },
    { key: '/calendar', label: <Link to="/calendar">{t('designer.nav.calendar')}</Link> },
  ];
}
