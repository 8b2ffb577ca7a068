import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { describeProblem } from '../../lib/errors';
import { OPEN_STATES, type MigrationReport, type VersionView } from './types';

interface Filter {
  fromVersion?: string;
  status?: string;
  unitId?: string;
  districtId?: string;
}

function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = describeProblem(t, error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={problem.title}
      description={problem.lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
    />
  );
}

/**
 * Publishing the draft (with a reason, for the city or a district of its jurisdiction), then moving open cases onto
 * a published version: a filter, a preview of how many cases match, and the migration's report case by case.
 */
export function PublishPanel({
  draftId,
  jurisdiction,
  versions,
  beforePublish,
  onPublished,
}: {
  draftId: string;
  jurisdiction: { cityId?: string; districtId?: string };
  versions: VersionView[];
  beforePublish(): Promise<boolean>;
  onPublished(version: VersionView): void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [published, setPublished] = useState<VersionView | null>(null);
  const [publishError, setPublishError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const [toVersion, setToVersion] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState<Filter>({});
  const [preview, setPreview] = useState<{ matched: number; caseNos: string[] } | null>(null);
  const [migrationReason, setMigrationReason] = useState('');
  const [report, setReport] = useState<MigrationReport | null>(null);
  const [migrationError, setMigrationError] = useState<unknown>(null);

  const publish = async () => {
    setPublishError(null);
    setBusy(true);
    try {
      if (!(await beforePublish())) return;
      const scope = {
        cityId: jurisdiction.cityId ?? '',
        ...(jurisdiction.districtId ? { districtId: jurisdiction.districtId } : {}),
      };
      const version = (
        await api.POST('/api/v1/rules/drafts/{id}/publish', {
          params: { path: { id: draftId } },
          body: { reason, scope },
        })
      ).data as unknown as VersionView;
      setPublished(version);
      setToVersion(version.label);
      setFilter({
        fromVersion: versions.find(
          (candidate) => candidate.definitionId === version.definitionId && !candidate.archived,
        )?.label,
      });
      setPreview(null);
      onPublished(version);
    } catch (error) {
      setPublishError(error);
    } finally {
      setBusy(false);
    }
  };

  const cleanFilter = () => Object.fromEntries(Object.entries(filter).filter(([, value]) => value)) as never;

  const runPreview = async () => {
    setMigrationError(null);
    try {
      setPreview(
        (await api.POST('/api/v1/rules/migrations/preview', { body: { filter: cleanFilter() } })).data as {
          matched: number;
          caseNos: string[];
        },
      );
    } catch (error) {
      setMigrationError(error);
    }
  };

  const migrate = async () => {
    if (!toVersion) return;
    setMigrationError(null);
    setBusy(true);
    try {
      setReport(
        (
          await api.POST('/api/v1/rules/migrations', {
            body: { toVersion, filter: cleanFilter(), reason: migrationReason },
          })
        ).data as unknown as MigrationReport,
      );
    } catch (error) {
      setMigrationError(error);
    } finally {
      setBusy(false);
    }
  };

  const live = versions.filter((version) => !version.archived);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('designer.publish.title')} size="small">
        <Form layout="vertical" component="div" style={{ maxWidth: 720 }}>
          <Form.Item label={t('designer.publish.scope')}>
            <Typography.Text data-testid="publish-scope">
              {jurisdiction.districtId
                ? `${jurisdiction.cityId} / ${jurisdiction.districtId}`
                : (jurisdiction.cityId ?? '—')}
            </Typography.Text>
          </Form.Item>
          <Form.Item label={t('designer.publish.reason')} htmlFor="publish-reason" required>
            <Input.TextArea
              id="publish-reason"
              rows={2}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </Form.Item>
          <Button
            type="primary"
            loading={busy}
            disabled={!reason.trim() || !!published}
            onClick={() => void publish()}
            data-testid="publish"
          >
            {t('designer.publish.submit')}
          </Button>
        </Form>
        <div style={{ marginTop: 12 }}>
          <ProblemAlert error={publishError} />
          {published && (
            <Alert
              type="success"
              showIcon
              data-testid="published"
              message={t('designer.publish.done', { label: published.label })}
              description={`${published.published.byName} · ${published.published.reason}`}
            />
          )}
        </div>
      </Card>
      <Card title={t('designer.migrate.title')} size="small">
        <Typography.Paragraph type="secondary">{t('designer.migrate.explain')}</Typography.Paragraph>
        <Form layout="vertical" component="div" style={{ maxWidth: 720 }}>
          <Form.Item label={t('designer.migrate.toVersion')} htmlFor="migrate-to" required>
            <Select
              id="migrate-to"
              value={toVersion}
              onChange={setToVersion}
              options={[
                ...(published && !live.some((v) => v.label === published.label) ? [published] : []),
                ...live,
              ].map((version) => ({
                value: version.label,
                label: `${version.label} · ${version.name}`,
              }))}
            />
          </Form.Item>
          <Space wrap>
            <Form.Item label={t('designer.migrate.fromVersion')} htmlFor="migrate-from">
              <Select
                id="migrate-from"
                allowClear
                style={{ minWidth: 180 }}
                value={filter.fromVersion}
                onChange={(fromVersion) => {
                  setFilter({ ...filter, fromVersion });
                  setPreview(null);
                }}
                options={versions.map((version) => ({ value: version.label, label: version.label }))}
              />
            </Form.Item>
            <Form.Item label={t('designer.migrate.status')} htmlFor="migrate-status">
              <Select
                id="migrate-status"
                allowClear
                style={{ minWidth: 180 }}
                value={filter.status}
                onChange={(status) => {
                  setFilter({ ...filter, status });
                  setPreview(null);
                }}
                options={OPEN_STATES.map((state) => ({ value: state, label: t(`designer.openState.${state}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('designer.migrate.unitId')} htmlFor="migrate-unit">
              <Input
                id="migrate-unit"
                value={filter.unitId ?? ''}
                onChange={(event) => {
                  setFilter({ ...filter, unitId: event.target.value || undefined });
                  setPreview(null);
                }}
              />
            </Form.Item>
            <Form.Item label={t('designer.migrate.districtId')} htmlFor="migrate-district">
              <Input
                id="migrate-district"
                value={filter.districtId ?? ''}
                onChange={(event) => {
                  setFilter({ ...filter, districtId: event.target.value || undefined });
                  setPreview(null);
                }}
              />
            </Form.Item>
          </Space>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button onClick={() => void runPreview()} data-testid="migration-preview">
              {t('designer.migrate.preview')}
            </Button>
            {preview && (
              <Alert
                type="info"
                showIcon
                data-testid="migration-matched"
                message={t('designer.migrate.matched', { count: preview.matched })}
                description={
                  preview.caseNos.length
                    ? preview.caseNos.join(', ') + (preview.matched > preview.caseNos.length ? ' …' : '')
                    : undefined
                }
              />
            )}
            <Form.Item label={t('designer.migrate.reason')} htmlFor="migrate-reason" required>
              <Input.TextArea
                id="migrate-reason"
                rows={2}
                value={migrationReason}
                onChange={(event) => setMigrationReason(event.target.value)}
              />
            </Form.Item>
            <Button
              type="primary"
              danger
              loading={busy}
              disabled={!toVersion || !preview || !migrationReason.trim()}
              onClick={() => void migrate()}
              data-testid="migrate"
            >
              {t('designer.migrate.submit', { count: preview?.matched ?? 0 })}
            </Button>
          </Space>
        </Form>
        <div style={{ marginTop: 12 }}>
          <ProblemAlert error={migrationError} />
        </div>
        {report && (
          <div data-testid="migration-report" style={{ marginTop: 12 }}>
            <Descriptions
              size="small"
              bordered
              column={4}
              items={[
                { key: 'to', label: t('designer.migrate.toVersion'), children: report.toVersion },
                {
                  key: 'status',
                  label: t('designer.migrate.state'),
                  children: t(`designer.migrate.states.${report.status}`),
                },
                { key: 'matched', label: t('designer.migrate.matchedLabel'), children: report.matched ?? '—' },
                {
                  key: 'moved',
                  label: t('designer.migrate.moved'),
                  children: <span data-testid="migration-moved">{report.moved ?? '—'}</span>,
                },
              ]}
            />
            {(report.skipped ?? []).length > 0 && (
              <Table
                style={{ marginTop: 12 }}
                size="small"
                rowKey="caseNo"
                dataSource={report.skipped ?? []}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  { title: t('designer.whatIf.caseNo'), dataIndex: 'caseNo' },
                  { title: t('designer.migrate.skipCode'), dataIndex: 'code' },
                  { title: t('designer.migrate.skipReason'), dataIndex: 'reason' },
                ]}
              />
            )}
          </div>
        )}
      </Card>
    </Space>
  );
}
