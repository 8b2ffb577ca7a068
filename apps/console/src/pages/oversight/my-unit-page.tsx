import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Empty, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Me } from '../../api/views';
import { ApiProblem } from '../../lib/errors';
import { ProblemAlert } from './common';
import { percent } from './ranking';
import { DrillDown, useMonth, type Figure } from './scores-page';
import { RATES, type UnitExplanation } from './views';

/** The unit whose scores a handler or coordinator reads: their own, or (a committee's coordinator) its locality's. */
export function ownScoredUnit(user: Me): string {
  return user.role === 'coordinator' && user.unitId.startsWith('cc-') ? user.unitId.slice(3) : user.unitId;
}

/** 本单位三率: a unit's people read its own month's figures and rank, and the cases behind each figure. */
export function MyUnitScoresPage({ user }: { user: Me }) {
  const { t } = useTranslation();
  const [month, setMonth, months] = useMonth();
  const [figure, setFigure] = useState<Figure | null>(null);
  const unitId = ownScoredUnit(user);
  const explained = useQuery({
    queryKey: ['scores-explain', month, unitId],
    queryFn: async (): Promise<UnitExplanation | null> => {
      try {
        return (
          await api.GET('/api/v1/scores/{month}/units/{unitId}/explain', {
            params: { path: { month, unitId }, query: {} },
          })
        ).data as unknown as UnitExplanation;
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) return null;
        throw error;
      }
    },
  });
  const data = explained.data;
  const button = (name: Figure, text: string) => (
    <Button
      type="link"
      size="small"
      style={{ padding: 0 }}
      onClick={() => setFigure(name)}
      data-drill={`${unitId}:${name}`}
    >
      {text}
    </Button>
  );
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.myUnit.title', { unit: data?.unitName ?? unitId })}</Typography.Title>
      <Space wrap>
        <label htmlFor="my-month">{t('oversight.scores.month')}</label>
        <Select id="my-month" value={month} options={months} onChange={setMonth} style={{ width: 140 }} />
      </Space>
      {explained.error && <ProblemAlert error={explained.error} />}
      {data === null && <Empty description={t('oversight.myUnit.none', { month })} />}
      {data && (
        <Card>
          <Descriptions column={3} size="small">
            {RATES.map((rate) => (
              <Descriptions.Item key={rate} label={t(`oversight.scores.figures.${rate}`)}>
                {button(
                  rate,
                  `${percent(data.rates[rate].value)} (${data.rates[rate].numerator}/${data.rates[rate].denominator})`,
                )}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('oversight.scores.figures.score')}>
              {button('score', data.score === null ? '—' : data.score.toFixed(2))}
            </Descriptions.Item>
            <Descriptions.Item label={t('oversight.scores.rank')}>
              {data.rank ?? t('oversight.scores.tooFew')}
              {data.bottom ? ` · ${t('oversight.scores.bottom')}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('oversight.scores.figures.cases')}>
              {button('cases', String(data.counts.cases))}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary">{data.explanation.eligibility}</Typography.Paragraph>
        </Card>
      )}
      <Drawer
        open={figure !== null}
        onClose={() => setFigure(null)}
        size="large"
        title={`${unitId} · ${month}`}
        destroyOnHidden
      >
        {figure && <DrillDown month={month} unitId={unitId} figure={figure} user={user} />}
      </Drawer>
    </Space>
  );
}
