// One stage in detail: its clock (used / limit working days, paused days, deadline, light), each party's
// sign-off on the latest attempt, the corrections with their items, and the earlier attempts. An entry an
// admin recorded for a party (代录) says so, with the party's document and the reason; an admin sees 代录
// beside each party still pending.
import { Button, Collapse, Descriptions, List, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Party, Schemas, StageView } from '../api/client';
import { date, dateTime } from '../format';
import { proxyNote } from '../sign-off';
import { Light } from './Light';

type Attempt = Schemas['Attempt'];
type Correction = Schemas['Correction'];

interface PartyRow {
  party: Party;
  lead: boolean;
  signOff: Attempt['signOffs'][number] | undefined;
  correction: Correction | undefined;
}

/** Who recorded an entry; for 代录, marked so with the party's document and the reason beneath. */
function RecordedBy({ by, proxy }: { by: { id: string; name?: string }; proxy?: Attempt['signOffs'][number]['proxy'] }) {
  const { t } = useTranslation();
  if (!proxy) return <>{by.name ?? by.id}</>;
  return (
    <Space orientation="vertical" size={0}>
      <span>
        {by.name ?? by.id} <Tag color="purple">{t('project.proxy')}</Tag>
      </span>
      <Typography.Text type="secondary">{proxyNote(proxy, t)}</Typography.Text>
    </Space>
  );
}

/** The parties an admin may record for (代录), and what opens the dialog; only on the latest attempt. */
export interface ProxyAction {
  parties: Party[];
  open: (party: Party) => void;
}

function PartyTable({ stage, attempt, proxy }: { stage: StageView; attempt: Attempt; proxy?: ProxyAction }) {
  const { t } = useTranslation();
  const recordable = proxy && proxy.parties.length > 0 ? proxy : undefined;
  const rows: PartyRow[] = stage.parties.map((party) => ({
    party,
    lead: party === stage.lead,
    signOff: attempt.signOffs.find((s) => s.party === party),
    correction: [...attempt.corrections].reverse().find((c) => c.party === party),
  }));
  return (
    <Table<PartyRow>
      rowKey="party"
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          className: 'nowrap',
          title: t('project.party'),
          key: 'party',
          render: (_, r) => (
            <Space>
              {t(`party.${r.party}`)}
              {r.lead && <Tag>{t('project.lead')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('project.decision'),
          key: 'decision',
          render: (_, r) =>
            r.signOff ? (
              <Tag color={r.signOff.decision === 'approve' ? 'success' : 'error'}>{t(`decision.${r.signOff.decision}`)}</Tag>
            ) : r.correction && !r.correction.supplementedAt ? (
              <Tag color="warning">{t('project.correctionOpen')}</Tag>
            ) : (
              <Tag>{t('project.pendingSign')}</Tag>
            ),
        },
        {
          title: t('project.by'),
          key: 'by',
          render: (_, r) => (r.signOff ? <RecordedBy by={r.signOff.by} proxy={r.signOff.proxy} /> : ''),
        },
        { className: 'nowrap', title: t('project.at'), key: 'at', render: (_, r) => dateTime(r.signOff?.at) },
        { title: t('project.comment'), key: 'comment', render: (_, r) => r.signOff?.comment ?? '' },
        ...(recordable
          ? [
              {
                className: 'nowrap',
                title: t('project.actions'),
                key: 'actions',
                render: (_: unknown, r: PartyRow) =>
                  recordable.parties.includes(r.party) && (
                    <Button size="small" aria-label={t('project.proxyActionLabel', { party: t(`party.${r.party}`) })} onClick={() => recordable.open(r.party)}>
                      {t('project.proxyAction')}
                    </Button>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}

function Corrections({ corrections }: { corrections: Correction[] }) {
  const { t } = useTranslation();
  if (corrections.length === 0) return null;
  return (
    <List
      header={<Typography.Text strong>{t('project.corrections')}</Typography.Text>}
      bordered
      dataSource={corrections}
      renderItem={(c) => (
        <List.Item>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{t(`party.${c.party}`)}</Typography.Text>
              <Tag color={c.supplementedAt ? 'success' : 'warning'}>{c.supplementedAt ? t('project.correctionDone') : t('project.correctionOpen')}</Tag>
              <span>
                {c.requestedBy.name ?? c.requestedBy.id} · {dateTime(c.requestedAt)}
              </span>
              {c.proxy && <Tag color="purple">{t('project.proxy')}</Tag>}
            </Space>
            {c.proxy && <Typography.Text type="secondary">{proxyNote(c.proxy, t)}</Typography.Text>}
            <ol style={{ margin: 0 }}>
              {c.items.map((item, i) => (
                <li key={i}>{item}</li>
              ))}
            </ol>
            {c.comment && <Typography.Text type="secondary">{c.comment}</Typography.Text>}
            {c.supplementedAt && (
              <Typography.Text type="secondary">
                {t('project.supplemented', { by: c.supplementedBy?.name ?? c.supplementedBy?.id, at: dateTime(c.supplementedAt) })}
                {c.supplementNote ? ` · ${c.supplementNote}` : ''}
              </Typography.Text>
            )}
          </Space>
        </List.Item>
      )}
    />
  );
}

export function StageDetail({ stage, actions, proxy }: { stage: StageView; actions?: ReactNode; proxy?: ProxyAction }) {
  const { t } = useTranslation();
  const latest = stage.attempts[stage.attempts.length - 1];
  const earlier = stage.attempts.slice(0, -1).reverse();
  const clock = stage.clock;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', marginTop: 24 }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(`stage.${stage.stage}`)} · {t(`stageStatus.${stage.status}`)}
          {latest && <Typography.Text type="secondary"> · {t('project.attempt', { n: latest.number })}</Typography.Text>}
        </Typography.Title>
        {actions}
      </Space>
      {clock ? (
        <Descriptions size="small" bordered column={{ xs: 1, md: 3, xl: 5 }}>
          <Descriptions.Item label={t('clockLabel.light')}>
            <Light clock={clock} />
          </Descriptions.Item>
          <Descriptions.Item label={t('clockLabel.used')}>
            {clock.usedDays} / {t('common.workingDays', { count: clock.limitDays })}
          </Descriptions.Item>
          <Descriptions.Item label={t('clockLabel.paused')}>{t('common.workingDays', { count: clock.pausedDays })}</Descriptions.Item>
          <Descriptions.Item label={t('clockLabel.accepted')}>
            <span className="nowrap">{date(clock.acceptedOn)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('clockLabel.deadline')}>
            <span className="nowrap">{date(clock.deadline)}</span>
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Text type="secondary">{t('project.noClock')}</Typography.Text>
      )}
      {latest && <PartyTable stage={stage} attempt={latest} proxy={proxy} />}
      {latest && <Corrections corrections={latest.corrections} />}
      {earlier.length > 0 && (
        <Collapse
          items={earlier.map((a) => ({
            key: a.number,
            label: `${t('project.attempt', { n: a.number })} · ${t(`stageStatus.${a.outcome === 'open' ? 'under-review' : a.outcome}`)} · ${dateTime(a.submittedAt)}`,
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <PartyTable stage={stage} attempt={a} />
                <Corrections corrections={a.corrections} />
              </Space>
            ),
          }))}
        />
      )}
    </Space>
  );
}
