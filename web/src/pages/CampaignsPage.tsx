// 集中开工: the district's construction-start campaigns (GET /api/campaigns). An admin declares one (POST),
// and before its start date changes the date or adds and removes projects (PATCH); each member's delivery
// says whether its workflow has the change (its reports then switch to weekly until the start date).
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { dateTime } from '../format';
import { useProjectSearch } from '../use-project-search';

type Campaign = Schemas['Campaign'];
type Source = 'key-industrial-plan' | 'full-agency-list';
const SOURCES: Source[] = ['key-industrial-plan', 'full-agency-list'];
// The theme's status colours (App.tsx), which meet WCAG AA contrast; antd's named colours do not.
const DELIVERY_COLOR = { applied: 'success', pending: 'warning', refused: 'error' } as const;

interface Values {
  name?: string;
  startDate?: string;
  add?: string[];
  source?: Source;
  remove?: string[];
}

/** Declares a campaign (no `campaign`) or changes one: its date, projects to add and to remove. */
function CampaignDialog({ campaign, onDone, onClose }: { campaign?: Campaign; onDone: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { options, search, onOpenChange } = useProjectSearch({}, setError);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    const add = (v.add ?? []).map((id) => ({ id, source: v.source ?? 'key-industrial-plan' }));
    try {
      if (campaign) {
        await unwrap(
          api.PATCH('/api/campaigns/{id}', {
            params: { path: { id: campaign.id } },
            body: { ...(v.startDate && v.startDate !== campaign.startDate && { startDate: v.startDate }), ...(add.length > 0 && { add }), ...((v.remove ?? []).length > 0 && { remove: v.remove }) },
          }),
        );
      } else {
        await unwrap(api.POST('/api/campaigns', { body: { name: v.name ?? '', startDate: v.startDate ?? '', projects: add } }));
      }
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={campaign ? t('campaigns.changeTitle', { name: campaign.name }) : t('campaigns.declare')} okText={t('common.submit')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ startDate: campaign?.startDate, source: 'key-industrial-plan' }} onFinish={(v) => void submit(v)}>
        {!campaign && (
          <Form.Item label={t('campaigns.name')} name="name" rules={[{ required: true, whitespace: true, message: t('campaigns.nameRequired') }]}>
            <Input maxLength={100} />
          </Form.Item>
        )}
        <Form.Item label={t('campaigns.startDate')} name="startDate" rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('campaigns.startDateRequired') }]}>
          <Input placeholder="2027-03-18" maxLength={10} />
        </Form.Item>
        <Form.Item label={t('campaigns.add')} name="add">
          <Select
            mode="multiple"
            showSearch={{ filterOption: false, onSearch: (text) => void search(text) }}
            placeholder={t('campaigns.projectSearch')}
            onOpenChange={onOpenChange}
            options={options.map((p) => ({ value: p.id, label: `${p.name} · ${t(`locality.${p.locality}`)}` }))}
          />
        </Form.Item>
        <Form.Item label={t('campaigns.source')} name="source">
          <Select options={SOURCES.map((s) => ({ value: s, label: t(`campaigns.sources.${s}`) }))} />
        </Form.Item>
        {campaign && (
          <Form.Item label={t('campaigns.remove')} name="remove">
            <Select mode="multiple" options={campaign.projects.map((p) => ({ value: p.id, label: p.name ?? p.id }))} />
          </Form.Item>
        )}
      </Form>
      {error !== null && <ApiErrorAlert error={error} />}
    </Modal>
  );
}

export function CampaignsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setCampaigns((await unwrap(api.GET('/api/campaigns'))).campaigns);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const done = () => {
    setEditing(null);
    void message.success(t('campaigns.saved'));
    void load();
  };
  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('campaigns.title')}</Typography.Title>}
      extra={
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('campaigns.declare')}
        </Button>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('campaigns.intro')}</Typography.Paragraph>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<Campaign>
          rowKey="id"
          loading={campaigns === null && error === null}
          dataSource={campaigns ?? []}
          pagination={false}
          locale={{ emptyText: <Typography.Text type="secondary">{t('campaigns.empty')}</Typography.Text> }}
          columns={[
            { title: t('campaigns.name'), dataIndex: 'name' },
            { className: 'nowrap', title: t('campaigns.startDate'), dataIndex: 'startDate' },
            { title: t('campaigns.phase'), dataIndex: 'phase', render: (v: Campaign['phase']) => <Tag color={v === 'preparation' ? 'blue' : 'default'}>{t(`campaigns.phases.${v}`)}</Tag> },
            {
              title: t('campaigns.projects'),
              key: 'projects',
              render: (_, c) => (
                <Space wrap>
                  {c.projects.map((p) => (
                    <Tag key={p.id} color={DELIVERY_COLOR[p.delivery]} title={p.deliveryError ?? t(`campaigns.delivery.${p.delivery}`)}>
                      <Link to={`/projects/${p.id}`}>{p.name ?? p.id}</Link> · {t(`campaigns.delivery.${p.delivery}`)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            { className: 'nowrap', title: t('campaigns.changed'), key: 'changed', render: (_, c) => `${c.changedBy} · ${dateTime(c.changedAt)}` },
            {
              title: t('campaigns.actions'),
              key: 'actions',
              render: (_, c) => (c.phase === 'preparation' ? <Button onClick={() => setEditing(c)}>{t('campaigns.change')}</Button> : '—'),
            },
          ]}
        />
      </Space>
      {editing !== null && <CampaignDialog {...(editing !== 'new' && { campaign: editing })} onDone={done} onClose={() => setEditing(null)} />}
    </Card>
  );
}
