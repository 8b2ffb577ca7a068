import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { describeProblem } from '../../lib/errors';
import { formatInstant } from '../../lib/time';
import type { DraftView, VersionView } from './types';

/** One row of the list: a published or archived version, or a draft. */
interface Row {
  key: string;
  name: string;
  label: string;
  scope: string;
  status: 'draft' | 'published' | 'archived';
  who: string;
  when: string;
  why: string;
  draftId?: string;
}

const scopeOf = (version: VersionView) => version.scope.districtId ?? version.scope.cityId;

/**
 * Rule versions by scope (the city, or a district): published, archived and draft, with who, when and why; a new
 * draft from a version.
 */
export function RulesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const [scope, setScope] = useState<string | undefined>(undefined);
  const [source, setSource] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const versions = useQuery({
    queryKey: ['rules', 'versions'],
    queryFn: async () =>
      (await api.GET('/api/v1/rules/versions', { params: { query: { includeArchived: true } } }))
        .data as unknown as VersionView[],
  });
  const drafts = useQuery({
    queryKey: ['rules', 'drafts'],
    queryFn: async () =>
      (await api.GET('/api/v1/rules/drafts', { params: { query: {} } })).data as unknown as DraftView[],
  });
  const scopes = [...new Set((versions.data ?? []).map(scopeOf))];
  const rows: Row[] = [
    ...(drafts.data ?? []).map(
      (draft): Row => ({
        key: `draft:${draft.id}`,
        name: draft.name,
        label: draft.basedOn ? t('designer.rules.basedOn', { source: draft.basedOn }) : '—',
        scope: '—',
        status: 'draft',
        who: draft.updatedBy,
        when: draft.updatedAt,
        why: '',
        draftId: draft.id,
      }),
    ),
    ...(versions.data ?? [])
      .filter((version) => !scope || scopeOf(version) === scope)
      .map(
        (version): Row => ({
          key: version.label,
          name: version.name,
          label: version.label,
          scope: scopeOf(version),
          status: version.archived ? 'archived' : 'published',
          who: version.archived ? (version.archived.by ?? '') : version.published.byName,
          when: version.archived ? version.archived.at : version.published.at,
          why: version.archived ? (version.archived.reason ?? '') : version.published.reason,
        }),
      ),
  ];
  const published = (versions.data ?? []).filter((version) => !version.archived);

  const createDraft = async () => {
    if (!source) return;
    setBusy(true);
    try {
      const draft = (await api.POST('/api/v1/rules/drafts', { body: { fromVersion: source } }))
        .data as unknown as DraftView;
      void navigate(`/rules/drafts/${draft.id}`);
    } catch (error) {
      const problem = describeProblem(t, error);
      modal.error({ title: problem.title, content: problem.lines.join('\n') });
    } finally {
      setBusy(false);
    }
  };

  const statusColour = { draft: '#7a4f00', published: '#1b6b2f', archived: 'default' } as const;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('designer.rules.title')}
      </Typography.Title>
      <Card title={t('designer.rules.newDraft')} size="small">
        <Form layout="inline" component="div">
          <Form.Item label={t('designer.rules.from')} htmlFor="draft-source">
            <Select
              id="draft-source"
              style={{ minWidth: 260 }}
              value={source}
              onChange={setSource}
              options={published.map((version) => ({
                value: version.label,
                label: `${version.label} · ${version.name}`,
              }))}
            />
          </Form.Item>
          <Button
            type="primary"
            loading={busy}
            disabled={!source}
            onClick={() => void createDraft()}
            data-testid="create-draft"
          >
            {t('designer.rules.create')}
          </Button>
        </Form>
      </Card>
      {(versions.error || drafts.error) && (
        <Alert type="error" showIcon message={describeProblem(t, versions.error ?? drafts.error).title} />
      )}
      <Form layout="inline" component="div">
        <Form.Item label={t('designer.rules.scope')} htmlFor="rules-scope">
          <Select
            id="rules-scope"
            allowClear
            style={{ minWidth: 200 }}
            value={scope}
            onChange={setScope}
            placeholder={t('designer.rules.allScopes')}
            options={scopes.map((value) => ({ value, label: value }))}
          />
        </Form.Item>
      </Form>
      <Table<Row>
        rowKey="key"
        size="middle"
        loading={versions.isPending || drafts.isPending}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          {
            title: t('designer.rules.name'),
            dataIndex: 'name',
            render: (name: string, row) =>
              row.draftId ? (
                <Link to={`/rules/drafts/${row.draftId}`} data-testid="draft-link">
                  {name}
                </Link>
              ) : (
                name
              ),
          },
          { title: t('designer.rules.version'), dataIndex: 'label' },
          { title: t('designer.rules.scope'), dataIndex: 'scope' },
          {
            title: t('designer.rules.status'),
            dataIndex: 'status',
            render: (status: Row['status']) => <Tag color={statusColour[status]}>{t(`designer.status.${status}`)}</Tag>,
          },
          { title: t('designer.rules.who'), dataIndex: 'who' },
          {
            title: t('designer.rules.when'),
            dataIndex: 'when',
            render: (when: string) => formatInstant(when, i18n.language),
          },
          { title: t('designer.rules.why'), dataIndex: 'why' },
        ]}
      />
    </Space>
  );
}
