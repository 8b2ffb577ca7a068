import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type InboxView, type TaskView } from '../api/client';
import type { Me } from '../api/views';
import { ActionForm } from '../components/action-form';
import { Countdown, useNow } from '../components/countdown';
import { isKnownAction, type ActionName } from '../lib/action-fields';
import { describeProblem } from '../lib/errors';
import { followInboxEvents } from '../lib/inbox-events';

const TABS = ['all', 'mine', 'unclaimed', 'overdue', 'dueSoon'] as const;
type Tab = (typeof TABS)[number];

function inboxQuery(tab: Tab): Record<string, string | boolean> {
  switch (tab) {
    case 'mine':
      return { claimedBy: 'me' };
    case 'unclaimed':
      return { status: 'open' };
    case 'overdue':
      return { overdue: true };
    case 'dueSoon':
      return { dueBefore: new Date(Date.now() + 24 * 3600_000).toISOString(), overdue: false };
    default:
      return {};
  }
}

/** The caller's unit inbox: tabs as the API filters, soonest deadline first, live countdowns and SSE updates. */
export function InboxPage({ user }: { user: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const now = useNow(15_000);
  const [tab, setTab] = useState<Tab>('all');
  const [acting, setActing] = useState<{ task: TaskView; action: ActionName } | null>(null);
  const [reassigning, setReassigning] = useState<TaskView | null>(null);
  const hasInbox = user.role !== 'designer';

  const inbox = useQuery({
    queryKey: ['inbox', tab],
    enabled: hasInbox,
    queryFn: async () =>
      (await api.GET('/api/v1/tasks', { params: { query: { ...inboxQuery(tab), limit: 100 } as never } }))
        .data as InboxView,
  });

  useEffect(() => {
    if (!hasInbox) return;
    return followInboxEvents(() => void queryClient.invalidateQueries({ queryKey: ['inbox'] }));
  }, [hasInbox, queryClient]);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['inbox'] });
  const fail = (error: unknown) => {
    const problem = describeProblem(t, error);
    modal.error({ title: problem.title, content: problem.lines.join('\n') });
  };
  const claim = async (task: TaskView, verb: 'claim' | 'unclaim') => {
    try {
      if (verb === 'claim') await api.POST('/api/v1/tasks/{id}/claim', { params: { path: { id: task.id } } });
      else await api.POST('/api/v1/tasks/{id}/unclaim', { params: { path: { id: task.id } } });
      void message.success(t(`inbox.done.${verb}`));
      refresh();
    } catch (error) {
      fail(error);
    }
  };

  if (!hasInbox) return <Alert type="info" showIcon message={t('inbox.noInbox')} />;
  const counts = inbox.data?.counts;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('inbox.title', { unit: user.unitId })}
      </Typography.Title>
      <Space size="large" aria-label={t('inbox.counts')} data-testid="inbox-counts">
        {(['open', 'claimed', 'overdue'] as const).map((key) => (
          <Typography.Text key={key}>
            {t(`inbox.count.${key}`)} <Tag>{counts?.[key] ?? 0}</Tag>
          </Typography.Text>
        ))}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as Tab)}
        items={TABS.map((key) => ({ key, label: t(`inbox.tabs.${key}`) }))}
      />
      {inbox.error && <Alert type="error" showIcon message={describeProblem(t, inbox.error).title} />}
      <Table<TaskView>
        rowKey="id"
        loading={inbox.isLoading}
        dataSource={inbox.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('inbox.empty')} /> }}
        columns={[
          {
            title: t('inbox.columns.case'),
            key: 'case',
            render: (_, task) => <Link to={`/cases/${task.caseNo}`}>{task.caseNo}</Link>,
          },
          { title: t('inbox.columns.step'), key: 'step', render: (_, task) => t(stepKey(task.step)) },
          {
            title: t('inbox.columns.what'),
            key: 'what',
            render: (_, task) => (
              <Space size={4} wrap>
                <Tag>{t(`values.kind.${task.case.kind}`)}</Tag>
                <span>{task.category}</span>
                {task.case.urgency !== 'normal' && <Tag color="red">{t(`values.urgency.${task.case.urgency}`)}</Tag>}
                {task.escalationLevel !== 'none' && (
                  <Tag color="purple">{t(`values.escalationLevel.${task.escalationLevel}`)}</Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('inbox.columns.due'),
            key: 'due',
            render: (_, task) => <Countdown due={task.dueAt} now={now} />,
          },
          {
            title: t('inbox.columns.claim'),
            key: 'claim',
            render: (_, task) =>
              task.claim ? (
                <Tag color="blue">{task.claim.username ?? t('inbox.apiToken')}</Tag>
              ) : (
                <Tag>{t('inbox.unclaimed')}</Tag>
              ),
          },
          {
            title: t('inbox.columns.actions'),
            key: 'actions',
            render: (_, task) => (
              <Space size={4} wrap>
                {!task.claim && (
                  <Button size="small" onClick={() => void claim(task, 'claim')}>
                    {t('inbox.claim')}
                  </Button>
                )}
                {task.claim?.username === user.username && (
                  <Button size="small" onClick={() => void claim(task, 'unclaim')}>
                    {t('inbox.unclaim')}
                  </Button>
                )}
                <Button size="small" onClick={() => setReassigning(task)}>
                  {t('inbox.reassign')}
                </Button>
                {task.actions.filter(isKnownAction).map((action) => (
                  <Button
                    key={action}
                    size="small"
                    type="primary"
                    data-action={action}
                    onClick={() => setActing({ task, action })}
                  >
                    {t(`actions.${action}`)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      {acting && (
        <ActionForm
          taskId={acting.task.id}
          caseNo={acting.task.caseNo}
          action={acting.action}
          onClose={(done) => {
            setActing(null);
            if (done) {
              void message.success(t('form.done'));
              refresh();
              void queryClient.invalidateQueries({ queryKey: ['case', acting.task.caseNo] });
            }
          }}
        />
      )}
      {reassigning && (
        <ReassignDialog
          task={reassigning}
          onClose={(done) => {
            setReassigning(null);
            if (done) refresh();
          }}
        />
      )}
    </Space>
  );
}

/**
 * `steps.coordinate` for `coordinate-street` (the level is shown apart), `steps.whistle-confirm` for
 * `whistle-confirm-2` (a confirmation after a send-back).
 */
export function stepKey(step: string): string {
  if (step.startsWith('coordinate-')) return 'steps.coordinate';
  if (/^whistle-confirm-\d+$/.test(step)) return 'steps.whistle-confirm';
  return `steps.${step}`;
}

function ReassignDialog({ task, onClose }: { task: TaskView; onClose(done: boolean): void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    try {
      await api.POST('/api/v1/tasks/{id}/reassign', {
        params: { path: { id: task.id } },
        body: { username: username.trim() },
      });
      onClose(true);
    } catch (caught) {
      setError(caught);
    }
  };
  const problem = error ? describeProblem(t, error) : null;
  return (
    <Modal
      open
      title={t('inbox.reassign')}
      okText={t('form.submit')}
      cancelText={t('form.cancel')}
      onOk={() => void submit()}
      onCancel={() => onClose(false)}
    >
      {problem && <Alert type="error" showIcon message={problem.title} description={problem.lines.join('；')} />}
      <label>
        {t('fields.username')}
        <Input value={username} onChange={(event) => setUsername(event.target.value)} />
      </label>
    </Modal>
  );
}
