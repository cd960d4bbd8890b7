// One stage in detail: its clock (used / limit working days, paused days, deadline, light), each party's
// sign-off on the latest attempt, the corrections with their items, and the earlier attempts.
import { Collapse, Descriptions, List, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Party, Schemas, StageView } from '../api/client';
import { date, dateTime } from '../format';
import { Light } from './Light';

type Attempt = Schemas['Attempt'];
type Correction = Schemas['Correction'];

interface PartyRow {
  party: Party;
  lead: boolean;
  signOff: Attempt['signOffs'][number] | undefined;
  correction: Correction | undefined;
}

function PartyTable({ stage, attempt }: { stage: StageView; attempt: Attempt }) {
  const { t } = useTranslation();
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
          render: (_, r) => {
            const by = r.signOff?.by;
            return by ? `${by.name ?? by.id}${r.signOff?.proxy ? ` (${t('project.proxy')} ${r.signOff.proxy.reference})` : ''}` : '';
          },
        },
        { className: 'nowrap', title: t('project.at'), key: 'at', render: (_, r) => dateTime(r.signOff?.at) },
        { title: t('project.comment'), key: 'comment', render: (_, r) => r.signOff?.comment ?? '' },
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
            </Space>
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

export function StageDetail({ stage, actions }: { stage: StageView; actions?: ReactNode }) {
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
      {latest && <PartyTable stage={stage} attempt={latest} />}
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
