import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { RequireUser, SessionProvider } from './auth/session';
import { Shell } from './components/shell';
import { CasePage } from './pages/case-page';
import { designerRoutes } from './pages/designer/routes';
import { InboxPage } from './pages/inbox-page';
import { IntakePage } from './pages/intake-page';
import { LoginPage } from './pages/login-page';
import { oversightRoutes } from './pages/oversight/routes';
import { PublicLookupPage, PublicSubmitPage } from './pages/public-pages';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } },
});

/** Routes: public pages under /public, login, and the staff pages inside the shell. */
export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      button={{ autoInsertSpace: false }}
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{
        // Secondary and placeholder text darker than antd's defaults: WCAG AA contrast (axe, color-contrast).
        token: {
          colorPrimary: '#b3261e',
          colorLink: '#0b57d0',
          colorError: '#c41d1d',
          colorTextDescription: 'rgba(0, 0, 0, 0.65)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route path="/public" element={<Shell publicPage />}>
                  <Route index element={<PublicSubmitPage />} />
                  <Route path="progress" element={<PublicLookupPage />} />
                </Route>
                <Route element={<RequireUser>{(user) => <Shell user={user} />}</RequireUser>}>
                  <Route path="/" element={<Navigate to="/inbox" replace />} />
                  <Route path="/inbox" element={<RequireUser>{(user) => <InboxPage user={user} />}</RequireUser>} />
                  <Route path="/intake" element={<RequireUser>{(user) => <IntakePage user={user} />}</RequireUser>} />
                  <Route
                    path="/cases/:caseNo"
                    element={<RequireUser>{(user) => <CasePage user={user} />}</RequireUser>}
                  />
                  {designerRoutes()}
                  {oversightRoutes()}
                </Route>
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
