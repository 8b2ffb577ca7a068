import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';

const KINDS = ['complaint', 'help', 'consultation', 'report', 'suggestion'] as const;
const URGENCIES = ['normal', 'urgent', 'emergency'] as const;

/** The fields of a request both the operator's intake and the public page ask for. */
export function CaseFields({ withUrgency }: { withUrgency?: boolean }) {
  const { t } = useTranslation();
  const required = [{ required: true, message: t('form.required') }];
  return (
    <>
      <Form.Item name="kind" label={t('fields.kind')} rules={required}>
        <Select options={KINDS.map((value) => ({ value, label: t(`values.kind.${value}`) }))} />
      </Form.Item>
      <Form.Item name="category" label={t('fields.category')} rules={required} extra={t('intake.categoryHelp')}>
        <Input />
      </Form.Item>
      {withUrgency && (
        <Form.Item name="urgency" label={t('fields.urgency')}>
          <Select options={URGENCIES.map((value) => ({ value, label: t(`values.urgency.${value}`) }))} />
        </Form.Item>
      )}
      <Form.Item name={['place', 'districtId']} label={t('fields.place.districtId')}>
        <Input />
      </Form.Item>
      <Form.Item name={['place', 'streetId']} label={t('fields.place.streetId')}>
        <Input />
      </Form.Item>
      <Form.Item name={['place', 'communityId']} label={t('fields.place.communityId')}>
        <Input />
      </Form.Item>
      <Form.Item name="address" label={t('fields.address')}>
        <Input />
      </Form.Item>
      <Form.Item name={['citizen', 'name']} label={t('fields.citizen.name')}>
        <Input />
      </Form.Item>
      <Form.Item name={['citizen', 'phone']} label={t('fields.citizen.phone')}>
        <Input />
      </Form.Item>
      <Form.Item name="description" label={t('fields.description')} rules={required}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </>
  );
}

/** Drops empty strings and empty objects, so optional parts the user left blank are not sent. */
export function compact<T>(value: T): T {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const cleaned = compact(inner);
    if (cleaned === undefined || cleaned === '' || cleaned === null) continue;
    if (typeof cleaned === 'object' && !Array.isArray(cleaned) && Object.keys(cleaned).length === 0) continue;
    out[key] = typeof cleaned === 'string' ? cleaned.trim() : cleaned;
  }
  return out as T;
}
