import { Button, Layout, Menu, Segmented, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import type { Me } from '../api/views';
import { useSession } from '../auth/session';
import { switchLanguage, type Language } from '../i18n';
import { designerNav } from '../pages/designer/routes';
import { oversightNav } from '../pages/oversight/routes';

/** The frame of every page: product name, the pages the user's role may open, language switch, user and logout. */
export function Shell({ user, publicPage }: { user?: Me; publicPage?: boolean }) {
  const { t, i18n } = useTranslation();
  const { logout } = useSession();
  const location = useLocation();
  const items = publicPage
    ? [
        { key: '/public', label: <Link to="/public">{t('nav.publicSubmit')}</Link> },
        { key: '/public/progress', label: <Link to="/public/progress">{t('nav.publicProgress')}</Link> },
      ]
    : [
        { key: '/inbox', label: <Link to="/inbox">{t('nav.inbox')}</Link> },
        ...(user?.role === 'operator' ? [{ key: '/intake', label: <Link to="/intake">{t('nav.intake')}</Link> }] : []),
        ...(user ? [...designerNav(user, t), ...oversightNav(user, t)] : []),
      ];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#2b1b17' }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </Typography.Text>
        <nav aria-label={t('nav.label')} style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[location.pathname]}
            items={items}
            style={{ background: 'transparent' }}
          />
        </nav>
        <Space>
          <Segmented<Language>
            aria-label={t('app.language')}
            value={i18n.language as Language}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'English', value: 'en' },
            ]}
            onChange={switchLanguage}
          />
          {user && (
            <>
              <Typography.Text style={{ color: '#fff' }} data-testid="current-user">
                {user.displayName} · {t(`roles.${user.role}`)}
              </Typography.Text>
              <Button onClick={() => void logout()}>{t('app.logout')}</Button>
            </>
          )}
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}
