// 费用减免 on a project page: the fee items its category waives or reduces (from the district's catalogue),
// each with its legal basis, the assessed and waived amounts and who entered them. A reviewer of the
// collecting department enters (or corrects) its item's assessed amount here; the API computes the waiver.
import { Button, Form, InputNumber, Input, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { dateTime } from '../format';
import { useSession } from '../session';
import { ApiErrorAlert } from './ApiErrorAlert';

type Waiver = Schemas['FeeWaiver'];

export const yuan = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

export function WaiversPanel({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [items, setItems] = useState<Waiver[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [assessing, setAssessing] = useState<Waiver | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ amount: number; note?: string }>();

  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await unwrap(api.GET('/api/projects/{id}/waivers', { params: { path: { id } } }))).items);
    } catch (err) {
      setError(err);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async ({ amount, note }: { amount: number; note?: string }) => {
    if (!assessing) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.PUT('/api/projects/{id}/waivers/{item}/assessment', { params: { path: { id, item: assessing.item } }, body: { amount, ...(note && { note }) } }));
      setAssessing(null);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (items === null && error === null) return <Spin />;
  const en = i18n.language.startsWith('en');
  const rule = (w: Waiver) =>
    w.rule.kind === 'exempt' ? t('waivers.exempt') : 'rate' in w.rule && w.rule.rate !== null ? t('waivers.reducedBy', { rate: Math.round(w.rule.rate * 1000) / 10 }) : t('waivers.rateUnset');
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {error !== null && <ApiErrorAlert error={error} />}
      <Table<Waiver>
        aria-label={t('waivers.title')}
        rowKey="item"
        size="small"
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: t('waivers.none') }}
        expandable={{ expandedRowRender: (w) => <Typography.Paragraph style={{ margin: 0 }}>{w.basis}<br /><Typography.Text type="secondary">{w.source}</Typography.Text></Typography.Paragraph> }}
        columns={[
          { title: t('waivers.item'), key: 'item', render: (_, w) => (w.name ? (en ? w.name.en : w.name.zh) : w.item) },
          { title: t('waivers.department'), dataIndex: 'department', render: (v: string) => t(`party.${v}`) },
          { title: t('waivers.rule'), key: 'rule', render: (_, w) => <Tag>{rule(w)}</Tag> },
          { title: t('waivers.assessed'), dataIndex: 'assessedAmount', render: (v: number | null) => yuan(v) },
          { title: t('waivers.waived'), dataIndex: 'waivedAmount', render: (v: number | null, w) => (v === null && w.assessedAmount !== null ? t('waivers.rateUnset') : yuan(v)) },
          { title: t('waivers.assessedBy'), key: 'by', render: (_, w) => (w.assessedBy ? `${w.assessedBy} · ${dateTime(w.assessedAt)}` : '—') },
          {
            title: '',
            key: 'act',
            render: (_, w) =>
              me?.role === 'reviewer' && me.party === w.department && (
                <Button size="small" onClick={() => { form.setFieldsValue({ amount: w.assessedAmount ?? undefined, note: w.note ?? undefined }); setAssessing(w); }}>
                  {t('waivers.assess')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        title={t('waivers.assess')}
        open={assessing !== null}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        onCancel={() => setAssessing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          <Form.Item name="amount" label={t('waivers.amount')} rules={[{ required: true }]}>
            <InputNumber<number> min={0} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="note" label={t('waivers.note')}>
            <Input maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
