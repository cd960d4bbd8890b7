// A project as everyone who may read it sees it: the four stages as a stepper with each stage's light
// and clock, the parties' sign-offs, corrections with their items, earlier attempts, the trail, reports,
// escalations and utility pushes, and the actions the signed-in role may take here.
import { Alert, Button, Card, Descriptions, Popconfirm, Result, Space, Spin, Steps, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { api, ApiError, unwrap, unwrapAction, type Party, type Project, type Stage } from '../api/client';
import { AgentName } from '../components/Agents';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { Light } from '../components/Light';
import { ReportsPanel } from '../components/ReportsPanel';
import { SignOffDialog } from '../components/SignOffDialog';
import { StageDetail } from '../components/StageDetail';
import { TextDialog } from '../components/TextDialog';
import { WaiversPanel } from '../components/WaiversPanel';
import { dateTime } from '../format';
import { useSession } from '../session';
import { stepStatus } from '../stage-steps';
import { exemptionText } from '../exemptions';
import { trailActor, trailDetail } from '../trail';
import { proxyParties } from '../sign-off';

export function ProjectPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const tab = useSearchParams()[0].get('tab');
  const { me } = useSession();
  const [project, setProject] = useState<Project | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Stage | null>(null);
  // Signing for one's own party, or (an admin) recording a party's decision for it (代录).
  const [signing, setSigning] = useState<{ proxyFor?: Party } | null>(null);
  const [asking, setAsking] = useState<'supplement' | 'withdraw' | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setProject(await unwrap(api.GET('/api/projects/{id}', { params: { path: { id } } })));
    } catch (err) {
      setLoadError(err);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  // ?tab=reports (from 我的项目): once the project shows, bring its reports into view.
  const tabs = useRef<HTMLDivElement>(null);
  const loaded = project !== null;
  useEffect(() => {
    if (loaded && tab === 'reports') tabs.current?.scrollIntoView({ block: 'start' });
  }, [loaded, tab]);

  if (loadError !== null) {
    if (loadError instanceof ApiError && loadError.status === 404) return <Result status="404" title={t('error.404')} subTitle={loadError.message} />;
    return <ApiErrorAlert error={loadError} />;
  }
  if (!project) return <Spin description={t('common.loading')}><div style={{ minHeight: 200 }} /></Spin>;

  const stageCode = selected ?? project.currentStage ?? [...project.stages].reverse().find((s) => s.attempts.length > 0)?.stage ?? 'design';
  const stage = project.stages.find((s) => s.stage === stageCode) ?? project.stages[0];
  const info = project.project;
  const windowStaff = me?.role === 'window' || me?.role === 'admin';
  const open = project.status === 'active';

  /** Sends one action; the project as it stands after it replaces the page's, a refusal changes nothing. */
  const act = async (request: () => Promise<Project>) => {
    setBusy(true);
    setActionError(null);
    try {
      setProject(await request());
      return true;
    } catch (err) {
      setActionError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const actions = stage && open && (
    <Space wrap>
      {windowStaff && (stage.status === 'awaiting-application' || stage.status === 'rejected') && (
        <Popconfirm
          title={t('project.apply')}
          okText={t('common.submit')}
          cancelText={t('common.cancel')}
          onConfirm={() => act(() => unwrapAction(api.POST('/api/projects/{id}/stages/{stage}/application', { params: { path: { id, stage: stage.stage } }, body: {} })))}
        >
          <Button type="primary" loading={busy}>
            {t('project.apply')}
          </Button>
        </Popconfirm>
      )}
      {windowStaff && stage.status === 'correction' && (
        <Button type="primary" loading={busy} onClick={() => setAsking('supplement')}>
          {t('project.supplement')}
        </Button>
      )}
      {me?.party && stage.pendingParties.includes(me.party) && (
        <Button type="primary" onClick={() => setSigning({})}>
          {t('project.signOff')}
        </Button>
      )}
    </Space>
  );

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap align="center">
            <Typography.Title level={2} style={{ margin: 0 }}>
              {info.name}
            </Typography.Title>
            <Tag color={open ? 'processing' : 'default'}>{t(`stageStatus.${project.overallStatus}`)}</Tag>
            {info.major && <Tag color="volcano">{t('project.major')}</Tag>}
            {project.greenChannel && <Tag color="green">{t('project.greenChannel')}</Tag>}
            {windowStaff && open && (
              <Button danger onClick={() => setAsking('withdraw')}>
                {t('project.withdraw')}
              </Button>
            )}
          </Space>
          {project.withdrawal && <Alert type="warning" showIcon title={t('project.withdrawn', { reason: project.withdrawal.reason })} />}
          <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
            <Descriptions.Item label={t('project.id')}>
              <Typography.Text copyable>{info.id}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('project.applicant')}>{info.applicant.name}</Descriptions.Item>
            <Descriptions.Item label={t('project.uscc')}>{info.applicant.uscc}</Descriptions.Item>
            <Descriptions.Item label={t('list.category')}>{t(`category.${info.category}`)}</Descriptions.Item>
            <Descriptions.Item label={t('list.locality')}>{t(`locality.${info.locality}`)}</Descriptions.Item>
            <Descriptions.Item label={t('project.registeredBy')}>{info.registeredBy.name ?? info.registeredBy.id}</Descriptions.Item>
            <Descriptions.Item label={t('project.registeredAt')}>{dateTime(info.registeredAt)}</Descriptions.Item>
            <Descriptions.Item label={t('project.agent')}>{project.agent ? <AgentName id={project.agent} /> : t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('project.nextReport')}>{dateTime(project.nextReportAt)}</Descriptions.Item>
            {info.exemptions.length > 0 && <Descriptions.Item label={t('project.exemptions')}>{info.exemptions.map((e) => exemptionText(e, t)).join(t('separator.items'))}</Descriptions.Item>}
          </Descriptions>
        </Space>
      </Card>

      <Card title={t('project.stages')}>
        <Steps
          type="navigation"
          current={project.stages.findIndex((s) => s.stage === stageCode)}
          onChange={(index) => setSelected(project.stages[index]?.stage ?? null)}
          items={project.stages.map((s) => ({
            title: t(`stage.${s.stage}`),
            status: stepStatus(s, project.currentStage),
            content: (
              <Space size={4} wrap>
                <span>{t(`stageStatus.${s.status}`)}</span>
                {s.clock && <Light clock={s.clock} />}
              </Space>
            ),
          }))}
        />
        {actionError !== null && (
          <div style={{ marginTop: 16 }}>
            <ApiErrorAlert error={actionError} />
          </div>
        )}
        {stage && (
          <StageDetail stage={stage} actions={actions} proxy={{ parties: proxyParties(me?.role, open, stage), open: (party) => setSigning({ proxyFor: party }) }} />
        )}
      </Card>

      <Card ref={tabs}>
        <Tabs
          // ?tab=reports: 我的项目 links straight to the reports, the cadence and the hand-over.
          defaultActiveKey={tab === 'reports' ? 'reports' : 'trail'}
          items={[
            {
              key: 'trail',
              label: t('project.trail'),
              children: (
                <Timeline
                  items={[...project.trail].reverse().map((e) => ({
                    key: e.seq,
                    content: (
                      <div>
                        <Typography.Text strong>{t(`action.${e.action}`)}</Typography.Text>
                        {e.stage && <Tag style={{ marginInlineStart: 8 }}>{t(`stage.${e.stage}`)}</Tag>}
                        {e.party && <Tag>{t(`party.${e.party}`)}</Tag>}
                        <div>
                          {trailActor(e.by, t)} · {t(`role.${e.by.role}`)} · {dateTime(e.at)}
                        </div>
                        {e.detail && <Typography.Text type="secondary">{trailDetail(e, t)}</Typography.Text>}
                      </div>
                    ),
                  }))}
                />
              ),
            },
            {
              key: 'reports',
              label: `${t('project.reports')} (${project.reportCount ?? project.reports.length})`,
              children: <ReportsPanel project={project} onChanged={setProject} />,
            },
            {
              key: 'escalations',
              label: `${t('project.escalations')} (${project.escalations.length})`,
              children: (
                <Table
                  rowKey={(e) => `${e.stage}-${e.attempt}-${e.party}-${e.tier}`}
                  dataSource={project.escalations}
                  pagination={false}
                  locale={{ emptyText: t('common.none') }}
                  columns={[
                    { className: 'nowrap', title: t('list.stage'), dataIndex: 'stage', render: (v: Stage) => t(`stage.${v}`) },
                    { title: t('project.party'), dataIndex: 'party', render: (v: string) => t(`party.${v}`) },
                    { className: 'nowrap', title: t('project.tier'), dataIndex: 'tier', render: (v: string) => t(`tier.${v}`) },
                    { title: t('project.pendingDays'), dataIndex: 'pendingDays', render: (v: number) => t('common.workingDays', { count: v }) },
                    { className: 'nowrap', title: t('project.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
                    { title: t('project.notified'), dataIndex: 'notified', render: (v: string[]) => v.join('；') },
                  ]}
                />
              ),
            },
            { key: 'waivers', label: t('waivers.title'), children: <WaiversPanel id={id} /> },
            {
              key: 'pushes',
              label: `${t('project.pushes')} (${project.pushes.length})`,
              children: (
                <Table
                  rowKey="company"
                  dataSource={project.pushes}
                  pagination={false}
                  locale={{ emptyText: t('common.none') }}
                  columns={[
                    { className: 'nowrap', title: t('project.company'), dataIndex: 'company', render: (v: string) => t(`party.${v}`) },
                    { className: 'nowrap', title: t('project.pushStatus'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'failed' ? 'error' : v === 'delivered' ? 'success' : 'default'}>{t(`push.${v}`)}</Tag> },
                    { className: 'nowrap', title: t('project.at'), key: 'at', render: (_, p) => dateTime(p.settledAt ?? p.startedAt) },
                    { title: t('project.comment'), dataIndex: 'error' },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>

      {signing && stage && (
        <SignOffDialog
          target={{ id, name: info.name, stage: stage.stage, ...signing }}
          onClose={() => {
            setSigning(null);
            // Closed after a refusal, the page may be out of date (someone else signed meanwhile): read it again.
            void load();
          }}
          onSigned={(after) => {
            setSigning(null);
            setProject(after);
          }}
        />
      )}
      {asking === 'supplement' && stage && (
        <TextDialog
          title={t('project.supplement')}
          label={t('project.supplementNote')}
          busy={busy}
          onClose={() => setAsking(null)}
          onSubmit={(note) => act(() => unwrapAction(api.POST('/api/projects/{id}/stages/{stage}/supplements', { params: { path: { id, stage: stage.stage } }, body: note ? { note } : {} })))}
        />
      )}
      {asking === 'withdraw' && (
        <TextDialog
          title={t('project.withdraw')}
          label={t('project.withdrawReason')}
          required
          busy={busy}
          onClose={() => setAsking(null)}
          onSubmit={(reason) => act(() => unwrapAction(api.POST('/api/projects/{id}/withdrawal', { params: { path: { id } }, body: { reason: reason ?? '' } })))}
        />
      )}
    </Space>
  );
}
