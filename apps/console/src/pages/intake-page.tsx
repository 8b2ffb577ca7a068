import { Alert, Button, Card, Form, Radio, Result, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Schemas } from '../api/client';
import type { CreatedCase, Me } from '../api/views';
import { CaseFields, compact } from '../components/case-fields';
import { ApiProblem, describeProblem } from '../lib/errors';

const EMERGENCIES = ['police', 'fire', 'medical', 'traffic'] as const;
const INADMISSIBLE = [
  'litigation',
  'arbitration',
  'petition',
  'state-secret',
  'outside-government-duty',
  'illegal-demand',
] as const;
type Outcome = 'dispatch' | 'emergency' | 'inadmissible' | 'answer';

/** The operator's intake: a call becomes a case, or is diverted, refused or answered on the spot. */
export function IntakePage({ user }: { user: Me }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [outcome, setOutcome] = useState<Outcome>('dispatch');
  const [created, setCreated] = useState<CreatedCase | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (user.role !== 'operator') return <Alert type="info" showIcon message={t('intake.operatorsOnly')} />;

  const submit = async () => {
    const values = compact((await form.validateFields()) as Record<string, unknown>);
    const intake =
      outcome === 'emergency'
        ? { emergencyType: values.emergencyType }
        : outcome === 'inadmissible'
          ? { inadmissibleReason: values.inadmissibleReason }
          : outcome === 'answer'
            ? { callerAcceptsAnswer: true }
            : undefined;
    delete values.emergencyType;
    delete values.inadmissibleReason;
    const body = { channel: 'hotline', ...values, ...(intake ? { intake } : {}) } as Schemas['CreateCaseDto'];
    setBusy(true);
    setError(null);
    try {
      const answer = await api.POST('/api/v1/cases', {
        body,
        params: { header: { 'idempotency-key': crypto.randomUUID() } as never },
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
    } finally {
      setBusy(false);
    }
  };

  if (created)
    return (
      <Result
        status={created.status === 'linked' ? 'info' : 'success'}
        title={t(`intake.result.${created.status}`, { defaultValue: created.status, caseNo: created.caseNo })}
        subTitle={<span data-testid="created-case">{created.caseNo}</span>}
        extra={[
          <Link key="case" to={`/cases/${created.caseNo}`}>
            {t('intake.openCase')}
          </Link>,
          <Button
            key="again"
            onClick={() => {
              setCreated(null);
              form.resetFields();
            }}
          >
            {t('intake.another')}
          </Button>,
        ]}
      />
    );
  const problem = error ? describeProblem(t, error) : null;
  return (
    <Card
      title={
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('intake.title')}
        </Typography.Title>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'complaint', urgency: 'normal' }}
        style={{ maxWidth: 640 }}
      >
        <CaseFields withUrgency />
        <Form.Item label={t('intake.outcome')}>
          <Radio.Group
            value={outcome}
            onChange={(event) => setOutcome(event.target.value as Outcome)}
            options={(['dispatch', 'emergency', 'inadmissible', 'answer'] as const).map((value) => ({
              value,
              label: t(`intake.outcomes.${value}`),
            }))}
          />
        </Form.Item>
        {outcome === 'emergency' && (
          <Form.Item
            name="emergencyType"
            label={t('fields.intake.emergencyType')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select options={EMERGENCIES.map((value) => ({ value, label: t(`values.emergencyType.${value}`) }))} />
          </Form.Item>
        )}
        {outcome === 'inadmissible' && (
          <Form.Item
            name="inadmissibleReason"
            label={t('fields.intake.inadmissibleReason')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select
              options={INADMISSIBLE.map((value) => ({ value, label: t(`values.inadmissibleReason.${value}`) }))}
            />
          </Form.Item>
        )}
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
        <Space>
          <Button type="primary" loading={busy} onClick={() => void submit()}>
            {t('intake.submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
