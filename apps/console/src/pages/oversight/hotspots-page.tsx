import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, List, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Me } from '../../api/views';
import { buildCityMap, type MapUnit } from '../../components/oversight/city-map';
import { CityMapSvg } from '../../components/oversight/city-map-svg';
import { CaseLink, ProblemAlert } from './common';
import { densityByStreet, hotspotCategories } from './hotspots';
import { useMonth, useMonthScores } from './scores-page';

const MAP_WIDTH = 760;
const MAP_HEIGHT = 520;

/** 热点: the city's streets coloured by the month's cases of a category, and the problem-of-the-month candidates. */
export function HotspotsPage({ user }: { user: Me }) {
  const { t } = useTranslation();
  const [month, setMonth, months] = useMonth();
  const [category, setCategory] = useState<string>('');
  const [street, setStreet] = useState<string | undefined>();
  const scores = useMonthScores(month);
  const geometry = useQuery({
    queryKey: ['org-map'],
    staleTime: 60_000,
    queryFn: async () => (await api.GET('/api/v1/org/map')).data as unknown as { units: MapUnit[] },
  });
  const map = useMemo(
    () => (geometry.data ? buildCityMap(geometry.data.units, MAP_WIDTH, MAP_HEIGHT) : null),
    [geometry.data],
  );
  const hotspots = scores.data?.hotspots ?? [];
  const density = densityByStreet(hotspots, category || undefined);
  const categories = hotspotCategories(hotspots);
  const auditor = user.role === 'auditor' || user.role === 'admin';
  const inStreet = hotspots.filter(
    (spot) => (spot.streetId ?? spot.districtId) === street && (!category || spot.category === category),
  );
  const unplaced = hotspots.filter((spot) => !spot.streetId && (!category || spot.category === category));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.hotspots.title')}</Typography.Title>
      <Space wrap>
        <label htmlFor="hotspot-month">{t('oversight.scores.month')}</label>
        <Select id="hotspot-month" value={month} options={months} onChange={setMonth} style={{ width: 140 }} />
        <label htmlFor="hotspot-category">{t('oversight.hotspots.category')}</label>
        <Select
          id="hotspot-category"
          value={category}
          style={{ width: 220 }}
          onChange={setCategory}
          options={[
            { value: '', label: t('oversight.hotspots.allCategories') },
            ...categories.map((entry) => ({ value: entry, label: entry })),
          ]}
        />
      </Space>
      {(scores.error || geometry.error) && <ProblemAlert error={scores.error ?? geometry.error} />}
      {scores.data === null && <Empty description={t('oversight.scores.noRun', { month })} />}
      <Row gutter={24}>
        <Col xs={24} xl={15}>
          <Card
            title={t('oversight.hotspots.mapTitle', {
              month,
              category: category || t('oversight.hotspots.allCategories'),
            })}
          >
            {map && map.areas.length ? (
              <CityMapSvg
                map={map}
                values={density}
                selected={street}
                onSelect={setStreet}
                title={t('oversight.hotspots.mapTitle', {
                  month,
                  category: category || t('oversight.hotspots.allCategories'),
                })}
              />
            ) : (
              <Empty description={t('oversight.hotspots.noGeometry')} />
            )}
            {unplaced.length > 0 && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('oversight.hotspots.unplaced', { count: unplaced.reduce((sum, spot) => sum + spot.cases, 0) })}
              </Typography.Paragraph>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card
            title={
              street
                ? t('oversight.hotspots.streetTitle', {
                    street: map?.areas.find((a) => a.id === street)?.name ?? street,
                  })
                : t('oversight.hotspots.pick')
            }
          >
            {street && (
              <Table
                size="small"
                rowKey={(spot) => `${spot.category}-${spot.streetId}`}
                pagination={false}
                dataSource={inStreet}
                locale={{ emptyText: t('oversight.scores.noCases') }}
                columns={[
                  { title: t('oversight.hotspots.category'), dataIndex: 'category' },
                  { title: t('oversight.hotspots.cases'), dataIndex: 'cases' },
                  { title: t('oversight.hotspots.repeats'), dataIndex: 'repeatContacts' },
                  {
                    title: t('oversight.hotspots.caseNos'),
                    dataIndex: 'caseNos',
                    render: (caseNos: string[]) =>
                      auditor ? (
                        <Space wrap>
                          {caseNos.map((caseNo) => (
                            <CaseLink key={caseNo} caseNo={caseNo} />
                          ))}
                        </Space>
                      ) : (
                        caseNos.join('、')
                      ),
                  },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
      <Card title={t('oversight.hotspots.candidatesTitle')}>
        {scores.data?.candidates.length ? (
          <List
            dataSource={scores.data?.candidates ?? []}
            renderItem={(candidate, index) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space>
                      <Tag color="red">{index + 1}</Tag>
                      {candidate.category}
                      <span>
                        {t('oversight.hotspots.candidateCases', { cases: candidate.cases, growth: candidate.growth })}
                      </span>
                    </Space>
                  }
                  description={`${candidate.reason} · ${t('oversight.hotspots.areas')}: ${candidate.areas.join('、')}`}
                />
              </List.Item>
            )}
          />
        ) : (
          <Typography.Paragraph>{t('oversight.hotspots.noCandidates')}</Typography.Paragraph>
        )}
      </Card>
    </Space>
  );
}
