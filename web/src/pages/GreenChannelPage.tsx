// 绿色通道: the major projects (GET /api/projects?major=true), each with its green-channel state, its
// dedicated agent and its escalation ladder (GET …/escalations); an admin puts another project on the
// green channel with its dedicated agent (POST …/green-channel).
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Steps, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { Link } from 'react-router';
import { api, recordedAfter, unwrap, unwrapAction, type ProjectSummary, type Schemas } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { AgentInput, AgentName } from '../components/Agents';
import { ClockText, Light } from '../components/Light';
import { LIGHTS, LOCALITIES, STAGES } from '../codes';
import { dateTime } from '../format';
import { useSession } from '../session';
import { useCursorList } from '../use-cursor-list';
import { useProjectSearch } from '../use-project-search';

type Escalations = Schemas['Escalations'];
type Filters = { name?: string; stage?: (typeof STAGES)[number]; locality?: (typeof LOCALITIES)[number]; light?: (typeof LIGHTS)[number] };
const PAGE = 20;
const TIERS = ['liaison', 'deputy', 'main'] as const;

/** The working days after which each rung is told, as the project's own policy says (it started with it). */
function ladderDays(policy: unknown): Record<(typeof TIERS)[number], number> | null {
  const days = (policy as { escalationDays?: Record<string, unknown> } | undefined)?.escalationDays;
  return days && TIERS.every((tier) => typeof days[tier] === 'number') ? (days as Record<(typeof TIERS)[number], number>) : null;
}

function Ladder({ id, name }: { id: string; name: string }) {
  const { t } = useTranslation();
  const [data, setData] = useState<{ escalations: Escalations; policy: unknown; registeredAt: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    Promise.all([unwrap(api.GET('/api/projects/{id}/escalations', { params: { path: { id } } })), unwrap(api.GET('/api/projects/{id}', { params: { path: { id } } }))])
      .then(([escalations, project]) => setData({ escalations, policy: project.policy, registeredAt: project.project.registeredAt }))
      .catch((err: unknown) => setError(err));
  }, [id]);
  if (error !== null) return <ApiErrorAlert error={error} />;
  if (!data) return <Typography.Text>{t('common.loading')}</Typography.Text>;
  const { greenChannel, escalations, acknowledgements } = data.escalations;
  const days = ladderDays(data.policy);
  const since = greenChannel ? t('greenChannel.sinceText', { by: greenChannel.by.name ?? greenChannel.by.id, at: dateTime(greenChannel.at) }) : null;
  const reached = escalations.reduce((top, e) => Math.max(top, TIERS.indexOf(e.tier)), -1);
  return (
    <section aria-label={t('greenChannel.details', { name })}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Descriptions size="small" bordered column={1}>
          <Descriptions.Item label={t('greenChannel.since')}>
            {since === null ? '—' : greenChannel?.at === data.registeredAt ? t('greenChannel.registeredMajor', { since }) : since}
          </Descriptions.Item>
        </Descriptions>
        <div>
          <Typography.Title level={5}>{t('greenChannel.ladder')}</Typography.Title>
          <Steps
            size="small"
            current={reached}
            items={TIERS.map((tier) => ({ title: t(`tier.${tier}`), content: days ? t('greenChannel.rung', { days: days[tier] }) : undefined }))}
          />
        </div>
        <Table
          size="small"
          rowKey={(e) => `${e.stage}-${e.attempt}-${e.party}-${e.tier}`}
          dataSource={escalations}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('greenChannel.noEscalations')}</Typography.Text> }}
          title={() => t('greenChannel.escalations')}
          columns={[
            { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: string) => t(`stage.${v}`) },
            { className: 'nowrap', title: t('greenChannel.attempt'), dataIndex: 'attempt' },
            { title: t('project.party'), dataIndex: 'party', render: (v: string) => t(`party.${v}`) },
            { className: 'nowrap', title: t('project.tier'), dataIndex: 'tier', render: (v: string) => <Tag color="volcano">{t(`tier.${v}`)}</Tag> },
            { title: t('project.pendingDays'), dataIndex: 'pendingDays', render: (v: number) => t('common.workingDays', { count: v }) },
            { className: 'nowrap', title: t('project.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
            { title: t('project.notified'), dataIndex: 'notified', render: (v: string[]) => v.join(t('separator.items')) || '—' },
          ]}
        />
        <Table
          size="small"
          rowKey="seq"
          dataSource={acknowledgements}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Typography.Text type="secondary">{t('greenChannel.noAcknowledgements')}</Typography.Text> }}
          title={() => t('greenChannel.acknowledgements')}
          columns={[
            { title: t('project.by'), key: 'by', render: (_, a) => a.by.name ?? a.by.id },
            { className: 'nowrap', title: t('project.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
            { title: t('project.comment'), dataIndex: 'detail', render: (v?: string) => v ?? '—' },
          ]}
        />
      </Space>
    </section>
  );
}

/** Putting a project that is not major yet on the green channel: the project found by name, the agent. */
function EnterDialog({ onDone, onClose }: { onDone: (name: string, recorded: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ project: string; agent: string }>();
  const [chosen, setChosen] = useState<ProjectSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { options, search, onOpenChange } = useProjectSearch({ major: 'false' }, setError);
  const submit = async ({ project, agent }: { project: string; agent: string }) => {
    setBusy(true);
    setError(null);
    try {
      const request = api.POST('/api/projects/{id}/green-channel', { params: { path: { id: project } }, body: { agent: agent.trim() } });
      const answer = await unwrapAction(request);
      onDone(answer.project.name, recordedAfter(project, (await request).response));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('greenChannel.enterTitle')} okText={t('common.submit')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={t('greenChannel.project')} name="project" rules={[{ required: true, message: t('greenChannel.projectRequired') }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: (text) => void search(text) }}
            placeholder={t('greenChannel.projectSearch')}
            onOpenChange={onOpenChange}
            // The chosen project stays among the options, so it is shown by name whatever a later search finds
            // (choosing clears the search text, which searches again).
            onChange={(id: string) => setChosen(options.find((p) => p.id === id) ?? null)}
            options={[...(chosen && !options.some((p) => p.id === chosen.id) ? [chosen] : []), ...options].map((p) => ({ value: p.id, label: `${p.name} · ${t(`locality.${p.locality}`)}` }))}
          />
        </Form.Item>
        <Form.Item label={t('greenChannel.agent')} name="agent" rules={[{ required: true, whitespace: true, message: t('greenChannel.agentRequired') }]}>
          <AgentInput placeholder={t('register.agentSearch')} />
        </Form.Item>
      </Form>
      {error !== null && <ApiErrorAlert error={error} />}
    </Modal>
  );
}

export function GreenChannelPage() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const { message } = App.useApp();
  const { me } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [entering, setEntering] = useState(false);
  // The project just put on the green channel: the list is read once the record holds it.
  const [recorded, setRecorded] = useState<string>();

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback(
    (cursor: string | undefined) => unwrap(api.GET('/api/projects', { params: { query: { ...filters, major: 'true', limit: PAGE, ...(cursor && { cursor }), ...(recorded && { recorded }) } } })),
    [filters, recorded],
  );
  const { page, error, loading, reload: load, pageNumber, first, next } = useCursorList(fetchPage);

  const filter = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) => {
    setFilters((f) => ({ ...f, [key]: value }));
    first();
  };
  const select = <K extends Exclude<keyof Filters, 'name'>>(key: K, label: string, values: readonly NonNullable<Filters[K]>[], name: (v: NonNullable<Filters[K]>) => string) => (
    <Select allowClear showSearch={{ optionFilterProp: 'label' }} aria-label={label} placeholder={label} style={{ minWidth: 150 }} value={filters[key]} onChange={(v: Filters[K] | undefined) => filter(key, v)} options={values.map((v) => ({ value: v, label: name(v) }))} />
  );

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('greenChannel.title')}</Typography.Title>}
      extra={
        <Space>
          <Button onClick={() => void load()}>{t('common.refresh')}</Button>
          {me?.role === 'admin' && (
            <Button type="primary" onClick={() => setEntering(true)}>
              {t('greenChannel.enter')}
            </Button>
          )}
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('greenChannel.intro')}</Typography.Paragraph>
        <Space wrap>
          <Input.Search enterButton={searchButton} allowClear={clearable} aria-label={t('list.search')} placeholder={t('list.search')} style={{ width: 240 }} onSearch={(text) => filter('name', text.trim() || undefined)} />
          {select('stage', t('list.filterStage'), STAGES, (v) => t(`stage.${v}`))}
          {select('locality', t('list.filterLocality'), LOCALITIES, (v) => t(`locality.${v}`))}
          {select('light', t('list.filterLight'), LIGHTS, (v) => t(`light.${v}`))}
        </Space>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<ProjectSummary>
          rowKey="id"
          loading={loading}
          dataSource={page?.projects ?? []}
          pagination={false}
          locale={{ emptyText: <Typography.Text type="secondary">{t('greenChannel.empty')}</Typography.Text> }}
          expandable={{ columnTitle: <span className="visually-hidden">{t('greenChannel.expand')}</span>, expandedRowRender: (p) => <Ladder id={p.id} name={p.name} /> }}
          columns={[
            { title: t('list.name'), dataIndex: 'name', minWidth: 160, render: (name: string, p) => <Link to={`/projects/${p.id}`}>{name}</Link> },
            { className: 'nowrap', title: t('list.locality'), dataIndex: 'locality', render: (v: ProjectSummary['locality']) => t(`locality.${v}`) },
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
            { title: t('greenChannel.agentColumn'), dataIndex: 'agent', render: (v: string | null) => (v ? <AgentName id={v} /> : '—') },
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
      {entering && (
        <EnterDialog
          onClose={() => setEntering(false)}
          onDone={(name, change) => {
            setEntering(false);
            void message.success(t('greenChannel.entered', { name }));
            // A new list request (fetchPage changes), which waits for the record to hold the change.
            setRecorded(change);
          }}
        />
      )}
    </Card>
  );
}
