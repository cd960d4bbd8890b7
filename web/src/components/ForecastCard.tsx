// 红灯预测: the open stages likely to exceed their limit (GET /api/forecast), soonest red first — the party
// holding each up, when its sign-off is expected, when the light turns red and how likely. The leader's
// dashboard shows every project's (of the locality chosen); an agent's 我的项目 its own (the server scopes).
import { Card, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas, type Stage } from '../api/client';
import { LOCALITIES } from '../codes';
import { ApiErrorAlert } from './ApiErrorAlert';

type Forecast = Schemas['ForecastEntry'];

export function ForecastCard({ locality, refreshed = 0 }: { locality?: (typeof LOCALITIES)[number] | undefined; refreshed?: number }) {
  const { t } = useTranslation();
  const [forecasts, setForecasts] = useState<Forecast[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    unwrap(api.GET('/api/forecast', { params: { query: { limit: 20, ...(locality && { locality }) } } }))
      .then((answer) => current && setForecasts(answer.forecasts))
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [locality, refreshed]);

  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('forecast.title')}</Typography.Title>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('forecast.hint')}</Typography.Text>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<Forecast>
          aria-label={t('forecast.title')}
          rowKey={(f) => `${f.projectId}/${f.stage}/${f.attempt}`}
          size="small"
          loading={forecasts === null && error === null}
          dataSource={forecasts ?? []}
          pagination={false}
          locale={{ emptyText: t('forecast.empty') }}
          columns={[
            { title: t('dashboard.project'), dataIndex: 'projectName', minWidth: 160, render: (name: string, f) => <Link to={`/projects/${f.projectId}`}>{name}</Link> },
            { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: Stage) => t(`stage.${v}`) },
            { title: t('forecast.holding'), dataIndex: 'holdingParty', render: (v: Forecast['holdingParty']) => t(`party.${v}`) },
            { className: 'nowrap', title: t('forecast.used'), key: 'used', render: (_, f) => `${f.usedDays} / ${f.limitDays}` },
            { className: 'nowrap', title: t('forecast.expectedOn'), dataIndex: 'expectedOn' },
            { className: 'nowrap', title: t('forecast.redOn'), dataIndex: 'redOn' },
            { title: t('forecast.probability'), dataIndex: 'pExceeds', render: (v: number) => `${Math.round(v * 100)} %` },
          ]}
        />
      </Space>
    </Card>
  );
}
