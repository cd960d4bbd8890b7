// 已办: what the signed-in reviewer's department or utility company decided — approvals, rejections and
// correction requests with their items — newest first, a page at a time, each linked to its project.
import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type PartySignOff } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { STAGES } from '../codes';
import { dateTime } from '../format';
import { useCursorList } from '../use-cursor-list';

const DECISIONS = ['approve', 'reject', 'correction'] as const;
const COLOURS = { approve: 'success', reject: 'error', correction: 'warning' } as const;
type Filters = { stage?: (typeof STAGES)[number]; decision?: (typeof DECISIONS)[number] };
const PAGE = 20;

export function DoneList() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback((cursor: string | undefined) => unwrap(api.GET('/api/sign-offs', { params: { query: { ...filters, limit: PAGE, ...(cursor && { cursor }) } } })), [filters]);
  const { page, error, loading, reload: load, pageNumber, first, next } = useCursorList(fetchPage);

  const filter = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) => {
    setFilters((f) => ({ ...f, [key]: value }));
    first();
  };

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('desk.done.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('desk.done.hint')}</Typography.Text>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('list.filterStage')}
            placeholder={t('list.filterStage')}
            style={{ minWidth: 160 }}
            value={filters.stage}
            onChange={(v: Filters['stage']) => filter('stage', v)}
            options={STAGES.map((v) => ({ value: v, label: t(`stage.${v}`) }))}
          />
          <Select
            allowClear
            aria-label={t('desk.done.filterDecision')}
            placeholder={t('desk.done.filterDecision')}
            style={{ minWidth: 160 }}
            value={filters.decision}
            onChange={(v: Filters['decision']) => filter('decision', v)}
            options={DECISIONS.map((v) => ({ value: v, label: t(`decision.${v}`) }))}
          />
        </Space>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<PartySignOff>
          rowKey={(s) => `${s.project.id}/${s.stage}/${s.attempt}/${s.decision}`}
          loading={loading}
          dataSource={page?.signOffs ?? []}
          pagination={false}
          locale={{ emptyText: t('desk.done.empty') }}
          columns={[
            { title: t('list.name'), key: 'project', minWidth: 160, render: (_, s) => <Link to={`/projects/${s.project.id}`}>{s.project.name}</Link> },
            { className: 'nowrap', title: t('list.locality'), key: 'locality', render: (_, s) => t(`locality.${s.project.locality}`) },
            {
              className: 'nowrap',
              title: t('list.stage'),
              key: 'stage',
              render: (_, s) => (
                <span>
                  {t(`stage.${s.stage}`)} · {t('desk.done.attempt', { n: s.attempt })}
                </span>
              ),
            },
            { title: t('desk.done.decision'), key: 'decision', render: (_, s) => <Tag color={COLOURS[s.decision]}>{t(`decision.${s.decision}`)}</Tag> },
            {
              title: t('desk.done.comment'),
              key: 'comment',
              render: (_, s) => (
                <Space orientation="vertical" size={2}>
                  {s.comment && <span>{s.comment}</span>}
                  {s.items && (
                    <ol style={{ margin: 0, paddingInlineStart: 20 }}>
                      {s.items.map((item, i) => (
                        <li key={i}>{item}</li>
                      ))}
                    </ol>
                  )}
                  {s.supplementedAt && <Typography.Text type="secondary">{t('desk.done.supplemented', { at: dateTime(s.supplementedAt) })}</Typography.Text>}
                </Space>
              ),
            },
            { className: 'nowrap', title: t('desk.done.by'), key: 'by', render: (_, s) => s.by.name ?? s.by.id },
            { className: 'nowrap', title: t('desk.done.signedAt'), key: 'at', render: (_, s) => dateTime(s.at) },
            { className: 'nowrap', title: t('list.status'), key: 'status', render: (_, s) => t(`stageStatus.${s.project.status}`) },
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
