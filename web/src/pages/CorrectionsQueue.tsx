// 补正待补: the window's queue of projects paused for a correction, oldest first — each with every item to
// collect (一次性告知), who asked and when, how long the stage has been paused (working days), and the
// supplement recorded right here (the same call the project page makes; the time limit runs again).
import { Alert, App as AntApp, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { api, unwrap, unwrapAction, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { summaryColumns } from '../components/summaryColumns';
import { TextDialog } from '../components/TextDialog';
import { LOCALITIES, STAGES } from '../codes';
import { date, dateTime } from '../format';
import { useCursorList } from '../use-cursor-list';

type Filters = { name?: string; stage?: (typeof STAGES)[number]; locality?: (typeof LOCALITIES)[number] };
const PAGE = 20;

export function CorrectionsQueue() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const { message } = AntApp.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [actionError, setActionError] = useState<unknown>(null);
  const [recording, setRecording] = useState<ProjectSummary | null>(null);
  const [busy, setBusy] = useState(false);

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback((cursor: string | undefined) => unwrap(api.GET('/api/projects', { params: { query: { ...filters, status: 'correction' as const, order: 'oldest' as const, limit: PAGE, ...(cursor && { cursor }) } } })), [filters]);
  const { page, setPage, error, loading, reload: load, pageNumber, first, next } = useCursorList(fetchPage);

  const filter = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) => {
    setFilters((f) => ({ ...f, [key]: value }));
    first();
  };

  /** Records the supplement; on success the project leaves the queue (the list follows the record). */
  const record = async (p: ProjectSummary, note: string | undefined): Promise<boolean> => {
    setBusy(true);
    setActionError(null);
    try {
      await unwrapAction(api.POST('/api/projects/{id}/stages/{stage}/supplements', { params: { path: { id: p.id, stage: p.stage } }, body: note ? { note } : {} }));
      void message.success(t('desk.corrections.recorded', { name: p.name }));
      // Answered at once by the project; the record follows it by a moment.
      setPage((current) => current && { ...current, projects: current.projects.filter((q) => q.id !== p.id) });
      return true;
    } catch (err) {
      setActionError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  // Every row is paused for a correction: the status column would say so on each.
  const shared = summaryColumns(t).filter((c) => !('dataIndex' in c && c.dataIndex === 'status'));
  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('desk.corrections.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" title={t('desk.corrections.hint')} />
        <Space wrap>
          <Input.Search enterButton={searchButton} allowClear={clearable} aria-label={t('list.search')} placeholder={t('list.search')} style={{ width: 240 }} onSearch={(text) => filter('name', text.trim() || undefined)} />
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
            aria-label={t('list.filterLocality')}
            placeholder={t('list.filterLocality')}
            style={{ minWidth: 160 }}
            value={filters.locality}
            onChange={(v: Filters['locality']) => filter('locality', v)}
            options={LOCALITIES.map((v) => ({ value: v, label: t(`locality.${v}`) }))}
          />
        </Space>
        {error !== null && <ApiErrorAlert error={error} />}
        {actionError !== null && !recording && <ApiErrorAlert error={actionError} />}
        <Table<ProjectSummary>
          rowKey="id"
          loading={loading}
          dataSource={page?.projects ?? []}
          pagination={false}
          locale={{ emptyText: t('desk.corrections.empty') }}
          columns={[
            ...shared,
            {
              title: t('desk.corrections.items'),
              key: 'items',
              render: (_, p) => (
                <Space orientation="vertical" size={4}>
                  {p.openCorrections.map((c) => (
                    <div key={c.party}>
                      <Tag>{t(`party.${c.party}`)}</Tag>
                      <ol style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
                        {c.items.map((item, i) => (
                          <li key={i}>{item}</li>
                        ))}
                      </ol>
                    </div>
                  ))}
                </Space>
              ),
            },
            {
              title: t('desk.corrections.askedBy'),
              key: 'asked',
              render: (_, p) => (
                <Space orientation="vertical" size={4}>
                  {p.openCorrections.map((c) => (
                    // The party is the items' tag beside; here the person who asked, and when.
                    <span key={c.party}>
                      {c.requestedBy.name ?? c.requestedBy.id} · {dateTime(c.requestedAt)}
                    </span>
                  ))}
                </Space>
              ),
            },
            {
              title: t('desk.corrections.paused'),
              key: 'paused',
              render: (_, p) => (p.clock ? `${t('common.workingDays', { count: p.clock.pausedDays })} · ${t('clock.accepted', { date: date(p.clock.acceptedOn) })}` : '—'),
            },
            {
              title: t('desk.actions'),
              key: 'act',
              render: (_, p) => (
                <Button
                  type="primary"
                  aria-label={`${t('desk.corrections.record')} · ${p.name}`}
                  onClick={() => {
                    setActionError(null);
                    setRecording(p);
                  }}
                >
                  {t('desk.corrections.record')}
                </Button>
              ),
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
      {recording && (
        <TextDialog
          title={`${t('desk.corrections.record')} · ${recording.name}`}
          label={t('project.supplementNote')}
          busy={busy}
          error={actionError}
          onClose={() => setRecording(null)}
          onSubmit={(note) => record(recording, note)}
        />
      )}
    </Card>
  );
}
