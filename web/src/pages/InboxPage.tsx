// 通知: the signed-in person's notices, unread first, in the console's language (the API words them), each
// with its project, what is asked and by when; read on opening, and escalations, corrections and
// reminders taken charge of (确认接手), which the project records.
import { Alert, Button, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { dateTime } from '../format';

type Inbox = Awaited<ReturnType<typeof loadInbox>>;
type Notice = Inbox['notices'][number];

/** Notices per page; 加载更多 reads the next. */
export const INBOX_PAGE = 30;
const loadInbox = (lang: 'zh' | 'en', unread: boolean, cursor?: string) =>
  unwrap(api.GET('/api/inbox', { params: { query: { lang, limit: INBOX_PAGE, ...(unread && { unread: 'true' }), ...(cursor && { cursor }) } } }));

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [only, setOnly] = useState<'all' | 'unread'>('all');
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setInbox(await loadInbox(lang, only === 'unread'));
    } catch (err) {
      setError(err);
    }
  }, [lang, only]);
  useEffect(() => {
    void load();
  }, [load]);

  // The next page, after the ones shown.
  const more = async () => {
    if (!inbox?.nextCursor) return;
    setError(null);
    setLoadingMore(true);
    try {
      const next = await loadInbox(lang, only === 'unread', inbox.nextCursor);
      setInbox({ ...next, notices: [...inbox.notices, ...next.notices.filter((n) => !inbox.notices.some((m) => m.id === n.id))] });
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  // Marked where it stands (reading the first page again would lose the pages read further on).
  const mark = async (notice: Notice, what: 'read' | 'acknowledge') => {
    setError(null);
    try {
      const { readAt, acknowledgedAt } = await unwrap(api.POST(`/api/inbox/{id}/${what}`, { params: { path: { id: notice.id } } }));
      setInbox((shown) =>
        shown && {
          ...shown,
          unread: shown.unread - (notice.readAt === null ? 1 : 0),
          notices: shown.notices.map((n) => (n.id === notice.id ? { ...n, readAt, acknowledgedAt } : n)),
        },
      );
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('inbox.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {inbox && <Alert type="info" title={t('inbox.unread', { count: inbox.unread })} />}
        <Segmented
          aria-label={t('inbox.show')}
          value={only}
          onChange={(value) => setOnly(value as 'all' | 'unread')}
          options={[
            { value: 'all', label: t('inbox.all') },
            { value: 'unread', label: t('inbox.onlyUnread') },
          ]}
        />
        {error !== null && <ApiErrorAlert error={error} />}
        <List<Notice>
          loading={inbox === null && error === null}
          dataSource={inbox?.notices ?? []}
          locale={{ emptyText: t('inbox.empty') }}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              actions={[
                ...(n.readAt === null ? [<Button key="read" onClick={() => void mark(n, 'read')}>{t('inbox.markRead')}</Button>] : []),
                ...(n.acknowledgeable && n.acknowledgedAt === null
                  ? [
                      <Button key="ack" type="primary" onClick={() => void mark(n, 'acknowledge')}>
                        {t('inbox.acknowledge')}
                      </Button>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    {n.readAt === null && <Tag color="blue">{t('inbox.new')}</Tag>}
                    <Tag>{t(`inbox.kind.${n.kind}`, { defaultValue: n.kind })}</Tag>
                    {n.projectId ? <Link to={`/projects/${n.projectId}`}>{n.subject}</Link> : <span>{n.subject}</span>}
                  </Space>
                }
                description={
                  <Space orientation="vertical" size={2}>
                    {n.lines.filter((line) => !line.includes('://')).map((line) => (
                      <Typography.Text key={line}>{line}</Typography.Text>
                    ))}
                    <Typography.Text type="secondary">
                      {dateTime(n.at)}
                      {n.acknowledgedAt !== null && ` · ${t('inbox.acknowledgedAt', { at: dateTime(n.acknowledgedAt) })}`}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
        {inbox?.nextCursor && (
          <Button loading={loadingMore} onClick={() => void more()}>
            {t('inbox.more')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
