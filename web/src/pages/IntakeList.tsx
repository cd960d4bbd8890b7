// The project list (the window's intake list; everyone's project list): newest first from the record,
// filtered by stage, status, locality and light on the server, a page at a time.
import { Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { Link, useLocation } from 'react-router';
import { api, unwrap, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ClockText, Light } from '../components/Light';
import { LIGHTS, LIST_STATUSES, LOCALITIES, STAGES } from '../codes';
import { dateTime } from '../format';
import { useCursorList } from '../use-cursor-list';

type Filters = {
  name?: string;
  stage?: (typeof STAGES)[number];
  status?: (typeof LIST_STATUSES)[number];
  locality?: (typeof LOCALITIES)[number];
  light?: (typeof LIGHTS)[number];
};
const PAGE = 20;

export function IntakeList() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const intake = useLocation().pathname === '/intake';
  const [filters, setFilters] = useState<Filters>({});

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback((cursor: string | undefined) => unwrap(api.GET('/api/projects', { params: { query: { ...filters, limit: PAGE, ...(cursor && { cursor }) } } })), [filters]);
  const { page, error, loading, reload: load, pageNumber, first, next } = useCursorList(fetchPage);

  const filter = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) => {
    setFilters((f) => ({ ...f, [key]: value }));
    first();
  };
  const select = <K extends keyof Filters>(key: K, label: string, values: readonly NonNullable<Filters[K]>[], name: (v: NonNullable<Filters[K]>) => string) => (
    <Select
      allowClear
      aria-label={label}
      placeholder={label}
      style={{ minWidth: 160 }}
      value={filters[key]}
      onChange={(v: Filters[K] | undefined) => filter(key, v)}
      options={values.map((v) => ({ value: v, label: name(v) }))}
    />
  );

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{intake ? t('list.title') : t('list.allProjects')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <Input.Search enterButton={searchButton}
            allowClear={clearable}
            aria-label={t('list.search')}
            placeholder={t('list.search')}
            style={{ width: 240 }}
            onSearch={(text) => filter('name', text.trim() || undefined)}
          />
          {select('stage', t('list.filterStage'), STAGES, (v) => t(`stage.${v}`))}
          {select('status', t('list.filterStatus'), LIST_STATUSES, (v) => t(`stageStatus.${v}`))}
          {select('locality', t('list.filterLocality'), LOCALITIES, (v) => t(`locality.${v}`))}
          {select('light', t('list.filterLight'), LIGHTS, (v) => t(`light.${v}`))}
        </Space>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<ProjectSummary>
          rowKey="id"
          loading={loading}
          dataSource={page?.projects ?? []}
          pagination={false}
          locale={{ emptyText: t('list.empty') }}
          columns={[
            { title: t('list.name'), dataIndex: 'name', minWidth: 160, render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
            { className: 'nowrap', title: t('list.locality'), dataIndex: 'locality', render: (v: ProjectSummary['locality']) => t(`locality.${v}`) },
            { className: 'nowrap', title: t('list.category'), dataIndex: 'category', render: (v: ProjectSummary['category']) => t(`category.${v}`) },
            { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: ProjectSummary['stage']) => t(`stage.${v}`) },
            { className: 'nowrap', title: t('list.status'), dataIndex: 'status', render: (v: ProjectSummary['status']) => t(`stageStatus.${v}`) },
            {
              title: t('list.clock'),
              key: 'clock',
              render: (_, p) => (
                <Space>
                  <Light clock={p.clock} />
                  {p.clock && <ClockText clock={p.clock} />}
                </Space>
              ),
            },
            { className: 'nowrap', title: t('list.registeredAt'), dataIndex: 'registeredAt', render: (v: string) => dateTime(v) },
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
