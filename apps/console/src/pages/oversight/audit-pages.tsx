import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { CaseResponse } from '../../api/views';
import { downloadFile } from '../../components/oversight/download';
import { formatInstant } from '../../lib/time';
import { CaseLink, ProblemAlert, useValue } from './common';
import { filtersFromSearch, filterQueryString, lifecycleCsvPath, type CaseFilters } from './search-query';
import { storyOf, temporalEventLink, versionsOfCase } from './story';
import type { AuditCasePage, AuditCaseRow, AuditVerification, CaseTimeline, ConsistencyReport } from './views';

const ESCALATION = ['none', 'community', 'street', 'district', 'city'];
const SUPERVISION = ['none', 'daily', 'posted', 'interview'];
const STATUS = ['registered', 'open', 'closed'];

/** The search's query object for the typed client (the filters that are set). */
function searchQuery(filters: CaseFilters, cursor?: string, limit = 50) {
  const query: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(filters))
    if (value) query[key] = key === 'overdue' ? value === 'true' : value;
  if (cursor) query.cursor = cursor;
  query.limit = limit;
  return query as never;
}

async function searchCases(filters: CaseFilters, cursor?: string, limit?: number): Promise<AuditCasePage> {
  const answer = await api.GET('/api/v1/audit/cases', { params: { query: searchQuery(filters, cursor, limit) } });
  return answer.data as unknown as AuditCasePage;
}

/** The columns every case table of the auditors shows. */
function useCaseColumns() {
  const { t, i18n } = useTranslation();
  const value = useValue();
  return [
    {
      title: t('oversight.cases.caseNo'),
      dataIndex: 'caseNo',
      render: (caseNo: string) => <CaseLink caseNo={caseNo} />,
    },
    {
      title: t('oversight.cases.received'),
      dataIndex: 'receivedAt',
      render: (at: string) => formatInstant(at, i18n.language),
    },
    { title: t('oversight.cases.category'), dataIndex: 'category' },
    {
      title: t('oversight.cases.stage'),
      dataIndex: 'stage',
      render: (stage: string, row: AuditCaseRow) => `${value('stage', stage)} · ${t(`oversight.status.${row.status}`)}`,
    },
    { title: t('oversight.cases.unit'), dataIndex: 'leadUnitId', render: (unit: string | null) => unit ?? '—' },
    { title: t('oversight.cases.street'), dataIndex: 'streetId', render: (unit: string | null) => unit ?? '—' },
    {
      title: t('oversight.cases.escalation'),
      dataIndex: 'escalationLevel',
      render: (level: string) => value('escalationLevel', level),
    },
    {
      title: t('oversight.cases.supervision'),
      dataIndex: 'supervision',
      render: (level: string) => (level === 'none' ? '—' : <Tag color="volcano">{value('supervision', level)}</Tag>),
    },
    {
      title: t('oversight.cases.overdue'),
      dataIndex: 'overdue',
      render: (overdue: boolean, row: AuditCaseRow) =>
        overdue ? (
          <Tag color="red">{t('oversight.cases.overdueNow')}</Tag>
        ) : row.overdueDeadlines.length ? (
          t('oversight.cases.wasOverdue', {
            list: row.overdueDeadlines.map((kind) => t(`deadlines.${kind}`, { defaultValue: kind })).join('、'),
          })
        ) : (
          '—'
        ),
    },
    { title: t('oversight.cases.rulesVersion'), dataIndex: 'rulesVersion' },
  ];
}

/** 案件检索: every filter of the API's search, paged by cursor, and the lifecycle CSV of all matches. */
export function AuditCasesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search.toString());
  const columns = useCaseColumns();
  const [form] = Form.useForm();
  const query = useInfiniteQuery({
    queryKey: ['audit-cases', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => searchCases(filters, pageParam),
    getNextPageParam: (page) => page.nextCursor,
  });
  const exporting = useMutation({
    mutationFn: () => downloadFile(lifecycleCsvPath(filters), 'cases-lifecycle.csv'),
    onSuccess: () => void message.success(t('oversight.cases.exported')),
  });
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];

  const submit = (values: Record<string, unknown>) => {
    const day = (value: unknown, add = 0) =>
      value
        ? `${dayjs(value as dayjs.Dayjs)
            .add(add, 'day')
            .format('YYYY-MM-DD')}T00:00:00+08:00`
        : '';
    const next: CaseFilters = {
      from: day(values.from),
      to: day(values.to, 1),
      unitId: (values.unitId as string) ?? '',
      status: (values.status as string) ?? '',
      category: (values.category as string) ?? '',
      overdue: (values.overdue as string) ?? '',
      escalationLevel: (values.escalationLevel as string) ?? '',
      supervision: (values.supervision as string) ?? '',
      rulesVersion: (values.rulesVersion as string) ?? '',
    };
    setSearch(filterQueryString(next).slice(1));
  };
  const option = (list: string, values: string[], key = 'values') =>
    values.map((entry) => ({
      value: entry,
      label: key === 'values' ? t(`values.${list}.${entry}`) : t(`oversight.status.${entry}`),
    }));
  const initial = {
    ...filters,
    from: filters.from ? dayjs(filters.from.slice(0, 10)) : undefined,
    // `to` is exclusive (the day after the last day shown).
    to: filters.to ? dayjs(filters.to.slice(0, 10)).add(-1, 'day') : undefined,
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.cases.title')}</Typography.Title>
      <Card>
        <Form
          form={form}
          layout="vertical"
          initialValues={initial}
          key={search.toString()}
          onFinish={submit}
          aria-label={t('oversight.cases.filters')}
        >
          <Row gutter={16}>
            <Col span={4}>
              <Form.Item name="from" label={t('oversight.cases.from')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="to" label={t('oversight.cases.to')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="unitId" label={t('oversight.cases.unitFilter')}>
                <Input placeholder="s-hubin" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="status" label={t('oversight.cases.status')}>
                <Select allowClear options={option('status', STATUS, 'status')} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="category" label={t('oversight.cases.category')}>
                <Input placeholder="noise-nuisance" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="rulesVersion" label={t('oversight.cases.rulesVersion')}>
                <Input placeholder="beijing@1" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="overdue" label={t('oversight.cases.overdue')}>
                <Select
                  allowClear
                  options={[
                    { value: 'true', label: t('common.yes') },
                    { value: 'false', label: t('common.no') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="escalationLevel" label={t('oversight.cases.escalation')}>
                <Select allowClear options={option('escalationLevel', ESCALATION)} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="supervision" label={t('oversight.cases.supervision')}>
                <Select allowClear options={option('supervision', SUPERVISION)} />
              </Form.Item>
            </Col>
            <Col span={12} style={{ display: 'flex', alignItems: 'end', paddingBottom: 24 }}>
              <Space>
                <Button type="primary" htmlType="submit">
                  {t('oversight.cases.search')}
                </Button>
                <Button onClick={() => setSearch('')}>{t('oversight.cases.reset')}</Button>
                <Button onClick={() => exporting.mutate()} loading={exporting.isPending} data-testid="export-csv">
                  {t('oversight.cases.exportCsv')}
                </Button>
              </Space>
            </Col>
          </Row>
        </Form>
      </Card>
      {exporting.error && <ProblemAlert error={exporting.error} />}
      {query.error ? (
        <ProblemAlert error={query.error} />
      ) : (
        <Table<AuditCaseRow>
          rowKey="caseNo"
          size="small"
          loading={query.isPending}
          columns={columns}
          dataSource={rows}
          pagination={false}
          caption={t('oversight.cases.found', { count: rows.length, more: query.hasNextPage ? '+' : '' })}
          footer={() =>
            query.hasNextPage ? (
              <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
                {t('oversight.cases.more')}
              </Button>
            ) : null
          }
        />
      )}
    </Space>
  );
}

/** 案件全程: the case's timeline told as a story, its chain verified, its CSV. */
export function AuditCaseStoryPage() {
  const { caseNo = '' } = useParams();
  const { t, i18n } = useTranslation();
  const value = useValue();
  const timeline = useQuery({
    queryKey: ['audit-timeline', caseNo],
    queryFn: async () =>
      (await api.GET('/api/v1/audit/cases/{caseNo}/timeline', { params: { path: { caseNo } } }))
        .data as unknown as CaseTimeline,
  });
  const record = useQuery({
    queryKey: ['case', caseNo],
    queryFn: async () =>
      (await api.GET('/api/v1/cases/{caseNo}', { params: { path: { caseNo } } })).data as unknown as CaseResponse,
  });
  const verify = useMutation({
    mutationFn: async () =>
      (await api.GET('/api/v1/audit/verify', { params: { query: { caseNo } } })).data as unknown as AuditVerification,
  });
  const exporting = useMutation({
    mutationFn: () =>
      downloadFile(
        `/api/v1/audit/cases/${encodeURIComponent(caseNo)}/timeline?format=csv`,
        `case-${caseNo}-timeline.csv`,
      ),
  });
  if (timeline.error) return <ProblemAlert error={timeline.error} />;
  const data = timeline.data;
  const versions = versionsOfCase(record.data, data);
  const story = data ? storyOf(data, t) : [];
  const lang = i18n.language;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.story.title', { caseNo })}</Typography.Title>
      <Card>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('oversight.story.case')}>
            <Link to={`/cases/${caseNo}`}>{t('oversight.story.openCase')}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.cases.category')}>
            {record.data?.case?.category ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.cases.stage')}>
            {value('stage', record.data?.case?.stage)}
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.cases.rulesVersion')}>
            <span data-testid="rules-version">{versions.rules.join('、') || '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.story.calendar')}>
            <span data-testid="calendar-version">{versions.calendars.join('、') || '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.story.source')}>
            {data
              ? t(`oversight.story.sources.${data.historySource === 'temporal+audit-log' ? 'both' : 'auditOnly'}`)
              : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.story.workflows')} span={3}>
            <Space wrap>
              {data?.workflows.map((workflow) => (
                <a key={workflow.workflowId} href={workflow.temporalUiUrl} target="_blank" rel="noreferrer">
                  {workflow.workflowId}
                  {workflow.historyFound ? '' : ` (${t('oversight.story.noHistory')})`}
                </a>
              ))}
            </Space>
          </Descriptions.Item>
        </Descriptions>
        <Space style={{ marginTop: 12 }}>
          <Button type="primary" onClick={() => verify.mutate()} loading={verify.isPending} data-testid="verify-case">
            {t('oversight.story.verify')}
          </Button>
          <Button onClick={() => exporting.mutate()} loading={exporting.isPending}>
            {t('oversight.story.exportCsv')}
          </Button>
        </Space>
      </Card>
      {data?.note && <Alert type="warning" showIcon title={t('oversight.story.auditOnlyNote')} />}
      {verify.data && <VerificationResult result={verify.data} />}
      {(verify.error || exporting.error) && <ProblemAlert error={verify.error ?? exporting.error} />}
      <Card title={t('oversight.story.timeline', { count: story.length })} loading={timeline.isPending}>
        <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="story">
          {story.map((line) => (
            <li
              key={line.key}
              style={{
                borderLeft: `3px solid ${line.fromTemporal ? '#8c8c8c' : '#b3261e'}`,
                padding: '4px 12px',
                marginBottom: 8,
              }}
            >
              <Typography.Text strong>{formatInstant(line.time, lang)}</Typography.Text>{' '}
              <Typography.Text>{line.sentence}</Typography.Text>
              {line.change && (
                <div>
                  <Typography.Text type="secondary">{t('oversight.story.what')}</Typography.Text> {line.change}
                </div>
              )}
              {line.reason && (
                <div>
                  <Typography.Text type="secondary">{t('oversight.story.why')}</Typography.Text> {line.reason}
                </div>
              )}
              <Space size="small" wrap>
                {line.versions.map((version) => (
                  <Tag key={version}>{version}</Tag>
                ))}
                {line.event && data && (
                  <a
                    href={temporalEventLink(data, line.event)}
                    target="_blank"
                    rel="noreferrer"
                    data-testid="temporal-link"
                  >
                    {t('oversight.story.temporalEvent', {
                      id: line.event.eventId,
                      type: line.event.eventType ?? '',
                      workflow: line.event.workflowId,
                    })}
                  </a>
                )}
              </Space>
            </li>
          ))}
        </ol>
      </Card>
    </Space>
  );
}

/** The outcome of a verification: intact (rows checked, chain head), or the first broken entry and what broke. */
function VerificationResult({ result }: { result: AuditVerification }) {
  const { t } = useTranslation();
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        data-testid="verify-result"
        title={t('oversight.verify.ok', { count: result.checked })}
        description={
          result.head ? t('oversight.verify.head', { id: result.head.id, hash: result.head.hash }) : undefined
        }
      />
    );
  }
  const broken = result.firstBroken!;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="verify-result"
      title={t('oversight.verify.broken', { id: broken.id, count: result.checked })}
      description={
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('oversight.verify.entry')}>{broken.id}</Descriptions.Item>
          <Descriptions.Item label={t('oversight.verify.chain')}>
            {t(`oversight.verify.chains.${broken.chain}`)}
          </Descriptions.Item>
          {broken.caseNo && (
            <Descriptions.Item label={t('oversight.cases.caseNo')}>
              <CaseLink caseNo={broken.caseNo} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('oversight.verify.problem')}>
            {t(`oversight.verify.problems.${broken.problem}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.verify.expected')}>
            <Typography.Text code>{broken.expected}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('oversight.verify.found')}>
            <Typography.Text code>{broken.found}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      }
    />
  );
}

/** 日志校验与一致性: the whole audit log's chains, and the projection against Temporal's visibility. */
export function IntegrityPage() {
  const { t, i18n } = useTranslation();
  const verify = useMutation({
    mutationFn: async () => (await api.GET('/api/v1/audit/verify')).data as unknown as AuditVerification,
  });
  const consistency = useMutation({
    mutationFn: async () => (await api.GET('/api/v1/audit/consistency')).data as unknown as ConsistencyReport,
  });
  const report = consistency.data;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.integrity.title')}</Typography.Title>
      <Card title={t('oversight.integrity.logTitle')}>
        <Typography.Paragraph>{t('oversight.integrity.logHelp')}</Typography.Paragraph>
        <Button type="primary" onClick={() => verify.mutate()} loading={verify.isPending} data-testid="verify-log">
          {t('oversight.integrity.verify')}
        </Button>
      </Card>
      {verify.data && <VerificationResult result={verify.data} />}
      {verify.error && <ProblemAlert error={verify.error} />}
      <Card title={t('oversight.integrity.consistencyTitle')}>
        <Typography.Paragraph>{t('oversight.integrity.consistencyHelp')}</Typography.Paragraph>
        <Button onClick={() => consistency.mutate()} loading={consistency.isPending} data-testid="check-consistency">
          {t('oversight.integrity.check')}
        </Button>
      </Card>
      {consistency.error && <ProblemAlert error={consistency.error} />}
      {report && (
        <Card title={t('oversight.integrity.report')} data-testid="consistency-report">
          <Alert
            type={report.ok ? 'success' : 'warning'}
            showIcon
            title={
              report.ok
                ? t('oversight.integrity.consistent')
                : t('oversight.integrity.drift', { count: report.drift.length })
            }
            description={t('oversight.integrity.counts', {
              cases: report.checkedCases,
              workflows: report.checkedWorkflows,
              since: formatInstant(report.since, i18n.language),
              at: formatInstant(report.checkedAt, i18n.language),
            })}
          />
          {report.drift.length > 0 && (
            <Table
              size="small"
              rowKey={(row) => row.workflowId}
              pagination={false}
              dataSource={report.drift}
              columns={[
                {
                  title: t('oversight.cases.caseNo'),
                  dataIndex: 'caseNo',
                  render: (caseNo?: string) => (caseNo ? <CaseLink caseNo={caseNo} /> : '—'),
                },
                { title: t('oversight.integrity.workflow'), dataIndex: 'workflowId' },
                {
                  title: t('oversight.integrity.kind'),
                  dataIndex: 'kind',
                  render: (kind: string) => t(`oversight.integrity.kinds.${kind}`),
                },
                {
                  title: t('oversight.integrity.fields'),
                  dataIndex: 'fields',
                  render: (fields?: { field: string; projection: unknown; visibility: unknown }[]) =>
                    fields
                      ?.map((f) => `${f.field}: ${JSON.stringify(f.projection)} ≠ ${JSON.stringify(f.visibility)}`)
                      .join('; ') ?? '—',
                },
              ]}
            />
          )}
        </Card>
      )}
    </Space>
  );
}

/** 超期与督办一览: open cases overdue now, under supervision, or escalated, with counts. */
export function WatchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const columns = useCaseColumns();
  const open = useQuery({
    queryKey: ['audit-watch'],
    refetchInterval: 30_000,
    queryFn: () => searchCases({ status: 'open' }, undefined, 500),
  });
  if (open.error) return <ProblemAlert error={open.error} />;
  const rows = open.data?.items ?? [];
  const overdue = rows.filter((row) => row.overdue);
  const supervised = rows.filter((row) => row.supervision !== 'none');
  const escalated = rows.filter((row) => row.escalationLevel !== 'none');
  const stat = (title: string, count: number, filters: CaseFilters) => (
    <Col span={6}>
      <Card hoverable onClick={() => void navigate(`/oversight/cases${filterQueryString(filters)}`)}>
        <Statistic title={title} value={count} />
      </Card>
    </Col>
  );
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('oversight.watch.title')}</Typography.Title>
      <Row gutter={16}>
        {stat(t('oversight.watch.open'), rows.length, { status: 'open' })}
        {stat(t('oversight.watch.overdue'), overdue.length, { status: 'open', overdue: 'true' })}
        {stat(t('oversight.watch.supervised'), supervised.length, { status: 'open' })}
        {stat(t('oversight.watch.escalated'), escalated.length, { status: 'open' })}
      </Row>
      {open.data?.nextCursor && (
        <Alert type="info" showIcon title={t('oversight.watch.capped', { count: rows.length })} />
      )}
      <Card title={t('oversight.watch.overdueTitle')}>
        <Table<AuditCaseRow>
          rowKey="caseNo"
          size="small"
          loading={open.isPending}
          columns={columns}
          dataSource={overdue}
          pagination={{ pageSize: 10 }}
        />
      </Card>
      <Card title={t('oversight.watch.supervisedTitle')}>
        <Table<AuditCaseRow>
          rowKey="caseNo"
          size="small"
          loading={open.isPending}
          columns={columns}
          dataSource={[...supervised, ...escalated.filter((row) => row.supervision === 'none')]}
          pagination={{ pageSize: 10 }}
        />
      </Card>
    </Space>
  );
}
