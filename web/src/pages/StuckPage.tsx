// 卡件处置: the admin's stuck list (GET /api/operations/stuck), oldest first, filtered by kind and locality
// on the server, a page at a time; each case with its project, the kind in words, since when in working
// days, the evidence, who is to act, and the repairs that fit it. A repair asks for confirmation and its
// reason, says how it went, and refreshes the list; a refused one shows the server's reason in the dialog
// and leaves the list as it was.
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, unwrapAction } from '../api/client';
import type { paths } from '../api/schema';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { LOCALITIES, PARTIES } from '../codes';
import { dateTime } from '../format';
import { useCursorList } from '../use-cursor-list';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type StuckPageAnswer = Json<paths['/api/operations/stuck']['get']['responses'][200]>;
type StuckEntry = StuckPageAnswer['entries'][number];
type Replay = Json<paths['/api/operations/projects/{id}/replay']['post']['responses'][200]>;
type RepairAction = 'retry-push' | 'remind' | 'reset' | 'replay' | 'reconcile';
type StuckKind = NonNullable<NonNullable<paths['/api/operations/stuck']['get']['parameters']['query']>['kind']>;
/** The kinds in the order operators read them (README, Operations); the API's own list types them. */
const STUCK_KINDS = ['overdue-sign-off', 'correction-unanswered', 'push-failed', 'push-retrying', 'workflow-task-failing', 'activity-retrying', 'record-out-of-sync', 'notice-failing'] as const;
// Fails to compile when the API gains a kind this list lacks (or loses one it has).
const sameKinds: [StuckKind, (typeof STUCK_KINDS)[number]] extends [(typeof STUCK_KINDS)[number], StuckKind] ? true : never = true;
void sameKinds;
type Filters = { kind?: StuckKind; locality?: (typeof LOCALITIES)[number] };
const PAGE = 20;
const KNOWN_REPAIRS: readonly string[] = ['retry-push', 'remind', 'reset', 'replay', 'reconcile'];
const isParty = (v: unknown): v is (typeof PARTIES)[number] => typeof v === 'string' && (PARTIES as readonly string[]).includes(v);

/** Sends one repair; what it answers does not matter to the list, which is read again. */
async function sendRepair(entry: StuckEntry, action: RepairAction, reason: string, key: string): Promise<Replay | null> {
  const id = entry.projectId;
  const headers = { 'idempotency-key': key };
  const party = entry.evidence.party;
  switch (action) {
    case 'retry-push':
      if (!isParty(party)) throw new Error(`no company in the case of ${id}`);
      await unwrapAction(api.POST('/api/projects/{id}/pushes/{company}/retry', { params: { path: { id, company: party as 'power' } }, headers, body: { reason } }));
      return null;
    case 'remind':
      await unwrapAction(api.POST('/api/projects/{id}/stages/{stage}/reminders', { params: { path: { id, stage: entry.stage as 'design' } }, headers, body: { reason } }));
      return null;
    case 'reconcile':
      await unwrap(api.POST('/api/operations/projects/{id}/reconcile', { params: { path: { id } }, headers, body: { reason } }));
      return null;
    case 'reset':
      await unwrap(api.POST('/api/operations/projects/{id}/reset', { params: { path: { id } }, headers, body: { reason } }));
      return null;
    case 'replay':
      return unwrap(api.POST('/api/operations/projects/{id}/replay', { params: { path: { id } }, body: {} }));
  }
}

function RepairDialog({ entry, action, onDone, onClose }: { entry: StuckEntry; action: RepairAction; onDone: (replay: Replay | null) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per dialog: sent twice (a double click, an answer lost on the way), the repair applies once.
  const [key] = useState(() => crypto.randomUUID());
  const needsReason = action !== 'replay';
  const title = t('stuck.confirm', { action: t(`stuck.repair.${action}`), project: entry.name ?? entry.projectId });
  const submit = async (reason: string) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await sendRepair(entry, action, reason, key));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      okText={t(`stuck.repair.${action}`)}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => (needsReason ? form.submit() : void submit(''))}
      onCancel={onClose}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {needsReason ? (
          <Form form={form} layout="vertical" onFinish={({ reason }) => void submit(reason.trim())}>
            <Form.Item label={t('stuck.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('register.required') }]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          </Form>
        ) : (
          <Typography.Paragraph>{t('stuck.replayConfirm')}</Typography.Paragraph>
        )}
        {error !== null && <ApiErrorAlert error={error} />}
      </Space>
    </Modal>
  );
}

export function StuckPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [repairing, setRepairing] = useState<{ entry: StuckEntry; action: RepairAction } | null>(null);
  const [replay, setReplay] = useState<Replay | null>(null);

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback((cursor: string | undefined) => unwrap(api.GET('/api/operations/stuck', { params: { query: { ...filters, limit: PAGE, ...(cursor && { cursor }) } } })), [filters]);
  const { page, error, loading, reload: load, pageNumber, first, next } = useCursorList(fetchPage);

  const filter = <K extends keyof Filters>(key: K, value: Filters[K] | undefined) => {
    setFilters((f) => ({ ...f, [key]: value }));
    first();
  };
  const partyName = (v: unknown) => (isParty(v) ? t(`party.${v}`) : String(v));
  const actorName = (actor: string) => {
    if (actor === 'admin' || actor === 'window') return t(`stuck.actor.${actor}`);
    const [kind, code] = actor.split(':');
    if ((kind === 'party' || kind === 'company') && code) return partyName(code);
    return actor === 'the utility companies' ? t('stuck.actor.utilities') : actor;
  };
  const evidence = (e: StuckEntry) => {
    const ev = e.evidence as Record<string, unknown>;
    const parts: string[] = [];
    if (ev.party !== undefined) parts.push(t('stuck.evidenceParty', { party: partyName(ev.party) }));
    if (typeof ev.daysOver === 'number') parts.push(t('stuck.evidenceDaysOver', { count: ev.daysOver }));
    const attempts = typeof ev.attempts === 'number' ? ev.attempts : typeof ev.attempt === 'number' && e.kind !== 'overdue-sign-off' ? ev.attempt : undefined;
    if (attempts !== undefined) parts.push(t('stuck.evidenceAttempts', { count: attempts }));
    const problem = ev.error ?? ev.problem ?? ev.lastFailure;
    if (typeof problem === 'string') parts.push(t('stuck.evidenceError', { error: problem }));
    return parts.join(' · ');
  };

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('stuck.title')}</Typography.Title>}
      extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('stuck.hint')}</Typography.Text>
        <Space wrap>
          <Select
            allowClear
            aria-label={t('stuck.filterKind')}
            placeholder={t('stuck.filterKind')}
            style={{ minWidth: 200 }}
            value={filters.kind}
            onChange={(v: Filters['kind']) => filter('kind', v)}
            options={STUCK_KINDS.map((k) => ({ value: k, label: `${t(`stuck.kinds.${k}`)}${page?.counts.byKind[k] ? ` (${page.counts.byKind[k]})` : ''}` }))}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('stuck.filterLocality')}
            placeholder={t('stuck.filterLocality')}
            style={{ minWidth: 160 }}
            value={filters.locality}
            onChange={(v: Filters['locality']) => filter('locality', v)}
            options={LOCALITIES.map((l) => ({ value: l, label: t(`locality.${l}`) }))}
          />
          {page && <Typography.Text>{t('stuck.total', { count: page.total })}</Typography.Text>}
        </Space>
        {page && !page.scan.complete && <Alert type="warning" showIcon title={t('stuck.scanIncomplete', { problem: page.scan.problem ?? '' })} />}
        {replay && (
          <Alert
            type={replay.compatible ? 'success' : 'error'}
            showIcon
            closable={{ onClose: () => setReplay(null) }}
            title={replay.compatible ? t('stuck.compatible') : t('stuck.incompatible', { error: replay.error ?? replay.kind ?? '' })}
          />
        )}
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<StuckEntry>
          rowKey={(e) => `${e.projectId}/${e.kind}/${String(e.evidence.party ?? '')}/${e.since}`}
          loading={loading}
          dataSource={page?.entries ?? []}
          pagination={false}
          locale={{ emptyText: <Typography.Text type="secondary">{t('stuck.empty')}</Typography.Text> }}
          columns={[
            { title: t('stuck.project'), dataIndex: 'name', render: (name: string | null, e) => <Link to={`/projects/${e.projectId}`}>{name ?? e.projectId}</Link> },
            {
              title: t('stuck.kind'),
              dataIndex: 'kind',
              render: (k: string) => <Tag color={k === 'push-failed' || k === 'workflow-task-failing' || k === 'record-out-of-sync' ? 'error' : 'warning'}>{t(`stuck.kinds.${k}`, { defaultValue: k })}</Tag>,
            },
            {
              className: 'nowrap',
              title: t('stuck.since'),
              key: 'since',
              render: (_, e) => (
                <Space orientation="vertical" size={0}>
                  <span>{dateTime(e.since)}</span>
                  <span>{t('stuck.sinceDays', { count: e.sinceWorkingDays })}</span>
                </Space>
              ),
            },
            { title: t('stuck.evidence'), key: 'evidence', render: (_, e) => <Typography.Text style={{ maxWidth: 360, display: 'inline-block' }}>{evidence(e)}</Typography.Text> },
            { title: t('stuck.expected'), key: 'expected', render: (_, e) => actorName(e.expected.actor) },
            {
              title: t('stuck.repairs'),
              key: 'repairs',
              render: (_, e) => {
                const repairs = e.repairs.filter((r) => KNOWN_REPAIRS.includes(r.action));
                if (repairs.length === 0) return <Typography.Text type="secondary">{t('stuck.noRepair')}</Typography.Text>;
                return (
                  <Space wrap>
                    {repairs.map((r) => (
                      <Button key={r.action} size="small" danger={r.action === 'reset'} onClick={() => setRepairing({ entry: e, action: r.action as RepairAction })}>
                        {t(`stuck.repair.${r.action}`)}
                      </Button>
                    ))}
                  </Space>
                );
              },
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
      {repairing && (
        <RepairDialog
          entry={repairing.entry}
          action={repairing.action}
          onClose={() => setRepairing(null)}
          onDone={(answer) => {
            const { entry, action } = repairing;
            setRepairing(null);
            if (answer) setReplay(answer);
            else void message.success(t('stuck.done', { action: t(`stuck.repair.${action}`), project: entry.name ?? entry.projectId }));
            void load();
          }}
        />
      )}
    </Card>
  );
}
