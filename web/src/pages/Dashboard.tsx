// 领导驾驶舱: what a leader looks at first — per stage, the stages decided in a period next to their time
// limits (GET /api/stats), the same by locality, the projects whose open stage is red or yellow today
// (GET /api/projects?light=), and the sign-offs escalated up the liaison ladder across projects
// (GET /api/escalations), and the red-light forecast (GET /api/forecast). Loaded lazily (App.tsx): ECharts travels in this page's chunk only.
import { Alert, Button, Card, Col, DatePicker, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DEFAULT_POLICY } from '../../../domain/policy';
import { api, unwrap, type ProjectSummary, type Schemas, type Stage } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { Chart } from '../components/Chart';
import { ForecastCard } from '../components/ForecastCard';
import { ClockText } from '../components/Light';
import { CATEGORIES, LOCALITIES, STAGES } from '../codes';
import { date } from '../format';
import { byUrgency } from '../urgency';
import { figuresChartOption, readStats, type StageFigures, type Stats } from './dashboard-stats';
import { WaiverFigures } from '../components/WaiverFigures';
import { useCursorList } from '../use-cursor-list';

type Locality = (typeof LOCALITIES)[number];
type Category = (typeof CATEGORIES)[number];
type Escalation = Schemas['EscalationEntry'];

interface Filters {
  from: Dayjs;
  to: Dayjs;
  locality?: Locality;
  category?: Category;
}

const AXIS_TEXT = 'rgba(0, 0, 0, 0.75)';
const COLOURS = { average: '#1f5fbf', median: '#6f9fe0', limit: '#c41d1d' };
const TIER_COLOURS = { liaison: 'blue', deputy: 'orange', main: 'red' } as const;

/** The time limit shown beside a stage's figures: the one the statistics name, else the default policy's. */
const limitOf = (figures: StageFigures | undefined, stage: Stage): number => figures?.limitDays ?? DEFAULT_POLICY.stageLimitDays[stage];
const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));

export function Dashboard() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>(() => ({ from: dayjs().startOf('year'), to: dayjs().endOf('year') }));
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const [refreshed, setRefreshed] = useState(0);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={<Typography.Title level={3} style={{ margin: 0 }}>{t('dashboard.title')}</Typography.Title>}
        extra={<Button onClick={() => setRefreshed((n) => n + 1)}>{t('common.refresh')}</Button>}
      >
        <Space wrap size="middle" role="group" aria-label={t('dashboard.period')}>
          <Space>
            <label htmlFor="dashboard-from">{t('dashboard.from')}</label>
            <DatePicker id="dashboard-from" allowClear={false} value={filters.from} onChange={(d: Dayjs | null) => d && set('from', d)} disabledDate={(d) => d.isAfter(filters.to, 'day')} />
          </Space>
          <Space>
            <label htmlFor="dashboard-to">{t('dashboard.to')}</label>
            <DatePicker id="dashboard-to" allowClear={false} value={filters.to} onChange={(d: Dayjs | null) => d && set('to', d)} disabledDate={(d) => d.isBefore(filters.from, 'day')} />
          </Space>
          <Select<Locality>
            allowClear
            aria-label={t('list.filterLocality')}
            placeholder={t('dashboard.allLocalities')}
            style={{ minWidth: 160 }}
            value={filters.locality}
            onChange={(v) => set('locality', v)}
            options={LOCALITIES.map((v) => ({ value: v, label: t(`locality.${v}`) }))}
          />
          <Select<Category>
            allowClear
            aria-label={t('list.category')}
            placeholder={t('dashboard.allCategories')}
            style={{ minWidth: 200 }}
            value={filters.category}
            onChange={(v) => set('category', v)}
            options={CATEGORIES.map((v) => ({ value: v, label: t(`category.${v}`) }))}
          />
        </Space>
      </Card>
      <StageStatistics filters={filters} refreshed={refreshed} />
      <Row gutter={[16, 16]}>
        {/* Side by side from 1600 px only: at 1366 px the English lists' five columns ran past the page. */}
        <Col xs={24} xxl={12}>
          <LightList light="red" filters={filters} refreshed={refreshed} />
        </Col>
        <Col xs={24} xxl={12}>
          <LightList light="yellow" filters={filters} refreshed={refreshed} />
        </Col>
      </Row>
      <ForecastCard locality={filters.locality} refreshed={refreshed} />
      <Escalations filters={filters} refreshed={refreshed} />
      <WaiverFigures {...filters} refreshed={refreshed} />
    </Space>
  );
}

function StageStatistics({ filters, refreshed }: { filters: Filters; refreshed: number }) {
  const { t } = useTranslation();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [stage, setStage] = useState<Stage>('design');
  const from = filters.from.format('YYYY-MM-DD');
  const to = filters.to.format('YYYY-MM-DD');
  const { locality, category } = filters;

  useEffect(() => {
    let current = true;
    setError(null);
    unwrap(api.GET('/api/stats', { params: { query: { from, to, ...(locality && { locality }), ...(category && { category }) } } }))
      .then((data) => current && setStats(readStats(data)))
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [from, to, locality, category, refreshed]);

  const stageRows = useMemo(() => STAGES.map((s) => stats?.stages.find((f) => f.stage === s) ?? empty(s)), [stats]);
  // Every locality, those with nothing decided too (a leader asks why there are none).
  const localityRows = useMemo(
    () =>
      (locality ? [locality] : LOCALITIES).map((l) => {
        const figures = stats?.byLocality.find((b) => b.locality === l)?.stages.find((f) => f.stage === stage);
        return { locality: l, ...(figures ?? empty(stage)) };
      }),
    [stats, stage, locality],
  );

  const figureColumns = (limitFor: (row: StageFigures) => number) => [
    { title: t('dashboard.limit'), key: 'limit', render: (_: unknown, row: StageFigures) => limitFor(row) },
    { title: t('dashboard.decided'), dataIndex: 'decided' },
    { title: t('dashboard.average'), dataIndex: 'averageWorkingDays', render: fmt },
    { title: t('dashboard.median'), dataIndex: 'medianWorkingDays', render: fmt },
    { title: t('dashboard.exceeded'), dataIndex: 'exceeded', render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n) },
  ];

  const chartText = (categories: string[]) => ({
    categories,
    average: t('dashboard.average'),
    median: t('dashboard.median'),
    limit: t('dashboard.limitSeries'),
    workingDays: t('dashboard.workingDays'),
    axisText: AXIS_TEXT,
    colours: COLOURS,
  });
  const stageOption = useMemo(
    () =>
      figuresChartOption(
        chartText(stageRows.map((r) => t(`stage.${r.stage}`))),
        { average: stageRows.map((r) => r.averageWorkingDays), median: stageRows.map((r) => r.medianWorkingDays), limit: stageRows.map((r) => limitOf(r, r.stage)) },
        { bottom: 44 },
      ),
    [stageRows, t],
  );
  const localityOption = useMemo(
    () =>
      figuresChartOption(
        { ...chartText(localityRows.map((r) => t(`locality.${r.locality}`))), median: undefined },
        { average: localityRows.map((r) => r.averageWorkingDays), limit: localityRows.map((r) => limitOf(r, stage)) },
        { bottom: 56, rotate: 30 },
      ),
    [localityRows, stage, t],
  );

  // One above the other until the window is wide (xxl, 1600 px): side by side at 1366 px, the stage
  // selector's four English names and the figures' six columns ran past the card and the page.
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xxl={12}>
        <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('dashboard.byStage')}</Typography.Title>}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">{t('dashboard.byStageHint', { from, to })}</Typography.Text>
            {error !== null && <ApiErrorAlert error={error} />}
            <Chart title={t('dashboard.chartStages')} description={`${t('dashboard.byStageHint', { from, to })} ${t('dashboard.chartDescription')}`} option={stageOption} />
            <Table
              aria-label={t('dashboard.byStage')}
              rowKey="stage"
              size="small"
              loading={stats === null && error === null}
              dataSource={stageRows}
              pagination={false}
              columns={[{ className: 'nowrap', title: t('dashboard.stage'), dataIndex: 'stage', render: (s: Stage) => t(`stage.${s}`) }, ...figureColumns((r) => limitOf(r, r.stage))]}
            />
            <Typography.Text type="secondary">{t('dashboard.limitNote')}</Typography.Text>
          </Space>
        </Card>
      </Col>
      <Col xs={24} xxl={12}>
        <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('dashboard.byLocality')}</Typography.Title>}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {/* In the body, not the card's header: four stage names in English would crowd out its title. */}
            <Segmented<Stage>
              aria-label={t('dashboard.stageOfLocality')}
              value={stage}
              onChange={setStage}
              options={STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))}
            />
            <Chart title={t('dashboard.chartLocalities', { stage: t(`stage.${stage}`) })} description={t('dashboard.chartDescription')} option={localityOption} />
            <Table
              aria-label={t('dashboard.byLocality')}
              rowKey="locality"
              size="small"
              loading={stats === null && error === null}
              dataSource={localityRows}
              pagination={false}
              columns={[{ className: 'nowrap', title: t('dashboard.locality'), dataIndex: 'locality', render: (l: Locality) => t(`locality.${l}`) }, ...figureColumns((r) => limitOf(r, stage))]}
            />
          </Space>
        </Card>
      </Col>
    </Row>
  );
}

const empty = (stage: Stage): StageFigures => ({ stage, decided: 0, averageWorkingDays: null, medianWorkingDays: null, exceeded: 0 });

/** The server's largest page; more red projects than this at once is a matter for the filters. */
const LIGHT_PAGE = 500;

/** Open projects whose current stage shows `light` today, reddest and oldest first. */
function LightList({ light, filters, refreshed }: { light: 'red' | 'yellow'; filters: Filters; refreshed: number }) {
  const { t } = useTranslation();
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { locality, category } = filters;

  const load = useCallback(async () => {
    setError(null);
    try {
      // Open means a stage under review or paused for a correction: a decided stage keeps its last light.
      const pages = await Promise.all(
        (['under-review', 'correction'] as const).map((status) =>
          unwrap(api.GET('/api/projects', { params: { query: { light, status, limit: LIGHT_PAGE, ...(locality && { locality }), ...(category && { category }) } } })),
        ),
      );
      setProjects(pages.flatMap((p) => p.projects).sort(byUrgency));
      setTruncated(pages.some((p) => p.nextCursor !== undefined));
    } catch (err) {
      setError(err);
    }
  }, [light, locality, category]);
  useEffect(() => {
    void load();
  }, [load, refreshed]);

  const title = t(light === 'red' ? 'dashboard.redList' : 'dashboard.yellowList');
  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{title}</Typography.Title>} extra={projects && <Tag color={light === 'red' ? 'error' : 'warning'}>{projects.length}</Tag>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('dashboard.listHint')}</Typography.Text>
        {error !== null && <ApiErrorAlert error={error} />}
        {truncated && <Alert type="warning" showIcon title={t('dashboard.truncated', { count: LIGHT_PAGE })} />}
        <Table<ProjectSummary>
          aria-label={title}
          rowKey="id"
          size="small"
          loading={projects === null && error === null}
          dataSource={projects ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: t(light === 'red' ? 'dashboard.noRed' : 'dashboard.noYellow') }}
          columns={[
            { title: t('list.name'), dataIndex: 'name', render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
            { className: 'nowrap', title: t('list.locality'), dataIndex: 'locality', render: (v: Locality) => t(`locality.${v}`) },
            { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: Stage) => t(`stage.${v}`) },
            { title: t('dashboard.clock'), key: 'clock', render: (_, p) => <ClockText clock={p.clock} /> },
            { className: 'nowrap', title: t('dashboard.accepted'), key: 'accepted', render: (_, p) => date(p.clock?.acceptedOn) },
          ]}
        />
      </Space>
    </Card>
  );
}

const ESCALATION_PAGE = 20;

function Escalations({ filters, refreshed }: { filters: Filters; refreshed: number }) {
  const { t } = useTranslation();
  const { locality, category } = filters;
  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/escalations', { params: { query: { limit: ESCALATION_PAGE, ...(locality && { locality }), ...(category && { category }), ...(cursor && { cursor }) } } })),
    // refreshed: the dashboard's 刷新; a new fetchPage reads the page shown again.
    [locality, category, refreshed],
  );
  const { page, error, pageNumber, first, next } = useCursorList(fetchPage);
  useEffect(first, [locality, category, first]);

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('dashboard.escalations')}</Typography.Title>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('dashboard.escalationsHint')}</Typography.Text>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<Escalation>
          aria-label={t('dashboard.escalations')}
          rowKey={(e) => `${e.projectId}/${e.stage}/${e.attempt}/${e.party}`}
          size="small"
          loading={page === null && error === null}
          dataSource={page?.escalations ?? []}
          pagination={false}
          locale={{ emptyText: t('dashboard.noEscalations') }}
          columns={[
            { title: t('dashboard.project'), dataIndex: 'projectName', minWidth: 160, render: (name: string, e) => <Link to={`/projects/${e.projectId}`}>{name}</Link> },
            { className: 'nowrap', title: t('list.locality'), dataIndex: 'locality', render: (v: Locality) => t(`locality.${v}`) },
            { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: Stage) => t(`stage.${v}`) },
            { title: t('dashboard.holder'), dataIndex: 'party', render: (v: Escalation['party']) => t(`party.${v}`) },
            { className: 'nowrap', title: t('dashboard.tier'), dataIndex: 'tier', render: (v: Escalation['tier']) => <Tag color={TIER_COLOURS[v]}>{t(`tier.${v}`)}</Tag> },
            { title: t('dashboard.pendingDays'), key: 'pendingDays', render: (_, e) => fmt(e.pendingDays ?? e.pendingDaysAtEscalation) },
            { className: 'nowrap', title: t('dashboard.since'), dataIndex: 'since', render: (v: string) => date(v) },
            { title: t('dashboard.notified'), dataIndex: 'notified', render: (v: string[]) => (v.length ? v.map((n) => n.replace(/\s*<[^>]*>$/, '')).join(t('separator.list')) : '—') },
            {
              title: t('dashboard.takenBy'),
              dataIndex: 'acknowledgements',
              render: (v: Escalation['acknowledgements']) => (v.length ? v.map((a) => a.by.name ?? a.by.id).join(t('separator.list')) : <Typography.Text type="secondary">{t('dashboard.notTaken')}</Typography.Text>),
            },
          ]}
        />
        <Space>
          <Button disabled={pageNumber === 1} onClick={first}>
            {t('common.first')}
          </Button>
          <Button disabled={!page?.nextCursor} onClick={next}>
            {t('common.next')}
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
