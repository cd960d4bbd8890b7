// Editing one post of the liaison directory: its people (1–20: name, e-mail, sign-in account, phone,
// webhook, notice language, which notices by which channel) and why. Sent as PUT /api/directory/posts/:post;
// a refusal shows the server's reason in the dialog and changes nothing.
import { Button, Card, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { NOTICE_KINDS, kindsToForm, personFromForm, postLabel, type NoticeKind, type Person } from '../directory-view';
import { ApiErrorAlert } from './ApiErrorAlert';

const MAX_PEOPLE = 20;

type FormPerson = Omit<Person, 'channels'> & { email_kinds?: (NoticeKind | 'none')[]; webhook_kinds?: (NoticeKind | 'none')[] };

export function PostDialog({ post, people, onSaved, onClose }: { post: string; people: Person[]; onSaved: (version: number) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ people: FormPerson[]; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = postLabel(post, t);
  const kindOptions = [{ value: 'none', label: t('directory.noKinds') }, ...NOTICE_KINDS.map((k) => ({ value: k, label: t(`inbox.kind.${k}`) }))];

  const save = async ({ people: edited, reason }: { people: FormPerson[]; reason: string }) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await unwrap(api.PUT('/api/directory/posts/{post}', { params: { path: { post } }, body: { people: edited.map(personFromForm), reason: reason.trim() } }));
      onSaved(answer.version);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open width={820} title={t('directory.editTitle', { post: label })} okText={t('common.submit')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ people: people.map(({ channels, ...p }) => ({ ...p, email_kinds: kindsToForm(channels?.email), webhook_kinds: kindsToForm(channels?.webhook) })), reason: '' }}
        onFinish={(values) => void save(values)}
      >
        <Form.List name="people">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" size="small" style={{ width: '100%' }}>
              {fields.map((field, i) => (
                <Card
                  key={field.key}
                  size="small"
                  title={t('directory.person', { n: i + 1 })}
                  extra={
                    fields.length > 1 && (
                      <Button size="small" danger onClick={() => remove(field.name)} aria-label={`${t('directory.removePerson')} ${i + 1}`}>
                        {t('directory.removePerson')}
                      </Button>
                    )
                  }
                >
                  <Space wrap align="start">
                    <Form.Item label={t('directory.name')} name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('directory.required') }]}>
                      <Input maxLength={100} style={{ width: 240 }} />
                    </Form.Item>
                    <Form.Item label={t('directory.email')} name={[field.name, 'email']} rules={[{ required: true, message: t('directory.required') }, { type: 'email', message: t('directory.emailInvalid') }]}>
                      <Input maxLength={254} style={{ width: 320 }} />
                    </Form.Item>
                    <Form.Item label={t('directory.principalId')} name={[field.name, 'principalId']}>
                      <Input maxLength={100} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item label={t('directory.phone')} name={[field.name, 'phone']}>
                      <Input maxLength={31} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item label={t('directory.webhook')} name={[field.name, 'webhook']}>
                      <Input maxLength={2000} style={{ width: 300 }} />
                    </Form.Item>
                    <Form.Item label={t('directory.language')} name={[field.name, 'language']}>
                      <Select
                        style={{ width: 120 }}
                        options={[
                          { value: 'zh', label: t('directory.languages.zh') },
                          { value: 'en', label: t('directory.languages.en') },
                        ]}
                      />
                    </Form.Item>
                    <Form.Item label={t('directory.emailKinds')} name={[field.name, 'email_kinds']}>
                      <Select mode="multiple" allowClear placeholder={t('directory.allKinds')} style={{ width: 300 }} options={kindOptions} />
                    </Form.Item>
                    <Form.Item label={t('directory.webhookKinds')} name={[field.name, 'webhook_kinds']}>
                      <Select mode="multiple" allowClear placeholder={t('directory.allKinds')} style={{ width: 300 }} options={kindOptions} />
                    </Form.Item>
                  </Space>
                </Card>
              ))}
              {fields.length < MAX_PEOPLE && <Button onClick={() => add({ language: 'zh' })}>{t('directory.addPerson')}</Button>}
            </Space>
          )}
        </Form.List>
        <Form.Item label={t('directory.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('directory.required') }]} style={{ marginTop: 16 }}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
      {error !== null && <ApiErrorAlert error={error} />}
    </Modal>
  );
}
