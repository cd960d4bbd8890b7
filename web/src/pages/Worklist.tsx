// 待办: the stages waiting for the signed-in reviewer's or utility company's sign-off, reddest and oldest
// first (the server's order=urgency, so that the order holds across pages), a page at a time, each with the
// sign-off dialog one click away.
import { Alert, Button, Card, Input, Space, Table, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { api, unwrap, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CursorPager } from '../components/CursorPager';
import { SignOffDialog, type SignOffTarget } from '../components/SignOffDialog';
import { summaryColumns, timeLimitColumn } from '../components/summaryColumns';
import { date } from '../format';
import { useCursorList } from '../use-cursor-list';

/** Rows a page holds: the 20 these pages showed at a time before they paged on the server, as the other
 *  lists do (a worklist of more pages says so under it). */
export const WORKLIST_PAGE = 20;

export function Worklist() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const [signing, setSigning] = useState<SignOffTarget | null>(null);
  const [name, setName] = useState<string | undefined>(undefined);

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/projects', { params: { query: { pending: 'me', order: 'urgency', limit: WORKLIST_PAGE, ...(name && { name }), ...(cursor && { cursor }) } } })),
    [name],
  );
  const list = useCursorList(fetchPage);
  const { page, setPage, error, loading, reload: load, first } = list;
  const projects = page?.projects ?? [];

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('worklist.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" title={t('worklist.hint')} />
        <Input.Search enterButton={searchButton}
          allowClear={clearable}
          aria-label={t('list.search')}
          placeholder={t('list.search')}
          style={{ width: 240 }}
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
          locale={{ emptyText: t('worklist.empty') }}
          columns={[
            ...summaryColumns(t),
            { className: 'nowrap', title: t('worklist.openedOn'), key: 'accepted', render: (_, p) => date(p.clock?.acceptedOn) },
            timeLimitColumn(t),
            {
              title: t('desk.actions'),
              key: 'act',
              render: (_, p) => (
                <Button type="primary" onClick={() => setSigning({ id: p.id, name: p.name, stage: p.stage })}>
                  {t('worklist.signOff')}
                </Button>
              ),
            },
          ]}
        />
        <CursorPager list={list} shown={projects.length} pageSize={WORKLIST_PAGE} />
      </Space>
      {signing && (
        <SignOffDialog
          target={signing}
          onClose={() => setSigning(null)}
          onSigned={() => {
            const { id } = signing;
            setSigning(null);
            // Answered at once by the project; the record, which the list reads, follows it by a moment:
            // reading the page now could still show the stage waiting for this party.
            setPage((current) => current && { ...current, projects: current.projects.filter((p) => p.id !== id) });
          }}
        />
      )}
    </Card>
  );
}
