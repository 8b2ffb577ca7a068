import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, type InboxView, type TaskView } from '../api/client';
import { ActionForm } from '../components/action-form';
import { isKnownAction, type ActionName } from '../lib/action-fields';
import { stepKey } from './inbox-page';
import type { CaseResponse, Me, Timeline as AuditTimeline } from '../api/views';
import { Countdown, useNow } from '../components/countdown';
import { caseStages, LADDER, ladder, nextDeadline, stageTimes } from '../lib/case-process';
import { describeProblem } from '../lib/errors';
import { formatInstant } from '../lib/time';

/** One case for staff within their scope: header, the process as a picture, whistle rounds and the timeline. */
export function CasePage({ user }: { user: Me }) {
  const { caseNo = '' } = useParams();
  const { t, i18n } = useTranslation();
  const now = useNow(15_000);
  const queryClient = useQueryClient();
  // Designers read no case (the API's role rule): ask nothing the user may not ask.
  const mayRead = user.role !== 'designer';
  const query = useQuery({
    queryKey: ['case', caseNo],
    enabled: mayRead,
    refetchInterval: 10_000,
    queryFn: async () =>
      (await api.GET('/api/v1/cases/{caseNo}', { params: { path: { caseNo } } })).data as unknown as CaseResponse,
  });
  // The audit timeline (actors, reasons, Temporal links) is the auditors' and admins' (the API's role rule).
  const canAudit = user.role === 'auditor' || user.role === 'admin';
  const audit = useQuery({
    queryKey: ['case-timeline', caseNo],
    enabled: canAudit,
    queryFn: async () =>
      (await api.GET('/api/v1/audit/cases/{caseNo}/timeline', { params: { path: { caseNo } } }))
        .data as unknown as AuditTimeline,
  });

  const tasks = useQuery({
    queryKey: ['inbox', 'case', caseNo],
    enabled: mayRead,
    queryFn: async () =>
      (await api.GET('/api/v1/tasks', { params: { query: { q: caseNo, limit: 20 } as never } })).data as InboxView,
  });
  const [acting, setActing] = useState<{ task: TaskView; action: ActionName } | null>(null);

  if (!mayRead) return <Alert type="info" showIcon message={t('case.notForRole')} />;
  if (query.error) {
    const problem = describeProblem(t, query.error);
    return <Alert type="error" showIcon message={problem.title} description={problem.lines.join('；')} />;
  }
  const view = query.data;
  const record = view?.case;
  if (!view || !record) return <Typography.Text>{t('case.loading')}</Typography.Text>;
  const lang = i18n.language;
  const next = nextDeadline(view, now);
  const times = stageTimes(view);
  const state = view.workflow.state;
  const stages = caseStages(view);
  const currentStage = Math.max(0, stages.indexOf(state?.stage ?? record.stage));
  const rungs = ladder(view);
  const level = state?.lifecycle?.escalationLevel ?? record.escalationLevel;
  const rounds = state?.lifecycle?.whistleRounds ?? [];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('case.title', { caseNo: view.caseNo })}{' '}
        <Tag color={record.status === 'closed' ? 'default' : 'blue'} data-testid="case-status">
          {t(`values.stage.${record.stage}`, { defaultValue: record.stage })}
        </Tag>
      </Typography.Title>
      {(tasks.data?.items.length ?? 0) > 0 && (
        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('case.myTasks')}</h2>}>
          {tasks.data?.items
            .filter((task) => task.caseNo === caseNo)
            .map((task) => (
              <Space key={task.id} wrap style={{ marginBottom: 8 }}>
                <Tag>{t(stepKey(task.step))}</Tag>
                <Countdown due={task.dueAt} now={now} />
                {task.actions.filter(isKnownAction).map((action) => (
                  <Button key={action} size="small" type="primary" onClick={() => setActing({ task, action })}>
                    {t(`actions.${action}`)}
                  </Button>
                ))}
              </Space>
            ))}
        </Card>
      )}
      {acting && (
        <ActionForm
          taskId={acting.task.id}
          caseNo={caseNo}
          action={acting.action}
          onClose={(done) => {
            setActing(null);
            if (done) {
              void queryClient.invalidateQueries({ queryKey: ['inbox'] });
              void queryClient.invalidateQueries({ queryKey: ['case', caseNo] });
            }
          }}
        />
      )}
      <Card>
        <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }}>
          <Descriptions.Item label={t('case.kind')}>
            {t(`values.kind.${record.kind}`)} · {record.category} · {t(`values.urgency.${record.urgency}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.leadUnit')}>{record.leadUnitId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('case.coUnits')}>{record.coUnitIds.join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('case.rulesVersion')}>{record.rulesVersion ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('case.nextDeadline')}>
            {next ? (
              <Space size={4}>
                {t(`deadlines.${next.kind}`, { defaultValue: next.kind })}
                <Countdown due={next.due} now={now} />
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.supervision')}>
            {t(`values.supervision.${record.supervision}`, { defaultValue: record.supervision })}
            {record.overdue && <Tag color="red">{t('case.overdue')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.citizen')}>
            {record.citizen.name ?? '—'} {record.citizen.phone ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.received')}>{formatInstant(view.receivedAt, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('case.outcome')}>
            {record.outcome ? t(`values.outcome.${record.outcome}`, { defaultValue: record.outcome }) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('case.description')} span={3}>
            {record.description}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('case.process')}</h2>}>
        <Steps
          size="small"
          current={currentStage}
          status={record.status === 'closed' ? 'finish' : 'process'}
          items={stages.map((stage) => ({
            title: t(`values.stage.${stage}`),
            description: times.has(stage) ? formatInstant(times.get(stage), lang) : undefined,
          }))}
        />
        <Typography.Paragraph style={{ marginTop: 24, marginBottom: 8 }} strong>
          {t('case.ladder')}
        </Typography.Paragraph>
        <Steps
          size="small"
          current={Math.max(
            0,
            rungs.findIndex((rung) => rung.level === level),
          )}
          items={rungs.map((rung) => ({
            title: t(`values.escalationLevel.${rung.level}`, {
              defaultValue: LADDER.includes(rung.level as never) ? rung.level : rung.level,
            }),
            description: rung.unitId,
          }))}
        />
      </Card>
      {rounds.length > 0 && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('case.whistleRounds')}</h2>}>
          {rounds.map((round) => (
            <div key={round.round} style={{ marginBottom: 16 }}>
              <Typography.Text strong>
                {t('case.round', { round: round.round })} · {t(`values.grade.${round.grade}`)} ·{' '}
                {round.trigger && `${t(`values.trigger.${round.trigger}`, { defaultValue: round.trigger })} · `}
                {round.whistleType &&
                  `${t(`values.whistleType.${round.whistleType}`, { defaultValue: round.whistleType })} · `}
                {t(`values.roundStatus.${round.status}`, { defaultValue: round.status })} · {round.reason}
              </Typography.Text>
              <Table
                size="small"
                pagination={false}
                rowKey="departmentId"
                dataSource={
                  round.summary?.departments ??
                  round.departmentIds.map((departmentId) => ({
                    departmentId,
                    reported: false,
                    resulted: false,
                    lateReport: false,
                    escalated: false,
                    overdue: false,
                  }))
                }
                columns={[
                  { title: t('case.department'), dataIndex: 'departmentId' },
                  { title: t('case.reported'), render: (_, d) => yesNo(t, d.reported) },
                  { title: t('case.resulted'), render: (_, d) => yesNo(t, d.resulted) },
                  {
                    title: t('case.score'),
                    render: (_, d) =>
                      'score' in d && d.score !== undefined
                        ? `${d.score}${'veto' in d && d.veto ? ` · ${t('case.vetoed')}` : ''}`
                        : '—',
                  },
                ]}
              />
            </div>
          ))}
        </Card>
      )}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('case.timeline')}</h2>}>
        {canAudit && audit.data ? (
          <>
            <Typography.Link href={audit.data.temporalUiUrl} target="_blank" rel="noreferrer">
              {t('case.temporalUi')}
            </Typography.Link>
            <Timeline
              style={{ marginTop: 16 }}
              items={audit.data.rows
                .filter((row) => row.actor !== null || row.role === 'system')
                .map((row) => ({
                  children: (
                    <span>
                      <b>{formatInstant(row.time, lang)}</b> {t(`events.${row.action}`, { defaultValue: row.action })}
                      {row.role && row.role !== 'system' && ` · ${t(`roles.${row.role}`)} ${row.unit ?? ''}`}
                      {row.reason && ` · ${t('case.reason')}: ${row.reason}`}
                    </span>
                  ),
                }))}
            />
          </>
        ) : (
          <Timeline items={derivedTimeline(view, t, lang).map((entry) => ({ children: entry.node }))} />
        )}
      </Card>
    </Space>
  );
}

/**
 * For staff other than auditors: the case's own record of when each stage began, each whistle round and the reply,
 * in time order (the audit timeline with actors is the auditors').
 */
function derivedTimeline(view: CaseResponse, t: TFunction, lang: string): { at: string; node: ReactNode }[] {
  const state = view.workflow.state;
  const entries: { at: string; node: ReactNode }[] = [];
  for (const entry of state?.stages ?? [])
    entries.push({
      at: entry.at,
      node: (
        <span>
          <b>{formatInstant(entry.at, lang)}</b> {t(`values.stage.${entry.stage}`, { defaultValue: entry.stage })}
        </span>
      ),
    });
  for (const round of state?.lifecycle?.whistleRounds ?? [])
    entries.push({
      at: round.startedAt,
      node: (
        <span>
          <b>{formatInstant(round.startedAt, lang)}</b> {t('events.whistled')} ·{' '}
          {t('case.round', { round: round.round })} · {round.departmentIds.join('、')} · {t('case.reason')}:{' '}
          {round.reason}
        </span>
      ),
    });
  const reply = state?.lifecycle?.reply;
  const repliedAt = state?.lifecycle?.timestamps?.replied;
  if (reply && repliedAt)
    entries.push({
      at: repliedAt,
      node: (
        <span>
          <b>{formatInstant(repliedAt, lang)}</b> {t('events.replied')} · {t(`values.result.${reply.result}`)} ·{' '}
          {reply.summary}
        </span>
      ),
    });
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

const yesNo = (t: (key: string) => string, value: boolean) => (value ? t('common.yes') : t('common.no'));
