import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, Form, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { describeProblem } from '../../lib/errors';
import type { Change, DiffView, VersionView } from './types';

/** A value of a change, readable: text as is, anything else as indented JSON. */
function Value({ value, kind }: { value: unknown; kind: 'before' | 'after' }) {
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre
      style={{
        margin: 0,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-word',
        maxHeight: 220,
        overflow: 'auto',
        background: kind === 'before' ? '#fdeeee' : '#edf7ed',
        padding: '4px 8px',
        borderRadius: 4,
        fontSize: 12,
      }}
    >
      {text}
    </pre>
  );
}

/**
 * The draft against any version (its source by default), side by side: where (items named by id), what kind of
 * change, the value before and after. Saved state: the diff reads the stored draft.
 */
export function DiffPanel({
  draftId,
  basedOn,
  versions,
  savedAt,
}: {
  draftId: string;
  basedOn: string | null;
  versions: VersionView[];
  savedAt: string;
}) {
  const { t } = useTranslation();
  const [against, setAgainst] = useState<string | undefined>(
    basedOn && !basedOn.startsWith('preset:') ? basedOn : versions[0]?.label,
  );
  const diff = useQuery({
    queryKey: ['rules', 'diff', against, draftId, savedAt],
    enabled: against !== undefined,
    queryFn: async () =>
      (await api.GET('/api/v1/rules/diff', { params: { query: { from: against!, to: `draft:${draftId}` } } }))
        .data as unknown as DiffView,
  });
  const kindColour = { added: '#1b6b2f', removed: '#b3261e', changed: '#0b57d0' } as const;
  return (
    <div>
      <Form layout="inline" component="div" style={{ marginBottom: 16 }}>
        <Form.Item label={t('designer.diff.against')} htmlFor="diff-against">
          <Select
            id="diff-against"
            style={{ minWidth: 280 }}
            value={against}
            onChange={setAgainst}
            options={versions.map((version) => ({
              value: version.label,
              label: `${version.label} · ${version.name}${version.archived ? ` (${t('designer.status.archived')})` : ''}`,
            }))}
          />
        </Form.Item>
      </Form>
      {diff.error && <Alert type="error" showIcon message={describeProblem(t, diff.error).title} />}
      {diff.data && diff.data.changes.length === 0 ? (
        <Empty description={t('designer.diff.none')} />
      ) : (
        <Table<Change>
          data-testid="diff-table"
          rowKey={(change) => `${change.path} ${change.kind}`}
          size="small"
          loading={diff.isPending && against !== undefined}
          dataSource={diff.data?.changes ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            {
              title: t('designer.diff.where'),
              dataIndex: 'label',
              width: '28%',
              render: (label: string) => <code style={{ wordBreak: 'break-all' }}>{label}</code>,
            },
            {
              title: t('designer.diff.kind'),
              dataIndex: 'kind',
              width: 90,
              render: (kind: Change['kind']) => <Tag color={kindColour[kind]}>{t(`designer.diff.${kind}`)}</Tag>,
            },
            {
              title: t('designer.diff.before', { label: against ?? '' }),
              dataIndex: 'before',
              render: (value: unknown) => <Value value={value} kind="before" />,
            },
            {
              title: t('designer.diff.after'),
              dataIndex: 'after',
              render: (value: unknown) => <Value value={value} kind="after" />,
            },
          ]}
        />
      )}
    </div>
  );
}
