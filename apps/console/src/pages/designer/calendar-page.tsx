import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { describeProblem } from '../../lib/errors';
import { formatInstant } from '../../lib/time';
import { daysOfMonth, dayKind, type DayKind } from './calendar-model';

type CalendarView = Schemas['CalendarView'];
type YearView = Schemas['CalendarYearView'];
type DeadlineView = Schemas['DeadlineView'];

const KIND_STYLE: Record<DayKind, { background: string; color: string }> = {
  working: { background: '#ffffff', color: '#1f1f1f' },
  weekend: { background: '#ece8e4', color: '#4a4a4a' },
  holiday: { background: '#b3261e', color: '#ffffff' },
  makeup: { background: '#0b57d0', color: '#ffffff' },
  localOff: { background: '#7a3b00', color: '#ffffff' },
  localOn: { background: '#1b6b2f', color: '#ffffff' },
};

/** Now in Beijing time, to the minute, as the deadline question's default start. */
function beijingNow(): string {
  const local = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
  return `${local}+08:00`;
}

/**
 * The working-day calendar: a year as twelve months with holidays, make-up days and local days marked; local days
 * added or removed with a reason (each a new version); and the deadline a duration gives from an instant, live.
 */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const [error, setError] = useState<unknown>(null);
  const [day, setDay] = useState({ date: '', working: false, name: '', reason: '' });
  const [removeReason, setRemoveReason] = useState('');
  const [question, setQuestion] = useState({ from: beijingNow(), duration: '5WD' });
  const [answer, setAnswer] = useState<DeadlineView | null>(null);
  const [answerError, setAnswerError] = useState<unknown>(null);

  const current = useQuery({
    queryKey: ['calendar', 'current'],
    queryFn: async () => (await api.GET('/api/v1/calendars/current')).data as CalendarView,
  });
  const days = useQuery({
    queryKey: ['calendar', 'year', year, current.data?.version],
    enabled: !!current.data,
    queryFn: async () =>
      (await api.GET('/api/v1/calendars/current/years/{year}/days', { params: { path: { year: String(year) } } }))
        .data as YearView,
  });

  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        setAnswer(
          (await api.GET('/api/v1/calendars/current/deadline', { params: { query: question } })).data as DeadlineView,
        );
        setAnswerError(null);
      } catch (caught) {
        setAnswer(null);
        setAnswerError(caught);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [question, current.data?.version]);

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['calendar'] });
  const addDay = async () => {
    setError(null);
    try {
      await api.POST('/api/v1/calendars/current/days', { body: day });
      setDay({ date: '', working: false, name: '', reason: '' });
      refresh();
    } catch (caught) {
      setError(caught);
    }
  };
  const removeDay = async (date: string) => {
    setError(null);
    try {
      await api.DELETE('/api/v1/calendars/current/days/{date}', {
        params: { path: { date }, query: { reason: removeReason } },
      });
      refresh();
    } catch (caught) {
      setError(caught);
    }
  };

  const overrides = new Map((days.data?.days ?? []).map((entry) => [entry.date, entry]));
  const weekend = days.data?.weekend ?? [6, 7];
  const problem = error ? describeProblem(t, error) : null;
  const answerProblem = answerError ? describeProblem(t, answerError) : null;
  const weekdays = t('designer.calendar.weekdays').split(',');

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('designer.calendar.title')}
      </Typography.Title>
      {current.data && (
        <Typography.Text type="secondary">
          {t('designer.calendar.version', {
            id: current.data.id,
            version: current.data.version,
            from: current.data.coversFrom,
            to: current.data.coversTo,
          })}
        </Typography.Text>
      )}
      <Space wrap>
        <Form layout="inline" component="div">
          <Form.Item label={t('designer.calendar.year')} htmlFor="calendar-year">
            <InputNumber
              id="calendar-year"
              min={2000}
              max={2100}
              value={year}
              onChange={(value) => value && setYear(value)}
            />
          </Form.Item>
        </Form>
        {(['holiday', 'makeup', 'localOff', 'localOn', 'weekend'] as const).map((kind) => (
          <Tag key={kind} style={{ background: KIND_STYLE[kind].background, color: KIND_STYLE[kind].color }}>
            {t(`designer.calendar.kind.${kind}`)}
          </Tag>
        ))}
      </Space>
      <Row gutter={[16, 16]} data-testid="calendar-year">
        {Array.from({ length: 12 }, (_, month) => (
          <Col key={month} xs={24} sm={12} lg={8} xl={6}>
            <Card size="small" title={t('designer.calendar.month', { year, month: month + 1 })}>
              <table style={{ width: '100%', borderCollapse: 'collapse', textAlign: 'center', fontSize: 12 }}>
                <thead>
                  <tr>
                    {weekdays.map((name) => (
                      <th key={name} scope="col" style={{ fontWeight: 500 }}>
                        {name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {daysOfMonth(year, month).map((week, index) => (
                    <tr key={index}>
                      {week.map((date, column) => {
                        if (!date) return <td key={column} />;
                        const override = overrides.get(date);
                        const kind = dayKind(date, weekend, override);
                        return (
                          <td
                            key={date}
                            title={
                              override
                                ? `${override.name} (${t(`designer.calendar.source.${override.source}`)})`
                                : undefined
                            }
                            data-date={date}
                            data-kind={kind}
                            style={{ ...KIND_STYLE[kind], borderRadius: 4, padding: '2px 0' }}
                          >
                            {Number(date.slice(8))}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('designer.calendar.deadline')}>
            <Form layout="vertical" component="div">
              <Form.Item label={t('designer.calendar.from')} htmlFor="deadline-from">
                <Input
                  id="deadline-from"
                  value={question.from}
                  onChange={(event) => setQuestion({ ...question, from: event.target.value })}
                />
              </Form.Item>
              <Form.Item label={t('designer.calendar.duration')} htmlFor="deadline-duration">
                <Input
                  id="deadline-duration"
                  value={question.duration}
                  onChange={(event) => setQuestion({ ...question, duration: event.target.value })}
                />
              </Form.Item>
            </Form>
            {answer && (
              <Alert
                type="info"
                showIcon
                data-testid="deadline-answer"
                message={t('designer.calendar.due', { due: formatInstant(answer.due, i18n.language) })}
                description={
                  answer.appliedDays.length
                    ? t('designer.calendar.applied', { days: answer.appliedDays.join(', ') })
                    : undefined
                }
              />
            )}
            {answerProblem && (
              <Alert
                type="warning"
                showIcon
                message={answerProblem.title}
                description={answerProblem.lines.join('; ')}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('designer.calendar.local')}>
            {problem && (
              <Alert
                type="error"
                showIcon
                role="alert"
                style={{ marginBottom: 12 }}
                message={problem.title}
                description={problem.lines.map((line) => (
                  <div key={line}>{line}</div>
                ))}
              />
            )}
            <Form layout="vertical" component="div">
              <Space wrap>
                <Form.Item label={t('designer.calendar.date')} htmlFor="local-date">
                  <Input
                    id="local-date"
                    placeholder="2026-12-24"
                    value={day.date}
                    onChange={(event) => setDay({ ...day, date: event.target.value })}
                  />
                </Form.Item>
                <Form.Item label={t('designer.calendar.kindLabel')} htmlFor="local-working">
                  <Select
                    id="local-working"
                    style={{ minWidth: 160 }}
                    value={day.working}
                    onChange={(working) => setDay({ ...day, working })}
                    options={[
                      { value: false, label: t('designer.calendar.kind.localOff') },
                      { value: true, label: t('designer.calendar.kind.localOn') },
                    ]}
                  />
                </Form.Item>
                <Form.Item label={t('designer.calendar.name')} htmlFor="local-name">
                  <Input
                    id="local-name"
                    value={day.name}
                    onChange={(event) => setDay({ ...day, name: event.target.value })}
                  />
                </Form.Item>
              </Space>
              <Form.Item label={t('designer.calendar.reason')} htmlFor="local-reason">
                <Input
                  id="local-reason"
                  value={day.reason}
                  onChange={(event) => setDay({ ...day, reason: event.target.value })}
                />
              </Form.Item>
              <Button type="primary" onClick={() => void addDay()} disabled={!day.date || !day.name || !day.reason}>
                {t('designer.calendar.add')}
              </Button>
            </Form>
            <Table
              style={{ marginTop: 16 }}
              size="small"
              rowKey="date"
              dataSource={current.data?.localDays ?? []}
              pagination={false}
              locale={{
                emptyText: <Typography.Text type="secondary">{t('designer.calendar.noLocal')}</Typography.Text>,
              }}
              columns={[
                { title: t('designer.calendar.date'), dataIndex: 'date' },
                {
                  title: t('designer.calendar.kindLabel'),
                  dataIndex: 'working',
                  render: (working: boolean) => t(`designer.calendar.kind.${working ? 'localOn' : 'localOff'}`),
                },
                { title: t('designer.calendar.name'), dataIndex: 'name' },
                {
                  title: '',
                  key: 'remove',
                  render: (_, row) => (
                    <Popconfirm
                      title={
                        <Input
                          aria-label={t('designer.calendar.reason')}
                          placeholder={t('designer.calendar.reason')}
                          value={removeReason}
                          onChange={(event) => setRemoveReason(event.target.value)}
                        />
                      }
                      okButtonProps={{ disabled: !removeReason.trim() }}
                      onConfirm={() => void removeDay(row.date)}
                    >
                      <Button size="small">{t('designer.calendar.remove')}</Button>
                    </Popconfirm>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
