// 审计日志: the admin's view of the audit log across projects (GET /api/audit), newest first: who did what,
// when, on which project, with what outcome; filtered on the server by account, action, project, outcome
// and Shanghai dates, a page at a time. "Verify the hash chain" asks the API to recompute the log's chain
// (GET /api/audit/verify) and shows whether it is intact.
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClearable, useSearchButton } from '../components/FieldButtons';
import { Link } from 'react-router';
import { AUDIT_ACTION_NAMES, AUDIT_OUTCOMES } from '../../../domain/audit-actions';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { auditDetail } from '../audit-detail';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { dateTime } from '../format';
import { useCursorList } from '../use-cursor-list';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type AuditPageAnswer = Json<paths['/api/audit']['get']['responses'][200]>;
type AuditEntry = AuditPageAnswer['entries'][number];
type Verification = Json<paths['/api/audit/verify']['get']['responses'][200]>;
type Filters = { actor?: string; action?: (typeof AUDIT_ACTION_NAMES)[number]; project?: string; outcome?: (typeof AUDIT_OUTCOMES)[number]; from?: string; to?: string };
const PAGE = 50;

export function AuditPage() {
  const { t } = useTranslation();
  const clearable = useClearable();
  const searchButton = useSearchButton();
  const [filters, setFilters] = useState<Filters>({});
  const [verification, setVerification] = useState<Verification | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);

  // Only the latest request's answer is shown (use-cursor-list.ts).
  const fetchPage = useCallback((cursor: string | undefined) => unwrap(api.GET('/api/audit', { params: { query: { ...filters, limit: PAGE, ...(cursor && { cursor }) } } })), [filters]);
  const { page, error, loading, reload: load, pageNumber, first, next } = useCursorList(fetchPage);

  const verify = async () => {
    setVerifying(true);
    setVerifyError(null);
    setVerification(null);
    try {
      setVerification(await unwrap(api.GET('/api/audit/verify')));
    } catch (err) {
      setVerifyError(err);
    } finally {
      setVerifying(false);
    }
  };

  const filter = (next: Partial<Filters>) => {
    setFilters((f) => {
      const merged: Filters = { ...f, ...next };
      for (const k of Object.keys(merged) as (keyof Filters)[]) if (merged[k] === undefined || merged[k] === '') delete merged[k];
      return merged;
    });
    first();
  };

  return (
    <Card
      title={<Typography.Title level={3} style={{ margin: 0 }}>{t('audit.title')}</Typography.Title>}
      extra={
        <Space>
          <Button loading={verifying} onClick={() => void verify()}>
            {t('audit.verify')}
          </Button>
          <Button onClick={() => void load()}>{t('common.refresh')}</Button>
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('audit.hint')}</Typography.Text>
        {verification && (
          <Alert
            type={verification.intact ? 'success' : 'error'}
            showIcon
            role="status"
            title={
              verification.intact
                ? t('audit.intact', { count: verification.checked, seq: verification.head?.seq ?? '—' })
                : t('audit.broken', { count: verification.checked, seq: verification.broken?.seq ?? '—', problem: verification.broken?.problem ?? '' })
            }
          />
        )}
        {verifyError !== null && <ApiErrorAlert error={verifyError} />}
        <Space wrap>
          <Input.Search enterButton={searchButton} allowClear={clearable} aria-label={t('audit.actor')} placeholder={t('audit.actor')} style={{ width: 200 }} onSearch={(v) => filter({ actor: v.trim() || undefined })} />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('audit.action')}
            placeholder={t('audit.action')}
            style={{ minWidth: 160 }}
            value={filters.action}
            onChange={(v: Filters['action']) => filter({ action: v })}
            options={AUDIT_ACTION_NAMES.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
          />
          <Input.Search enterButton={searchButton} allowClear={clearable} aria-label={t('audit.project')} placeholder={t('audit.project')} style={{ width: 320 }} onSearch={(v) => filter({ project: v.trim() || undefined })} />
          <Select
            allowClear
            aria-label={t('audit.outcome')}
            placeholder={t('audit.outcome')}
            style={{ minWidth: 140 }}
            value={filters.outcome}
            onChange={(v: Filters['outcome']) => filter({ outcome: v })}
            options={AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
          />
          <DatePicker.RangePicker
            aria-label={t('audit.dates')}
            placeholder={[t('audit.from'), t('audit.to')]}
            onChange={(range: [Dayjs | null, Dayjs | null] | null) =>
              filter({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })
            }
          />
        </Space>
        {error !== null && <ApiErrorAlert error={error} />}
        <Table<AuditEntry>
          rowKey="seq"
          loading={loading}
          dataSource={page?.entries ?? []}
          pagination={false}
          locale={{ emptyText: <Typography.Text type="secondary">{t('audit.empty')}</Typography.Text> }}
          columns={[
            { className: 'nowrap', title: t('audit.at'), dataIndex: 'at', render: (v: string) => dateTime(v), width: 150 },
            {
              title: t('audit.who'),
              key: 'who',
              render: (_, e) => (
                <Space orientation="vertical" size={0}>
                  <span className="nowrap">{e.principalName ?? e.principalId ?? '—'}</span>
                  {/* Broken between the role and the account, never inside one ("Administrato/r", "window-/01"). */}
                  {e.principalRole && (
                    <Typography.Text type="secondary">
                      <span className="nowrap">{t(`role.${e.principalRole}`, { defaultValue: e.principalRole })}</span>
                      {e.principalName && e.principalId ? (
                        <>
                          {' · '}
                          <span className="nowrap">{e.principalId}</span>
                        </>
                      ) : null}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('audit.what'),
              key: 'what',
              render: (_, e) => (
                <Space orientation="vertical" size={0}>
                  <span>{e.action ? t(`audit.actions.${e.action}`) : t('audit.other')}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.method} {e.path}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('audit.projectColumn'),
              key: 'project',
              render: (_, e) => (e.projectId ? <Link to={`/projects/${e.projectId}`}>{e.projectName ?? e.projectId}</Link> : '—'),
            },
            {
              title: t('audit.outcome'),
              dataIndex: 'outcome',
              render: (o: string, e) => <Tag color={o === 'accepted' ? 'success' : o === 'error' ? 'error' : 'warning'}>{`${t(`audit.outcomes.${o}`, { defaultValue: o })} · ${e.status}`}</Tag>,
            },
            {
              title: t('audit.detail'),
              key: 'detail',
              // In the reader's words; the server's own words, smaller, only where the console cannot say it all.
              render: (_, e) => {
                const { main, server } = auditDetail(e, t);
                return (
                  <Space orientation="vertical" size={0}>
                    {main && <span>{main}</span>}
                    {server && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {server}
                      </Typography.Text>
                    )}
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
    </Card>
  );
}
