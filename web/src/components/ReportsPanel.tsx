// The agent's view of a project (代办): every progress report as a timeline — from the registration to the
// next report due — the report cadence and its switch, and the hand-over to another agent. The switch and
// the hand-over are for the project's own agent and admins (the API decides; a refusal shows its reason
// and changes nothing), each confirmed before it is sent.
import { Alert, Button, Descriptions, Form, Modal, Popconfirm, Space, Spin, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapAction, type Project, type Reports } from '../api/client';
import { dateTime } from '../format';
import { reportLight } from '../report-light';
import { useSession } from '../session';
import { ApiErrorAlert } from './ApiErrorAlert';
import { AgentInput, AgentName, useAgentName } from './Agents';
import { LightTag } from './Light';
import { trailActor, trailDetail } from '../trail';

const who = (actor: { id: string; name?: string }) => actor.name ?? actor.id;

export function ReportsPanel({ project, onChanged }: { project: Project; onChanged: (after: Project) => void }) {
  const { t } = useTranslation();
  const agentName = useAgentName();
  const { me } = useSession();
  const id = project.project.id;
  const [reports, setReports] = useState<Reports | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [handingOver, setHandingOver] = useState(false);
  const [form] = Form.useForm<{ agent: string }>();

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setReports(await unwrap(api.GET('/api/projects/{id}/reports', { params: { path: { id } } })));
    } catch (err) {
      setLoadError(err);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (request: () => Promise<Project>, success: (after: Project) => string): Promise<boolean> => {
    setBusy(true);
    setActionError(null);
    setDone(null);
    try {
      const after = await request();
      onChanged(after);
      setDone(success(after));
      // The next report is counted anew; an agent who handed the project over may no longer read it.
      if (!(me?.role === 'agent' && after.agent !== me.id)) void load();
      return true;
    } catch (err) {
      setActionError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const open = project.status === 'active';
  const maySteer = open && (me?.role === 'admin' || (me?.role === 'agent' && project.agent === me.id));
  const other = project.cadence === 'weekly' ? 'biweekly' : 'weekly';
  const cadenceName = t(`cadence.${other}`);

  if (loadError !== null) return <ApiErrorAlert error={loadError} />;
  if (!reports) return <Spin description={t('common.loading')}><div style={{ minHeight: 80 }} /></Spin>;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        {/* The project's own answer is the freshest (an action answers with it); the reports list follows. */}
        <Descriptions.Item label={t('desk.agent.agent')}>{project.agent ? <AgentName id={project.agent} /> : t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('desk.agent.cadence')}>{t(`cadence.${project.cadence}`)}</Descriptions.Item>
        <Descriptions.Item label={t('desk.agent.nextReport')}>{dateTime(project.nextReportAt)}</Descriptions.Item>
        {project.campaign && (
          <Descriptions.Item label={t('campaigns.nav')}>
            {t('campaigns.timeline', { name: project.campaign.name, startDate: project.campaign.startDate, phase: t(`campaigns.phases.${project.campaign.phase}`) })}
          </Descriptions.Item>
        )}
      </Descriptions>
      {maySteer && (
        <Space wrap>
          <Popconfirm
            title={t('desk.agent.switchConfirm', { cadence: cadenceName })}
            okText={t('common.submit')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              act(
                () => unwrapAction(api.PUT('/api/projects/{id}/report-cadence', { params: { path: { id } }, body: { cadence: other } })),
                (after) => t('desk.agent.switched', { cadence: t(`cadence.${after.cadence}`) }),
              )
            }
          >
            <Button loading={busy}>{t('desk.agent.switchTo', { cadence: cadenceName })}</Button>
          </Popconfirm>
          <Button
            loading={busy}
            onClick={() => {
              setActionError(null);
              setHandingOver(true);
            }}
          >
            {t('desk.agent.handOver')}
          </Button>
        </Space>
      )}
      {done && <Alert type="success" showIcon role="status" title={done} />}
      {actionError !== null && !handingOver && <ApiErrorAlert error={actionError} />}
      <Timeline
        items={[
          ...[
            // The registration, every change of agent or cadence, and every report, in the order they happened.
            { at: project.project.registeredAt, key: 'registered', content: t('desk.agent.registered', { at: dateTime(project.project.registeredAt), by: who(project.project.registeredBy) }) },
            ...project.trail
              .filter((e) => e.action === 'agent-assignment' || e.action === 'report-cadence' || e.action === 'campaign')
              .map((e) => ({
                at: e.at,
                key: `trail-${e.seq}`,
                content:
                  e.action === 'campaign'
                    ? `${dateTime(e.at)} · ${t('action.campaign')}: ${trailDetail(e, t) ?? ''} (${trailActor(e.by, t)})`
                    : e.action === 'agent-assignment'
                    ? t('desk.agent.agentChanged', { at: dateTime(e.at), agent: agentName(e.detail ?? ''), by: who(e.by) })
                    : t('desk.agent.cadenceChanged', { at: dateTime(e.at), cadence: t(`cadence.${e.detail}`), by: who(e.by) }),
              })),
            ...reports.reports.map((r) => {
              const light = reportLight(project, r);
              return {
                at: r.at,
                key: `report-${r.seq}`,
                color: 'blue',
                content: (
                  <div>
                    <Typography.Text strong>{t('desk.agent.report', { n: r.seq })}</Typography.Text> · {dateTime(r.at)} · {t(`cadence.${r.cadence}`)}
                    {r.campaign && ` · ${t('campaigns.timeline', { name: r.campaign.name, startDate: r.campaign.startDate, phase: t(`campaigns.phases.${r.campaign.phase}`) })}`}
                    <div>
                      {r.stage ? `${t(`stage.${r.stage}`)} · ` : ''}
                      {t(`stageStatus.${r.stageStatus}`)}
                      {light && (
                        <>
                          {' · '}
                          <LightTag light={light} />
                        </>
                      )}
                    </div>
                    {r.pending.length > 0 && (
                      <div>{t('desk.agent.pending', { list: r.pending.map((p) => `${t(`party.${p.party}`)} ${t('common.workingDays', { count: p.days })}`).join(t('desk.listSeparator')) })}</div>
                    )}
                    {r.openCorrections.length > 0 && (
                      <div>{t('desk.agent.corrections', { list: r.openCorrections.map((c) => `${t(`party.${c.party}`)}（${c.items.join(t('desk.listSeparator'))}）`).join(t('desk.listSeparator')) })}</div>
                    )}
                  </div>
                ),
              };
            }),
          ]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map(({ at: _at, ...item }) => item),
          ...(reports.reports.length === 0 ? [{ key: 'none', color: 'gray', content: <Typography.Text type="secondary">{t('desk.agent.noReport')}</Typography.Text> }] : []),
          ...(project.nextReportAt
            ? [{ key: 'next', color: 'gray', content: t('desk.agent.upcoming', { date: dateTime(project.nextReportAt), cadence: t(`cadence.${project.cadence}`) }) }]
            : []),
        ]}
      />
      {handingOver && (
        <Modal
          open
          title={t('desk.agent.handOver')}
          okText={t('desk.agent.handOverConfirm')}
          cancelText={t('common.cancel')}
          confirmLoading={busy}
          onOk={() => form.submit()}
          onCancel={() => setHandingOver(false)}
          destroyOnHidden
        >
          <Form
            form={form}
            layout="vertical"
            onFinish={async ({ agent }) => {
              const to = agent.trim();
              const ok = await act(() => unwrapAction(api.PUT('/api/projects/{id}/agent', { params: { path: { id } }, body: { agent: to } })), () => t('desk.agent.handedOver', { agent: agentName(to) }));
              if (ok) setHandingOver(false);
            }}
          >
            <Alert type="warning" showIcon title={t('desk.agent.handOverHint')} style={{ marginBottom: 16 }} />
            <Form.Item label={t('desk.agent.handOverTo')} name="agent" rules={[{ required: true, whitespace: true, message: t('desk.agent.agentRequired') }]}>
              <AgentInput placeholder={t('desk.agent.handOverSearch')} />
            </Form.Item>
          </Form>
          {actionError !== null && <ApiErrorAlert error={actionError} />}
        </Modal>
      )}
    </Space>
  );
}
