// 我的项目: the projects the signed-in agent (代办员) follows, reddest and oldest first, with each open
// stage's light and clock, the report cadence and when the next progress report is due, and a way to the
// project's reports, cadence switch and hand-over; below, the red-light forecast of its projects.
import { Button, Card, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable } from '../components/ClearIcon';
import { Link } from 'react-router';
import { api, unwrap, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ForecastCard } from '../components/ForecastCard';
import { summaryColumns, timeLimitColumn } from '../components/summaryColumns';
import { date } from '../format';
import { byUrgency } from '../urgency';

export function MyProjects() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState<string | undefined>(undefined);

  const load = useCallback(async () => {
    setError(null);
    try {
      // An agent follows tens of projects: the server's largest page holds them all, so the order covers all.
      setProjects((await unwrap(api.GET('/api/projects', { params: { query: { agent: 'me', limit: 500, ...(name && { name }) } } }))).projects);
    } catch (err) {
      setError(err);
    }
  }, [name]);
  useEffect(() => {
    void load();
  }, [load]);
  const sorted = useMemo(() => (projects ? [...projects].sort(byUrgency) : []), [projects]);
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
        <Input.Search
          allowClear={clearable}
          aria-label={t('list.search')}
          placeholder={t('list.search')}
          style={{ width: 240, marginBottom: 16 }}
          onSearch={(text) => setName(text.trim() || undefined)}
        />
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<ProjectSummary>
          rowKey="id"
          loading={projects === null && error === null}
          dataSource={sorted}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
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
      </Card>
      <ForecastCard refreshed={refreshed} />
    </Space>
  );
}
