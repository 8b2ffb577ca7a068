import { Alert, Button, Card, Form, Input, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { switchLanguage, type Language } from '../i18n';
import { describeProblem } from '../lib/errors';

/** Login; after it, back to the page that asked for it (`?next=`), else the inbox. */
export function LoginPage() {
  const { t, i18n } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox';

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      void navigate(target, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const problem = error ? describeProblem(t, error) : null;
  return (
    <main style={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: '100vh' }}>
      <Card style={{ width: 380 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Segmented<Language>
            aria-label={t('app.language')}
            value={i18n.language as Language}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'English', value: 'en' },
            ]}
            onChange={switchLanguage}
          />
          {params.get('expired') && <Alert type="warning" showIcon message={t('login.expired')} />}
          {problem && <Alert type="error" showIcon message={problem.title} description={problem.lines.join('；')} />}
          <Form layout="vertical" onFinish={(values: { username: string; password: string }) => void submit(values)}>
            <Form.Item
              label={t('login.username')}
              name="username"
              rules={[{ required: true, message: t('form.required') }]}
            >
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item
              label={t('login.password')}
              name="password"
              rules={[{ required: true, message: t('form.required') }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Link href="/public">{t('nav.publicSubmit')}</Typography.Link>
        </Space>
      </Card>
    </main>
  );
}
