// The sign-off of one party on a stage: approve, reject (with its reason) or a correction listing every
// missing item at once (一次性告知). With a party named it is 代录: an admin records the decision that
// party sent in, with its document (依据) and why (原因). A refusal is shown in the dialog and changes
// nothing else.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Radio, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrapAction, type Party, type Project, type Stage } from '../api/client';
import { signOffBody, type SignOffValues as Values } from '../sign-off';
import { ApiErrorAlert } from './ApiErrorAlert';

export interface SignOffTarget {
  id: string;
  name: string;
  stage: Stage;
  /** 代录: the party whose decision an admin records; absent, the signed-in person signs for their own. */
  proxyFor?: Party;
}

export function SignOffDialog({ target, onClose, onSigned }: { target: SignOffTarget; onClose: () => void; onSigned: (project: Project) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const decision = Form.useWatch('decision', form);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { proxyFor } = target;

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const project = await unwrapAction(
        api.POST('/api/projects/{id}/stages/{stage}/sign-offs', {
          params: { path: { id: target.id, stage: target.stage } },
          body: signOffBody(values, proxyFor),
        }),
      );
      void message.success(proxyFor ? t('signOff.proxyDone', { party: t(`party.${proxyFor}`) }) : t('signOff.done'));
      onSigned(project);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={
        proxyFor
          ? t('signOff.proxyTitle', { party: t(`party.${proxyFor}`), project: target.name, stage: t(`stage.${target.stage}`) })
          : t('signOff.title', { project: target.name, stage: t(`stage.${target.stage}`) })
      }
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {proxyFor && <Alert type="info" showIcon title={t('signOff.proxyHint', { party: t(`party.${proxyFor}`) })} />}
        {error !== null && <ApiErrorAlert error={error} />}
        <Form<Values> form={form} layout="vertical" initialValues={{ decision: 'approve', items: [''] }} onFinish={submit}>
          <Form.Item label={t('signOff.decision')} name="decision">
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={(['approve', 'reject', 'correction'] as const).map((d) => ({ value: d, label: t(`decision.${d}`) }))}
            />
          </Form.Item>
          {decision === 'correction' && (
            <Form.List
              name="items"
              rules={[
                {
                  validator: async (_, items?: string[]) => {
                    if (!items || items.length === 0) throw new Error(t('signOff.itemsRequired'));
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <Form.Item label={t('signOff.items')} required>
                  {fields.map((field, index) => (
                    <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                      <Form.Item name={field.name} rules={[{ required: true, whitespace: true, message: t('signOff.itemRequired') }]} style={{ marginBottom: 8, width: 460 }}>
                        <Input aria-label={t('signOff.item', { n: index + 1 })} placeholder={t('signOff.item', { n: index + 1 })} maxLength={200} />
                      </Form.Item>
                      <Button aria-label={t('signOff.removeItem')} icon={<DeleteOutlined />} onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')}>
                    {t('signOff.addItem')}
                  </Button>
                  <Form.ErrorList errors={errors} />
                </Form.Item>
              )}
            </Form.List>
          )}
          <Form.Item
            label={t('signOff.comment')}
            name="comment"
            dependencies={['decision']}
            // Read from the form when validating: the watched value lags a render behind a change of decision.
            rules={[({ getFieldValue }) => ({ required: getFieldValue('decision') === 'reject', whitespace: true, message: t('signOff.commentRequired') })]}
          >
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          {proxyFor && (
            <>
              <Form.Item
                label={t('field.proxyReference')}
                name="reference"
                extra={t('signOff.proxyReferenceHelp')}
                rules={[{ required: true, whitespace: true, message: t('signOff.proxyReferenceRequired') }]}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item label={t('field.proxyReason')} name="reason" rules={[{ required: true, whitespace: true, message: t('signOff.proxyReasonRequired') }]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </>
          )}
        </Form>
      </Space>
    </Modal>
  );
}
