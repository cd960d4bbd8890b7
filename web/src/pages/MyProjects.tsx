// 我的项目: the projects the signed-in agent (代办员) follows, reddest and oldest first, with each open
// stage's light and clock, the report cadence and when the next progress report is due.
import { Button, Card, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ClockText, Light } from '../components/Light';
import { date } from '../format';
import { byUrgency } from '../urgency';

export function MyProjects() {
  const { t } = useTranslation();
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      // An agent follows tens of projects: the server's largest page holds them all, so the order covers all.
      setProjects((await unwrap(api.GET('/api/projects', { params: { query: { agent: 'me', limit: 500 } } }))).projects);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const sorted = useMemo(() => (projects ? [...projects].sort(byUrgency) : []), [projects]);

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('mine.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      {error !== null && <ApiErrorAlert error={error} />}
      <Table<ProjectSummary>
        rowKey="id"
        loading={projects === null && error === null}
        dataSource={sorted}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('mine.empty') }}
        columns={[
          { title: t('list.name'), dataIndex: 'name', render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
          { title: t('list.stage'), dataIndex: 'stage', render: (v: ProjectSummary['stage']) => t(`stage.${v}`) },
          { title: t('list.status'), dataIndex: 'status', render: (v: ProjectSummary['status']) => t(`stageStatus.${v}`) },
          { title: t('list.locality'), dataIndex: 'locality', render: (v: ProjectSummary['locality']) => t(`locality.${v}`) },
          { title: t('list.clock'), key: 'light', render: (_, p) => <Light clock={p.clock} /> },
          { title: t('mine.timeLimit'), key: 'clock', render: (_, p) => <ClockText clock={p.clock} /> },
          { title: t('mine.cadence'), dataIndex: 'cadence', render: (v: ProjectSummary['cadence']) => t(`cadence.${v}`) },
          { title: t('mine.nextReport'), dataIndex: 'nextReportAt', render: (v: string | null) => date(v) },
        ]}
      />
    </Card>
  );
}
