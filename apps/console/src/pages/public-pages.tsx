import { Alert, Button, Card, Descriptions, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Schemas } from '../api/client';
import type { CreatedCase, PublicCase } from '../api/views';
import { CaseFields, compact } from '../components/case-fields';
import { ApiProblem, describeProblem } from '../lib/errors';
import { formatInstant } from '../lib/time';

/** A citizen's request: the same rules as the API (anonymous, rate-limited); the answer is the case number. */
export function PublicSubmitPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [created, setCreated] = useState<CreatedCase | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const values = compact((await form.validateFields()) as Record<string, unknown>);
    setError(null);
    try {
      // Public: no token, whatever session this browser holds.
      const answer = await api.POST('/api/v1/cases', {
        body: { channel: 'web', ...values } as Schemas['CreateCaseDto'],
        headers: { authorization: '' },
      });
      setCreated(answer.data as unknown as CreatedCase);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem)
        form.setFields(
          caught.body.details.map((problem) => ({
            name: problem.field.split('.'),
            errors: [t(`rules.${problem.rule}`, { defaultValue: problem.message })],
          })),
        );
    }
  };
  if (created)
    return (
      <Result
        status="success"
        title={t('public.submitted')}
        subTitle={<span data-testid="created-case">{created.caseNo}</span>}
        extra={<Link to={`/public/progress?caseNo=${created.caseNo}`}>{t('public.followProgress')}</Link>}
      />
    );
  const problem = error ? describeProblem(t, error) : null;
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('public.submitTitle')}
        </Typography.Title>
      }
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'complaint' }} style={{ maxWidth: 640 }}>
        <CaseFields />
        {problem && (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            message={problem.title}
            description={problem.lines.map((line) => (
              <div key={line}>{line}</div>
            ))}
          />
        )}
        <Button type="primary" onClick={() => void submit()}>
          {t('public.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** Progress by case number: status, stage and dates only, never personal data (what the public route answers). */
export function PublicLookupPage() {
  const { t, i18n } = useTranslation();
  const initial = new URLSearchParams(window.location.search).get('caseNo') ?? '';
  const [found, setFound] = useState<PublicCase | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lookup = async (values: { caseNo: string }) => {
    setError(null);
    setFound(null);
    try {
      const answer = await api.GET('/api/v1/public/cases/{caseNo}', {
        params: { path: { caseNo: values.caseNo.trim() } },
        headers: { authorization: '' },
      });
      setFound(answer.data as unknown as PublicCase);
    } catch (caught) {
      setError(caught);
    }
  };
  const problem = error ? describeProblem(t, error) : null;
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('public.progressTitle')}
        </Typography.Title>
      }
    >
      <Form
        layout="inline"
        initialValues={{ caseNo: initial }}
        onFinish={(values: { caseNo: string }) => void lookup(values)}
      >
        <Form.Item name="caseNo" label={t('fields.caseNo')} rules={[{ required: true, message: t('form.required') }]}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('public.lookup')}
        </Button>
      </Form>
      {problem && (
        <Alert
          style={{ marginTop: 16 }}
          type="error"
          showIcon
          message={problem.title}
          description={problem.lines.join('；')}
        />
      )}
      {found && (
        <Descriptions style={{ marginTop: 16 }} column={1} bordered size="small">
          <Descriptions.Item label={t('fields.caseNo')}>{found.caseNo}</Descriptions.Item>
          <Descriptions.Item label={t('case.status')}>
            <span data-testid="public-status">{t(`values.stage.${found.stage}`, { defaultValue: found.stage })}</span>
          </Descriptions.Item>
          {Object.entries(found.dates)
            .filter(([, at]) => at)
            .map(([key, at]) => (
              <Descriptions.Item key={key} label={t(`public.dates.${key}`, { defaultValue: key })}>
                {formatInstant(at, i18n.language)}
              </Descriptions.Item>
            ))}
        </Descriptions>
      )}
    </Card>
  );
}
