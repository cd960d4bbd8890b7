// 待办: the stages waiting for the signed-in reviewer's or utility company's sign-off, reddest and oldest
// first, each with the sign-off dialog one click away.
import { Alert, Button, Card, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable } from '../components/ClearIcon';
import { api, unwrap, type ProjectSummary } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { SignOffDialog, type SignOffTarget } from '../components/SignOffDialog';
import { summaryColumns, timeLimitColumn } from '../components/summaryColumns';
import { date } from '../format';
import { byUrgency } from '../urgency';

export function Worklist() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [signing, setSigning] = useState<SignOffTarget | null>(null);
  const [name, setName] = useState<string | undefined>(undefined);

  const load = useCallback(async () => {
    setError(null);
    try {
      // A worklist is short; the server's largest page holds it whole, so the order below covers it all.
      setProjects((await unwrap(api.GET('/api/projects', { params: { query: { pending: 'me', limit: 500, ...(name && { name }) } } }))).projects);
    } catch (err) {
      setError(err);
    }
  }, [name]);
  useEffect(() => {
    void load();
  }, [load]);
  const sorted = useMemo(() => (projects ? [...projects].sort(byUrgency) : []), [projects]);

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('worklist.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert type="info" title={t('worklist.hint')} />
        <Input.Search
          allowClear={clearable}
          aria-label={t('list.search')}
          placeholder={t('list.search')}
          style={{ width: 240 }}
          onSearch={(text) => setName(text.trim() || undefined)}
        />
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<ProjectSummary>
          rowKey="id"
          loading={projects === null && error === null}
          dataSource={sorted}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
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
      </Space>
      {signing && (
        <SignOffDialog
          target={signing}
          onClose={() => setSigning(null)}
          onSigned={() => {
            setSigning(null);
            void load();
          }}
        />
      )}
    </Card>
  );
}
