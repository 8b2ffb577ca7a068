import { useQuery } from '@tanstack/react-query';
import { Alert, AutoComplete, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { CaseResponse } from '../api/views';
import { ACTION_FIELDS, actionBody, isRequired, type ActionName, type FieldSpec } from '../lib/action-fields';
import { ApiProblem, describeProblem } from '../lib/errors';

interface Props {
  taskId: string;
  caseNo: string;
  action: ActionName;
  onClose(done: boolean): void;
}

/**
 * One action as a form, sent through `POST /api/v1/tasks/:id/actions/:action`. A refusal is shown in the user's
 * language, each field problem on its field; nothing changes on a refusal, so the form stays open to correct.
 */
export function ActionForm({ taskId, caseNo, action, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = ACTION_FIELDS[action] as FieldSpec[];
  // A rating or confirmation names a department of the case's latest whistle round: offer them, the only one
  // preselected.
  // A whistle names the case's street beside the units: where the rules let a community whistle, its street answers
  // (a hint, not an option: an open list would cover the form while ids are typed).
  const needsUnits = action === 'rate' || action === 'confirm' || action === 'whistle';
  const view = useQuery({
    queryKey: ['case', caseNo],
    enabled: needsUnits,
    queryFn: async () =>
      (await api.GET('/api/v1/cases/{caseNo}', { params: { path: { caseNo } } })).data as unknown as CaseResponse,
  });
  const rounds = view.data?.workflow.state?.lifecycle?.whistleRounds ?? [];
  const street = view.data?.case?.place.streetId;
  // (Only for these actions: the case page's cache holds the case for every other form too.)
  const unitOptions =
    !needsUnits || action === 'whistle'
      ? []
      : (rounds.length ? rounds[rounds.length - 1].departmentIds : []).map((value) => ({ value, label: value }));
  const streetHint = action === 'whistle' && street ? t('form.caseStreet', { street }) : undefined;
  const initial: Record<string, unknown> = Object.fromEntries(
    fields.filter((field) => field.initial !== undefined).map((field) => [field.name, field.initial]),
  );
  if (action !== 'whistle' && unitOptions.length === 1) initial.departmentId = unitOptions[0].value;
  // During the call-back only, the operator sees the citizen's unmasked contact (the API allows nothing else).
  const contact = useQuery({
    queryKey: ['citizen-contact', caseNo],
    enabled: action === 'callback',
    gcTime: 0,
    queryFn: async () =>
      (await api.GET('/api/v1/cases/{caseNo}/citizen-contact', { params: { path: { caseNo } } })).data as unknown as {
        name: string | null;
        phone: string | null;
      },
  });

  const submit = async () => {
    // A field left wrong is shown on the field (antd rejects with the problems): nothing to send yet.
    const values = (await form.validateFields().catch(() => null)) as Record<string, unknown> | null;
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      await api.POST('/api/v1/tasks/{id}/actions/{action}', {
        params: { path: { id: taskId, action } },
        body: actionBody(action, values) as never,
      });
      onClose(true);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiProblem) {
        form.setFields(
          caught.body.details
            .filter((problem) => fields.some((field) => field.name === problem.field.split('.')[0]))
            .map((problem) => ({
              name: problem.field.split('.')[0],
              errors: [t(`rules.${problem.rule}`, { defaultValue: problem.message })],
            })),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  const problem = error ? describeProblem(t, error) : null;
  return (
    <Modal
      open
      title={t(`actions.${action}`)}
      okText={t('form.submit')}
      cancelText={t('form.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
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
      {contact.data && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          message={t('form.callCitizen')}
          description={
            <span data-testid="citizen-contact">{`${contact.data.name ?? ''} ${contact.data.phone ?? ''}`}</span>
          }
        />
      )}
      {fields.length === 0 && <p>{t('form.confirm', { action: t(`actions.${action}`) })}</p>}
      {needsUnits && view.isPending ? null : (
        <Form form={form} layout="vertical" initialValues={initial} name={`action-${action}`}>
          {fields.map((field) => (
            <Form.Item
              key={field.name}
              name={field.name}
              label={t(field.label ?? `fields.${field.name}`)}
              valuePropName={field.kind === 'boolean' ? 'checked' : 'value'}
              extra={field.kind === 'units' ? streetHint : undefined}
              dependencies={field.requiredWhen ? [field.requiredWhen.field] : undefined}
              rules={
                field.requiredWhen
                  ? [
                      ({ getFieldsValue }) => ({
                        required: isRequired(field, getFieldsValue() as Record<string, unknown>),
                        message: t('form.required'),
                      }),
                    ]
                  : field.required
                    ? [{ required: true, message: t('form.required') }]
                    : []
              }
            >
              {input(field, t, unitOptions)}
            </Form.Item>
          ))}
        </Form>
      )}
    </Modal>
  );
}

function input(field: FieldSpec, t: (key: string) => string, unitOptions: { value: string; label: string }[]) {
  switch (field.kind) {
    case 'textarea':
      return <Input.TextArea rows={3} />;
    case 'boolean':
      return <Switch />;
    case 'number':
      return <InputNumber min={field.min} max={field.max} style={{ width: '100%' }} />;
    case 'choice':
      return (
        <Select
          allowClear={!field.required}
          options={(field.options ?? []).map((value) => ({ value, label: t(`values.${field.name}.${value}`) }))}
        />
      );
    case 'units':
      return <Select mode="tags" tokenSeparators={[',', ' ']} placeholder={t('form.unitIds')} options={unitOptions} />;
    case 'unit':
      return <AutoComplete options={unitOptions.map(({ value }) => ({ value }))} />;
    default:
      return <Input />;
  }
}
