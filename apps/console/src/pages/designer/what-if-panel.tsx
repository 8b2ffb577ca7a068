import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  InputNumber,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ScoreChart, type ScoreBar } from '../../components/designer/score-chart';
import { describeProblem } from '../../lib/errors';
import type { CaseComparison, WhatIfJob, WhatIfReport } from './types';

const HOUR = 3600_000;

/** A shift in hours or days, signed: `−3 d`, `+4 h`. */
function shift(ms: number, t: TFunction): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  return abs >= 24 * HOUR
    ? `${sign}${t('designer.whatIf.days', { count: Math.round((abs / (24 * HOUR)) * 10) / 10 })}`
    : `${sign}${t('designer.whatIf.hours', { count: Math.round((abs / HOUR) * 10) / 10 })}`;
}

/** Every unit-month whose score the draft changes. */
export function scoreBars(report: WhatIfReport): ScoreBar[] {
  return report.scores.months.flatMap((month) =>
    month.units
      .filter((unit) => unit.score)
      .map((unit) => ({
        unitId: unit.unitId,
        month: month.month,
        before: unit.score!.before,
        after: unit.score!.after,
      })),
  );
}

/**
 * Runs the saved draft against recorded cases (the last N), with a progress bar while the job runs, then its report:
 * totals, the cases that would route, escalate or be scored differently, and a chart of the score changes per unit.
 */
export function WhatIfPanel({ draftId, beforeRun }: { draftId: string; beforeRun(): Promise<boolean> }) {
  const { t } = useTranslation();
  const [last, setLast] = useState<number>(200);
  const [job, setJob] = useState<WhatIfJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const follow = (jobId: string) => {
    timer.current = setTimeout(async () => {
      try {
        const next = (await api.GET('/api/v1/rules/what-if/{jobId}', { params: { path: { jobId } } }))
          .data as unknown as WhatIfJob;
        setJob(next);
        if (next.status === 'queued' || next.status === 'running') follow(jobId);
      } catch (caught) {
        setError(caught);
      }
    }, 500);
  };

  const run = async () => {
    setError(null);
    setJob(null);
    if (!(await beforeRun())) return;
    try {
      const started = (await api.POST('/api/v1/rules/what-if', { body: { draftId, sample: { last } } }))
        .data as unknown as { jobId: string; status: WhatIfJob['status'] };
      setJob({
        jobId: started.jobId,
        status: started.status,
        progress: { done: 0, total: null },
        report: null,
        error: null,
      });
      follow(started.jobId);
    } catch (caught) {
      setError(caught);
    }
  };

  const running = job && (job.status === 'queued' || job.status === 'running');
  const percent =
    job?.status === 'done' ? 100 : job?.progress.total ? Math.floor((job.progress.done / job.progress.total) * 100) : 0;
  const problem = error ? describeProblem(t, error) : null;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Form layout="inline" component="div">
        <Form.Item label={t('designer.whatIf.last')} htmlFor="what-if-last">
          <InputNumber id="what-if-last" min={1} max={20000} value={last} onChange={(value) => setLast(value ?? 1)} />
        </Form.Item>
        <Button type="primary" onClick={() => void run()} loading={!!running} data-testid="run-what-if">
          {t('designer.whatIf.run')}
        </Button>
      </Form>
      {problem && (
        <Alert
          type="error"
          showIcon
          message={problem.title}
          description={problem.lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        />
      )}
      {job && (
        <div>
          <Typography.Text data-testid="what-if-status">
            {t(`designer.whatIf.status.${job.status}`)} · {job.progress.done}/{job.progress.total ?? '…'}
          </Typography.Text>
          <Progress
            percent={percent}
            status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'}
            aria-label={t('designer.whatIf.progress')}
            data-testid="what-if-progress"
          />
          {job.error && <Alert type="error" showIcon message={job.error} />}
        </div>
      )}
      {job?.report && <WhatIfReportView report={job.report} />}
    </Space>
  );
}

function WhatIfReportView({ report }: { report: WhatIfReport }) {
  const { t } = useTranslation();
  const { totals } = report;
  const bars = scoreBars(report);
  const lead = (summary: NonNullable<CaseComparison['routing']>['before']) =>
    'error' in summary ? summary.error : summary.leadUnitId;
  return (
    <div data-testid="what-if-report">
      <Typography.Title level={4}>{t('designer.whatIf.report')}</Typography.Title>
      <Row gutter={[16, 16]}>
        {(
          [
            ['cases', totals.cases],
            ['differing', totals.differing],
            ['routingChanged', totals.routingChanged],
            ['deadlinesChanged', totals.deadlinesChanged],
            ['escalateSooner', totals.escalateSooner],
            ['escalateLater', totals.escalateLater],
            ['escalateNewly', totals.escalateNewly],
            ['onTime', `${totals.responseOnTime.before} → ${totals.responseOnTime.after}`],
          ] as const
        ).map(([key, value]) => (
          <Col key={key} xs={12} md={6} xl={3}>
            <Card size="small">
              <Statistic title={t(`designer.whatIf.totals.${key}`)} value={value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('designer.whatIf.scores')} style={{ marginTop: 16 }}>
        {bars.length ? (
          <ScoreChart bars={bars} title={t('designer.whatIf.scoreChart')} />
        ) : (
          <Typography.Text type="secondary" data-testid="no-score-change">
            {t('designer.whatIf.noScoreChange', { count: report.scores.cases })}
          </Typography.Text>
        )}
      </Card>
      <Table<CaseComparison>
        style={{ marginTop: 16 }}
        rowKey="caseNo"
        size="small"
        dataSource={report.cases}
        locale={{ emptyText: <Typography.Text type="secondary">{t('designer.whatIf.noCaseDiffers')}</Typography.Text> }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('designer.whatIf.caseNo'), dataIndex: 'caseNo' },
          { title: t('designer.whatIf.pinned'), dataIndex: 'rulesVersion' },
          {
            title: t('designer.whatIf.routing'),
            render: (_, row) =>
              row.routing ? `${lead(row.routing.before)} → ${lead(row.routing.after)}` : t('designer.whatIf.same'),
          },
          {
            title: t('designer.whatIf.deadlines'),
            render: (_, row) =>
              row.deadlines.length
                ? row.deadlines.map((d) => (
                    <div key={d.deadline}>
                      {d.deadline}: {d.before.duration} → {d.after.duration} ({shift(d.shiftMs, t)})
                    </div>
                  ))
                : t('designer.whatIf.same'),
          },
          {
            title: t('designer.whatIf.escalation'),
            render: (_, row) =>
              row.escalation ? (
                <Tag color={row.escalation.verdict === 'later' ? '#0b57d0' : '#b3261e'}>
                  {row.escalation.stage}: {t(`designer.whatIf.verdict.${row.escalation.verdict}`)}{' '}
                  {shift(row.escalation.byMs, t)}
                </Tag>
              ) : (
                t('designer.whatIf.same')
              ),
          },
          {
            title: t('designer.whatIf.response'),
            render: (_, row) =>
              row.response
                ? `${t(`designer.whatIf.outcome.${row.response.before}`)} → ${t(`designer.whatIf.outcome.${row.response.after}`)}`
                : t('designer.whatIf.same'),
          },
        ]}
      />
    </div>
  );
}
