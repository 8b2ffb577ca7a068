import { Alert } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route } from 'react-router';
import type { Me } from '../../api/views';
import { RequireUser } from '../../auth/session';
import { AuditCasesPage, AuditCaseStoryPage, IntegrityPage, WatchPage } from './audit-pages';
import { HotspotsPage } from './hotspots-page';
import { MyUnitScoresPage } from './my-unit-page';
import { ScoresPage } from './scores-page';

/**
 * Who opens which oversight page, as the API allows: the audit routes are auditors' and admins'; every unit's scores
 * the centre's (operators, auditors, admins) and designers'; a unit's own scores its handlers' and its committee's
 * coordinators'.
 */
export const mayAudit = (user: Me): boolean => user.role === 'auditor' || user.role === 'admin';
export const mayReadScores = (user: Me): boolean =>
  mayAudit(user) || user.role === 'designer' || user.role === 'operator';
export const mayReadOwnScores = (user: Me): boolean => user.role === 'handler' || user.role === 'coordinator';

/** The auditor and leader pages' routes, inside the staff shell (see app.tsx). */
export function oversightRoutes() {
  const guarded = (allowed: (user: Me) => boolean, page: (user: Me) => ReactNode) => (
    <RequireUser>{(user) => (allowed(user) ? page(user) : <NotForRole />)}</RequireUser>
  );
  return [
    <Route
      key="o-cases"
      path="/oversight/cases"
      element={guarded(mayAudit, () => (
        <AuditCasesPage />
      ))}
    />,
    <Route
      key="o-story"
      path="/oversight/cases/:caseNo"
      element={guarded(mayAudit, () => (
        <AuditCaseStoryPage />
      ))}
    />,
    <Route
      key="o-integrity"
      path="/oversight/integrity"
      element={guarded(mayAudit, () => (
        <IntegrityPage />
      ))}
    />,
    <Route
      key="o-watch"
      path="/oversight/watch"
      element={guarded(mayAudit, () => (
        <WatchPage />
      ))}
    />,
    <Route
      key="o-scores"
      path="/oversight/scores"
      element={guarded(mayReadScores, (user) => (
        <ScoresPage user={user} />
      ))}
    />,
    <Route
      key="o-my-scores"
      path="/oversight/my-scores"
      element={guarded(mayReadOwnScores, (user) => (
        <MyUnitScoresPage user={user} />
      ))}
    />,
    <Route
      key="o-hotspots"
      path="/oversight/hotspots"
      element={guarded(mayReadScores, (user) => (
        <HotspotsPage user={user} />
      ))}
    />,
  ];
}

/** A page of the oversight menu opened by a role the API would refuse. */
function NotForRole() {
  const { t } = useTranslation();
  return <Alert type="info" showIcon title={t('oversight.notForRole')} />;
}

/** The auditor and leader pages' menu entries for this user: one submenu (the header keeps room for the others). */
export function oversightNav(user: Me, t: TFunction) {
  const item = (path: string, key: string) => ({
    key: path,
    label: <Link to={path}>{t(`oversight.nav.${key}`)}</Link>,
  });
  const audit = mayAudit(user)
    ? [item('/oversight/cases', 'cases'), item('/oversight/watch', 'watch'), item('/oversight/integrity', 'integrity')]
    : [];
  const leaders = mayReadScores(user)
    ? [item('/oversight/scores', 'scores'), item('/oversight/hotspots', 'hotspots')]
    : [];
  const own = mayReadOwnScores(user) ? [item('/oversight/my-scores', 'myScores')] : [];
  const children = [...audit, ...leaders, ...own];
  return children.length ? [{ key: 'oversight', label: t('oversight.nav.group'), children }] : [];
}
