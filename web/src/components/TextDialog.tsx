// A dialog asking for one text — a supplement's note, a withdrawal's reason — before an action is sent.
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from './ApiErrorAlert';

export function TextDialog({
  title,
  label,
  required = false,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  label: string;
  required?: boolean;
  busy: boolean;
  /** Why the last try was refused, shown in the dialog (which stays open, changing nothing). */
  error?: unknown;
  /** Sends the action; true when it was accepted (the dialog closes). */
  onSubmit: (text: string | undefined) => Promise<boolean>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text?: string }>();
  return (
    <Modal open title={title} okText={t('common.submit')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ text }) => {
          if (await onSubmit(text?.trim() || undefined)) onClose();
        }}
      >
        <Form.Item label={label} name="text" rules={[{ required, whitespace: true, message: t('register.required') }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
      {error !== undefined && error !== null && <ApiErrorAlert error={error} />}
    </Modal>
  );
}
