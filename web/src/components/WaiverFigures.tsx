// 费用减免统计 on the leader's dashboard: waivers granted in the period and their assessed and waived
// amounts by category and locality (GET /api/waivers/stats) — the figure a district reports upward.
import { Card, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { ApiErrorAlert } from './ApiErrorAlert';
import { yuan } from './WaiversPanel';

type Figures = Schemas['FeeWaiverStatistics'];
type Row = Figures['rows'][number];

export function WaiverFigures({ from, to, locality, category, refreshed }: { from: Dayjs; to: Dayjs; locality?: string | undefined; category?: string | undefined; refreshed: number }) {
  const { t } = useTranslation();
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [start, end] = [from.format('YYYY-MM-DD'), to.format('YYYY-MM-DD')];
  useEffect(() => {
    let current = true;
    setError(null);
    unwrap(api.GET('/api/waivers/stats', { params: { query: { from: start, to: end } } }))
      .then((answer) => current && setFigures(answer))
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [start, end, refreshed]);

  // The dashboard's locality and category filters narrow the rows; the total is of the rows shown.
  const rows = (figures?.rows ?? []).filter((r) => (!locality || r.locality === locality) && (!category || r.category === category));
  const sum = (key: 'granted' | 'assessed' | 'assessedAmount' | 'waivedAmount' | 'rateMissing') => rows.reduce((n, r) => n + r[key], 0);
  return (
    <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('waivers.figures')}</Typography.Title>}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('waivers.figuresHint', { from: start, to: end })}</Typography.Text>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<Row>
          aria-label={t('waivers.figures')}
          rowKey={(r) => `${r.category}/${r.locality}`}
          size="small"
          loading={figures === null && error === null}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('waivers.noFigures') }}
          columns={[
            { className: 'nowrap', title: t('list.category'), dataIndex: 'category', render: (v: string) => t(`category.${v}`) },
            { className: 'nowrap', title: t('list.locality'), dataIndex: 'locality', render: (v: string) => t(`locality.${v}`) },
            { title: t('waivers.granted'), dataIndex: 'granted' },
            { title: t('waivers.assessedCount'), dataIndex: 'assessed' },
            { title: t('waivers.assessed'), dataIndex: 'assessedAmount', render: (v: number) => yuan(v) },
            { title: t('waivers.waived'), dataIndex: 'waivedAmount', render: (v: number) => yuan(v) },
            { title: t('waivers.rateMissing'), dataIndex: 'rateMissing' },
          ]}
          summary={() =>
            rows.length > 0 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={2}>{t('waivers.total')}</Table.Summary.Cell>
                <Table.Summary.Cell index={2}>{sum('granted')}</Table.Summary.Cell>
                <Table.Summary.Cell index={3}>{sum('assessed')}</Table.Summary.Cell>
                <Table.Summary.Cell index={4}>{yuan(sum('assessedAmount'))}</Table.Summary.Cell>
                <Table.Summary.Cell index={5}>{yuan(sum('waivedAmount'))}</Table.Summary.Cell>
                <Table.Summary.Cell index={6}>{sum('rateMissing')}</Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </Space>
    </Card>
  );
}
