// 我的项目: the projects the signed-in agent (代办员) follows, reddest and oldest first (the server's
// order=urgency, so that the order holds across pages), a page at a time, with each open
// stage's light and clock, the report cadence and when the next progress report is due, and a way to the
// project's reports, cadence switch and hand-over; below, the red-light forecast of its projects.
import { Button, Card, Input, Space, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { Link } from 'react-router';
import { api, unwrap, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CursorPager } from '../components/CursorPager';
import { ForecastCard } from '../components/ForecastCard';
import { summaryColumns, timeLimitColumn } from '../components/summaryColumns';
import { date } from '../format';
import { useCursorList } from '../use-cursor-list';
import { WORKLIST_PAGE } from './Worklist';

export function MyProjects() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const [name, setName] = useState<string | undefined>(undefined);

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/projects', { params: { query: { agent: 'me', order: 'urgency', limit: WORKLIST_PAGE, ...(name && { name }), ...(cursor && { cursor }) } } })),
    [name],
  );
  const list = useCursorList(fetchPage);
  const { page, error, loading, reload: load, first } = list;
  const projects = page?.projects ?? [];
  const [refreshed, setRefreshed] = useState(0);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={<Typography.Title level={3} style={{ margin: 0 }}>{t('mine.title')}</Typography.Title>}
        extra={<Button onClick={() => {
              void load();
              setRefreshed((n) => n + 1);
            }}>{t('common.refresh')}</Button>}
      >
        <Input.Search enterButton={searchButton}
          allowClear={clearable}
          aria-label={t('list.search')}
          placeholder={t('list.search')}
          style={{ width: 240, marginBottom: 16 }}
          onSearch={(text) => {
            setName(text.trim() || undefined);
            first();
          }}
        />
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<ProjectSummary>
          rowKey="id"
          loading={loading}
          dataSource={projects}
          pagination={false}
          locale={{ emptyText: t('mine.empty') }}
          columns={[
            ...summaryColumns(t),
            timeLimitColumn(t),
            { className: 'nowrap', title: t('mine.cadence'), dataIndex: 'cadence', render: (v: ProjectSummary['cadence']) => t(`cadence.${v}`) },
            { className: 'nowrap', title: t('mine.nextReport'), dataIndex: 'nextReportAt', render: (v: string | null) => date(v) },
            {
              title: t('desk.actions'),
              key: 'reports',
              // The project's reports, cadence and hand-over (the project page's agent tab).
              render: (_, p) => <Link to={`/projects/${p.id}?tab=reports`}>{t('desk.agent.reportsLink')}</Link>,
            },
          ]}
        />
        <div style={{ marginTop: 16 }}>
          <CursorPager list={list} shown={projects.length} pageSize={WORKLIST_PAGE} />
        </div>
      </Card>
      <ForecastCard refreshed={refreshed} />
    </Space>
  );
}
