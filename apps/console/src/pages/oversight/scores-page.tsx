import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Empty, List, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Me } from '../../api/views';
import { TrendChart } from '../../components/oversight/trend-chart';
import { ApiProblem } from '../../lib/errors';
import { formatInstant } from '../../lib/time';
import { CaseLink, ProblemAlert } from './common';
import { monthsEndingAt, percent, rankingRows, shanghaiMonth, trendSeries, type RankingRow } from './ranking';
import { filterQueryString, monthWindow } from './search-query';
import {
  RATES,
  SCORED_KINDS,
  type FigureCases,
  type MonthScores,
  type RateName,
  type ScoredKind,
  type UnitExplanation,
} from './views';

/** Months a trend line spans. */
const TREND_MONTHS = 6;

/** A month's published scores; null when the month has no completed run (404). */
export async function fetchMonthScores(month: string): Promise<MonthScores | null> {
  try {
    return (await api.GET('/api/v1/scores/{month}', { params: { path: { month }, query: {} } }))
      .data as unknown as MonthScores;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return null;
    throw error;
  }
}

export function useMonthScores(month: string) {
  return useQuery({ queryKey: ['scores', month], queryFn: () => fetchMonthScores(month) });
}

/** The month picker of the leaders' pages: this month and the eleven before, in the URL (`?month=`). */
export function useMonth(): [string, (month: string) => void, { value: string; label: string }[]] {
  const [search, setSearch] = useSearchParams();
  const current = shanghaiMonth();
  const month = /^\d{4}-\d{2}$/.test(search.get('month') ?? '') ? search.get('month')! : current;
  const options = monthsEndingAt(current, 12)
    .reverse()
    .map((value) => ({ value, label: value }));
  return [month, (next) => setSearch({ month: next }), options];
}

/** Which figure of a unit the drill-down shows. */
export type Figure = RateName | 'score' | 'cases';

/** 三率排名: rankings per kind with each rate and the composite, bottom N marked, trend lines, drill-down, 双考核. */
export function ScoresPage({ user }: { user: Me }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [month, setMonth, months] = useMonth();
  const [kind, setKind] = useState<ScoredKind>('street');
  const [drill, setDrill] = useState<{ unitId: string; figure: Figure } | null>(null);
  const [picked, setPicked] = useState<string[] | null>(null);
  const scores = useMonthScores(month);
  const mayRun = user.role === 'auditor' || user.role === 'admin';
  const run = useMutation({
    mutationFn: async () => (await api.POST('/api/v1/scores/runs', { body: { month } })).data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['scores'] }),
  });
  const trendMonths = monthsEndingAt(month, TREND_MONTHS);
  const trend = useQueries({
    queries: trendMonths.map((entry) => ({ queryKey: ['scores', entry], queryFn: () => fetchMonthScores(entry) })),
  });

  const data = scores.data;
  const rows = data ? rankingRows(data, kind) : [];
  const defaultTrend = rows.filter((row) => row.bottom).map((row) => row.unitId);
  const trendUnits = (picked ?? (defaultTrend.length ? defaultTrend : rows.map((row) => row.unitId))).slice(0, 6);
  const series = trendSeries(
    trend.map((entry) => entry.data ?? null),
    trendUnits,
  );

  const figure = (row: RankingRow, name: Figure, text: string) => (
    <Button
      type="link"
      size="small"
      style={{ padding: 0 }}
      onClick={() => setDrill({ unitId: row.unitId, figure: name })}
      aria-label={t('oversight.scores.drillLabel', {
        value: text,
        unit: row.label,
        figure: t(`oversight.scores.figures.${name}`),
      })}
      data-drill={`${row.unitId}:${name}`}
    >
      {text}
    </Button>
  );
  const rateColumn = (rate: RateName) => ({
    title: t(`oversight.scores.figures.${rate}`),
    key: rate,
    render: (_: unknown, row: RankingRow) =>
      figure(
        row,
        rate,
        `${percent(row.rates[rate].value)} (${row.rates[rate].numerator}/${row.rates[rate].denominator})`,
      ),
  });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.scores.title')}</Typography.Title>
      <Space wrap>
        <label htmlFor="score-month">{t('oversight.scores.month')}</label>
        <Select id="score-month" value={month} options={months} onChange={setMonth} style={{ width: 140 }} />
        {mayRun && (
          <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="run-scores">
            {t('oversight.scores.runNow')}
          </Button>
        )}
      </Space>
      {run.error && <ProblemAlert error={run.error} />}
      {scores.error && <ProblemAlert error={scores.error} />}
      {data === null && <Empty description={t('oversight.scores.noRun', { month })} />}
      {data && (
        <>
          <Alert
            type="info"
            showIcon
            title={t('oversight.scores.runInfo', {
              at: formatInstant(data.run.computedAt, i18n.language),
              trigger: t(`oversight.scores.triggers.${data.run.trigger}`, { defaultValue: data.run.trigger }),
            })}
            description={
              data.run.policy
                ? t('oversight.scores.policy', {
                    response: data.run.policy.weights.response,
                    resolution: data.run.policy.weights.resolution,
                    satisfaction: data.run.policy.weights.satisfaction,
                    minSample: data.run.policy.minSample,
                    bottomN: data.run.policy.bottomN,
                  })
                : undefined
            }
          />
          <Tabs
            activeKey={kind}
            onChange={(key) => {
              setKind(key as ScoredKind);
              setPicked(null);
            }}
            items={SCORED_KINDS.map((entry) => ({
              key: entry,
              label: t(`oversight.scores.kinds.${entry}`),
            }))}
          />
          <Table<RankingRow>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={rows}
            data-testid="ranking"
            caption={t('oversight.scores.rankingCaption', { kind: t(`oversight.scores.kinds.${kind}`), month })}
            rowClassName={(row) => (row.bottom ? 'oversight-bottom' : '')}
            onRow={(row) => ({ style: row.bottom ? { background: '#fff1f0' } : undefined })}
            columns={[
              {
                title: t('oversight.scores.rank'),
                dataIndex: 'rank',
                render: (rank: number | null, row) => (
                  <Space size={4}>
                    {rank ?? '—'}
                    {row.scope && row.scope !== 'city' && (
                      <Tag>{t('oversight.scores.scopeOf', { scope: row.scope })}</Tag>
                    )}
                    {row.bottom && <Tag color="red">{t('oversight.scores.bottom')}</Tag>}
                  </Space>
                ),
              },
              { title: t('oversight.scores.unit'), dataIndex: 'label' },
              ...RATES.map(rateColumn),
              {
                title: t('oversight.scores.figures.score'),
                key: 'score',
                render: (_: unknown, row) => figure(row, 'score', row.score === null ? '—' : row.score.toFixed(2)),
              },
              {
                title: t('oversight.scores.figures.cases'),
                key: 'cases',
                render: (_: unknown, row) => figure(row, 'cases', String(row.counts.cases)),
              },
              {
                title: t('oversight.scores.eligible'),
                dataIndex: 'eligible',
                render: (eligible: boolean) => (eligible ? t('common.yes') : t('oversight.scores.tooFew')),
              },
            ]}
          />
          <Card title={t('oversight.scores.trendTitle', { count: TREND_MONTHS })}>
            <Space style={{ marginBottom: 12 }} wrap>
              <label htmlFor="trend-units">{t('oversight.scores.trendPick')}</label>
              <Select
                id="trend-units"
                mode="multiple"
                style={{ minWidth: 320 }}
                value={trendUnits}
                onChange={(keys: string[]) => setPicked(keys)}
                options={rows.map((row) => ({ value: row.unitId, label: row.label }))}
              />
            </Space>
            {series.length ? (
              <TrendChart
                months={trendMonths}
                series={series}
                title={t('oversight.scores.trendTitle', { count: TREND_MONTHS })}
              />
            ) : (
              <Empty />
            )}
          </Card>
          {kind === 'department' && <DoubleAssessment scores={data} />}
        </>
      )}
      <Drawer
        open={drill !== null}
        onClose={() => setDrill(null)}
        size="large"
        title={drill ? t('oversight.scores.drillTitle', { unit: drill.unitId, month }) : ''}
        destroyOnHidden
      >
        {drill && <DrillDown month={month} unitId={drill.unitId} figure={drill.figure} user={user} />}
      </Drawer>
    </Space>
  );
}

/** The case lists behind each figure of a unit, as `…/explain` gives them: numerator, denominator, exclusions. */
export function figureLists(explained: UnitExplanation, figure: Figure): { key: string; cases: string[] }[] {
  const e = explained.explanation;
  const excluded = Object.entries(e.excluded ?? {}).map(([reason, cases]) => ({ key: `excluded:${reason}`, cases }));
  switch (figure) {
    case 'response':
      return [
        { key: 'respondedOnTime', cases: e.respondedOnTime },
        { key: 'respondedLate', cases: e.respondedLate },
        { key: 'dispatched', cases: e.dispatched },
        ...excluded,
      ];
    case 'resolution':
      return [{ key: 'solved', cases: e.solved }, { key: 'rated', cases: e.rated }, ...excluded];
    case 'satisfaction':
      return [
        { key: 'satisfied', cases: e.satisfied },
        { key: 'satisfactionRated', cases: e.satisfactionRated },
        ...excluded,
      ];
    default:
      return [
        { key: 'cases', cases: e.cases },
        { key: 'dispatched', cases: e.dispatched },
        { key: 'rated', cases: e.rated },
        ...excluded,
      ];
  }
}

/** The cases behind one rate of a unit, from `GET /api/v1/scores/{month}/units/{unitId}/cases?figure=`. */
async function fetchFigureCases(month: string, unitId: string, figure: RateName): Promise<FigureCases> {
  const answer = await api.GET('/api/v1/scores/{month}/units/{unitId}/cases', {
    params: { path: { month, unitId }, query: { figure } as never },
  });
  return answer.data as unknown as FigureCases;
}

/** The case lists of a rate's drill-down: met (numerator), missed, counted (denominator), each exclusion. */
export function figureCaseLists(cases: FigureCases): { key: string; cases: string[] }[] {
  return [
    { key: 'met', cases: cases.met },
    { key: 'missed', cases: cases.missed },
    { key: 'counted', cases: cases.counted },
    ...Object.entries(cases.excluded ?? {}).map(([reason, list]) => ({ key: `excluded:${reason}`, cases: list })),
  ];
}

/**
 * What stands behind a figure of a unit: for a rate, the figure route's lists with the formula; for the score and the
 * case count, the unit's explanation (its terms and every case of the month). Each case links to its story (auditors,
 * admins) or its case page.
 */
export function DrillDown({
  month,
  unitId,
  figure,
  user,
}: {
  month: string;
  unitId: string;
  figure: Figure;
  user: Me;
}) {
  const { t } = useTranslation();
  const isRate = (RATES as readonly string[]).includes(figure);
  const explained = useQuery({
    queryKey: ['scores-explain', month, unitId],
    queryFn: async () =>
      (
        await api.GET('/api/v1/scores/{month}/units/{unitId}/explain', {
          params: { path: { month, unitId }, query: {} },
        })
      ).data as unknown as UnitExplanation,
  });
  const figureCases = useQuery({
    queryKey: ['scores-figure', month, unitId, figure],
    enabled: isRate,
    queryFn: () => fetchFigureCases(month, unitId, figure as RateName),
  });
  const error = explained.error ?? figureCases.error;
  if (error) return <ProblemAlert error={error} />;
  const data = explained.data;
  if (!data || (isRate && !figureCases.data)) return <Typography.Text>{t('case.loading')}</Typography.Text>;
  const formula = isRate ? figureCases.data!.formula : figure === 'score' ? data.formulas.score : null;
  const lists = isRate ? figureCaseLists(figureCases.data!) : figureLists(data, figure);
  const auditor = user.role === 'auditor' || user.role === 'admin';
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="drill-down">
      <Typography.Title level={4}>
        {data.unitName ?? unitId} · {t(`oversight.scores.figures.${figure}`)}
      </Typography.Title>
      {formula && <Typography.Paragraph code>{formula}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary">{data.explanation.eligibility}</Typography.Paragraph>
      {lists.map((list) => (
        <Card
          key={list.key}
          size="small"
          title={`${t(`oversight.scores.lists.${list.key.split(':')[0]}`)}${list.key.includes(':') ? ` · ${list.key.split(':')[1]}` : ''} (${list.cases.length})`}
        >
          {list.cases.length ? (
            <List
              size="small"
              dataSource={list.cases}
              renderItem={(caseNo) => (
                <List.Item>
                  {auditor ? <CaseLink caseNo={caseNo} /> : <Link to={`/cases/${caseNo}`}>{caseNo}</Link>}
                </List.Item>
              )}
            />
          ) : (
            <Typography.Text type="secondary">{t('oversight.scores.noCases')}</Typography.Text>
          )}
        </Card>
      ))}
      {auditor && (
        <Link to={`/oversight/cases${filterQueryString({ unitId, ...monthWindow(month) })}`}>
          {t('oversight.scores.searchUnit', { unit: unitId, month })}
        </Link>
      )}
    </Space>
  );
}

/** 双考核: how the units that whistled each department rated it. */
function DoubleAssessment({ scores }: { scores: MonthScores }) {
  const { t } = useTranslation();
  return (
    <Card title={t('oversight.scores.doubleTitle')}>
      <Table
        size="small"
        rowKey="departmentId"
        pagination={false}
        dataSource={scores.doubleAssessment}
        locale={{ emptyText: t('oversight.scores.doubleEmpty') }}
        columns={[
          {
            title: t('oversight.scores.department'),
            dataIndex: 'departmentId',
            render: (id: string) => scores.units.find((unit) => unit.unitId === id)?.unitName ?? id,
          },
          { title: t('oversight.scores.ratings'), dataIndex: 'count' },
          { title: t('oversight.scores.average'), dataIndex: 'average', render: (value: number) => value.toFixed(2) },
          {
            title: t('oversight.scores.byWhistler'),
            dataIndex: 'byWhistler',
            render: (list: { whistlerUnitId: string; count: number; average: number }[]) =>
              list.map((entry) => `${entry.whistlerUnitId}: ${entry.average.toFixed(2)} (${entry.count})`).join('；'),
          },
          {
            title: t('oversight.scores.deptScore'),
            key: 'score',
            render: (_: unknown, row: { departmentId: string }) => {
              const unit = scores.units.find((entry) => entry.unitId === row.departmentId);
              return unit?.score === null || unit?.score === undefined ? '—' : unit.score.toFixed(2);
            },
          },
        ]}
      />
    </Card>
  );
}
