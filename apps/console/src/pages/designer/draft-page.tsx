import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import type { DefinitionProblem, JsonSchema } from '../../components/designer/schema-form-model';
import { describeProblem } from '../../lib/errors';
import { DiffPanel } from './diff-panel';
import { EditorPanel } from './editor-panel';
import { PublishPanel } from './publish-panel';
import type { DraftView, ValidationView, VersionView } from './types';
import { WhatIfPanel } from './what-if-panel';

/** How long the editor waits after the last change before asking the API to validate the document. */
const VALIDATE_AFTER_MS = 400;

/**
 * One draft: the editor (form by stage or raw JSON, validated live by the API, the ladder drawn beside the published
 * one), its diff against any version, what-if runs, publication and the migration of open cases.
 */
export function DraftPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [document, setDocument] = useState<unknown>(undefined);
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState('');
  const [tab, setTab] = useState('edit');
  const validation = useRef(0);

  const schema = useQuery({
    queryKey: ['rules', 'schema'],
    staleTime: Infinity,
    queryFn: async () => (await api.GET('/api/v1/rules/schema')).data as unknown as JsonSchema,
  });
  const draft = useQuery({
    queryKey: ['rules', 'draft', id],
    staleTime: Infinity,
    queryFn: async () =>
      (await api.GET('/api/v1/rules/drafts/{id}', { params: { path: { id } } })).data as unknown as DraftView,
  });
  const versions = useQuery({
    queryKey: ['rules', 'versions'],
    queryFn: async () =>
      (await api.GET('/api/v1/rules/versions', { params: { query: { includeArchived: true } } }))
        .data as unknown as VersionView[],
  });
  const districtId = (document as { jurisdiction?: { districtId?: string } } | undefined)?.jurisdiction?.districtId;
  const published = useQuery({
    queryKey: ['rules', 'published', districtId ?? ''],
    queryFn: async () =>
      (await api.GET('/api/v1/rules/published', { params: { query: districtId ? { districtId } : {} } }))
        .data as unknown as VersionView,
  });

  useEffect(() => {
    if (draft.data && document === undefined) {
      setDocument(draft.data.document);
      setProblems(draft.data.validation?.errors ?? []);
      setSavedAt(draft.data.updatedAt);
    }
  }, [draft.data, document]);

  // Live validation: the API's own validator, every error at once, a moment after the last change.
  useEffect(() => {
    if (!dirty || document === undefined) return;
    const ticket = ++validation.current;
    const timer = setTimeout(async () => {
      try {
        const result = (await api.POST('/api/v1/rules/validate', { body: { document: document as never } }))
          .data as unknown as ValidationView;
        if (ticket === validation.current) setProblems(result.errors);
      } catch {
        // A document that is not an object (raw JSON mid-edit): the JSON tab says so.
      }
    }, VALIDATE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [document, dirty]);

  const save = async (): Promise<boolean> => {
    setSaveError(null);
    setSaving(true);
    try {
      const saved = (
        await api.PUT('/api/v1/rules/drafts/{id}', {
          params: { path: { id } },
          body: { document: document as never },
        })
      ).data as unknown as DraftView;
      validation.current++;
      setProblems(saved.validation?.errors ?? []);
      setDirty(false);
      setSavedAt(saved.updatedAt);
      void queryClient.invalidateQueries({ queryKey: ['rules', 'drafts'] });
      message.success(t('designer.editor.saved'));
      return saved.validation?.ok ?? true;
    } catch (error) {
      setSaveError(error);
      return false;
    } finally {
      setSaving(false);
    }
  };
  /** What-if and publication read the stored draft: save first, and go on only when it is valid. */
  const saveIfNeeded = async () => (dirty ? save() : problems.length === 0);

  if (draft.error || schema.error) {
    return <Alert type="error" showIcon message={describeProblem(t, draft.error ?? schema.error).title} />;
  }
  if (!draft.data || !schema.data || document === undefined) return <Skeleton active />;
  const jurisdiction = (document as { jurisdiction?: { cityId?: string; districtId?: string } }).jurisdiction ?? {};

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space align="center" wrap>
          <Link to="/rules">{t('designer.rules.back')}</Link>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {draft.data.name}
          </Typography.Title>
          <Tag color="#7a4f00">{t('designer.status.draft')}</Tag>
          {draft.data.basedOn && <Tag>{t('designer.rules.basedOn', { source: draft.data.basedOn })}</Tag>}
          {dirty && <Tag color="#8a3b00">{t('designer.editor.unsaved')}</Tag>}
        </Space>
        <Button type="primary" onClick={() => void save()} loading={saving} disabled={!dirty} data-testid="save-draft">
          {t('designer.editor.save')}
        </Button>
      </Space>
      {saveError != null && <Alert type="error" showIcon message={describeProblem(t, saveError).title} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'edit',
            label: t('designer.tabs.edit'),
            children: (
              <EditorPanel
                schema={schema.data}
                document={document}
                problems={problems}
                onDocument={(next) => {
                  setDocument(next);
                  setDirty(true);
                }}
                published={
                  published.data ? { label: published.data.label, document: published.data.document } : undefined
                }
              />
            ),
          },
          {
            key: 'diff',
            label: t('designer.tabs.diff'),
            children: (
              <>
                {dirty && (
                  <Alert type="warning" showIcon message={t('designer.diff.unsaved')} style={{ marginBottom: 12 }} />
                )}
                <DiffPanel draftId={id} basedOn={draft.data.basedOn} versions={versions.data ?? []} savedAt={savedAt} />
              </>
            ),
          },
          {
            key: 'whatIf',
            label: t('designer.tabs.whatIf'),
            children: <WhatIfPanel draftId={id} beforeRun={saveIfNeeded} />,
          },
          {
            key: 'publish',
            label: t('designer.tabs.publish'),
            children: (
              <PublishPanel
                draftId={id}
                jurisdiction={jurisdiction}
                versions={versions.data ?? []}
                beforePublish={saveIfNeeded}
                onPublished={() => void queryClient.invalidateQueries({ queryKey: ['rules'] })}
              />
            ),
          },
        ]}
      />
    </Space>
  );
}
