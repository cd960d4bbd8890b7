// 受理登记: the window registers a project. The credit code is checked as it is typed; the category's
// rules and the parties each stage will need are shown before submitting. Once registered, the design
// stage's application is one click away.
import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Form, Input, Result, Row, Select, Space, Switch, Tag, Typography, type GetProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { planFor } from '../../../domain/process';
import { api, unwrap, type Registration } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { AgentInput } from '../components/Agents';
import { CATEGORIES, LOCALITIES, STAGES, UTILITIES } from '../codes';
import { usccProblem } from '../uscc';

/** The utility companies as a labelled group of checkboxes. The form marks its control aria-required,
 *  which ARIA does not allow on a group: the label's mark and the message say it instead. */
function UtilityChoice({ 'aria-required': _required, ...props }: GetProps<typeof Checkbox.Group> & { 'aria-required'?: unknown }) {
  return <Checkbox.Group role="group" aria-labelledby="utilities-label" {...props} />;
}

type Values = Omit<Registration, 'applicant' | 'major'> & { applicantName: string; uscc: string; major: boolean };

export function RegisterPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const category = Form.useWatch('category', form) ?? 'general';
  const utilities = Form.useWatch('utilities', form) ?? [];
  const uscc = Form.useWatch('uscc', form) ?? '';
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [registered, setRegistered] = useState<{ id: string; name: string } | null>(null);
  const [designOpened, setDesignOpened] = useState(false);

  const usccMessage = (value: string): string | null => {
    const problem = usccProblem(value);
    if (!problem) return null;
    if (problem.kind === 'length') return t('register.usccLength', { length: problem.length });
    if (problem.kind === 'char') return t('register.usccChar', { char: problem.char });
    return t('register.usccCheck', { expected: problem.expected, actual: problem.actual });
  };

  const submit = async ({ applicantName, uscc: code, agent, ...rest }: Values) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await unwrap(
        api.POST('/api/projects', {
          body: { ...rest, name: rest.name.trim(), applicant: { name: applicantName.trim(), uscc: code.trim().toUpperCase() }, ...(agent?.trim() && { agent: agent.trim() }) },
        }),
      );
      setRegistered({ id: answer.id, name: rest.name.trim() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const openDesign = async (id: string) => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/projects/{id}/stages/{stage}/application', { params: { path: { id, stage: 'design' } }, body: {} }));
      setDesignOpened(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (registered) {
    return (
      <Card>
        <Result
          status="success"
          title={t('register.done', { name: registered.name })}
          subTitle={`${t('project.id')}: ${registered.id}`}
          extra={
            <Space orientation="vertical" align="center">
              {error !== null && <ApiErrorAlert error={error} />}
              {designOpened && <Alert type="success" showIcon title={t('register.designOpened')} />}
              <Space wrap>
                {!designOpened && (
                  <Button type="primary" loading={busy} onClick={() => void openDesign(registered.id)}>
                    {t('register.openDesign')}
                  </Button>
                )}
                <Link to={`/projects/${registered.id}`}>
                  <Button type={designOpened ? 'primary' : 'default'}>{t('register.viewProject')}</Button>
                </Link>
                <Button
                  onClick={() => {
                    form.resetFields();
                    setRegistered(null);
                    setDesignOpened(false);
                    setError(null);
                  }}
                >
                  {t('register.another')}
                </Button>
              </Space>
            </Space>
          }
        />
      </Card>
    );
  }

  const plan = planFor({ category, utilities });
  const rule = category === 'industrial' ? t('register.industrialRule') : category === 'small' ? t('register.smallRule') : t('register.generalRule');
  const usccOk = uscc.trim() !== '' && usccMessage(uscc) === null;

  return (
    <Card title={<Typography.Title level={3} style={{ margin: 0 }}>{t('register.title')}</Typography.Title>}>
      <Row gutter={32}>
        <Col xs={24} lg={14}>
          {error !== null && (
            <div style={{ marginBottom: 16 }}>
              <ApiErrorAlert error={error} />
            </div>
          )}
          <Form<Values> form={form} layout="vertical" initialValues={{ category: 'general', major: false, utilities: [] }} onFinish={submit}>
            <Form.Item label={t('register.name')} name="name" rules={[{ required: true, whitespace: true, message: t('register.required') }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item label={t('register.applicantName')} name="applicantName" rules={[{ required: true, whitespace: true, message: t('register.required') }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              label={t('register.uscc')}
              name="uscc"
              validateTrigger={['onChange', 'onBlur']}
              extra={usccOk ? <Typography.Text type="success"><CheckCircleOutlined /> {t('register.usccValid')}</Typography.Text> : t('register.usccHelp')}
              rules={[
                { required: true, message: t('register.required') },
                {
                  validator: async (_, value?: string) => {
                    const problem = value ? usccMessage(value) : null;
                    if (problem) throw new Error(problem);
                  },
                },
              ]}
            >
              <Input maxLength={18} style={{ fontFamily: 'monospace', textTransform: 'uppercase' }} />
            </Form.Item>
            <Form.Item label={t('register.category')} name="category" rules={[{ required: true }]}>
              <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))} />
            </Form.Item>
            <Form.Item label={t('register.locality')} name="locality" rules={[{ required: true, message: t('register.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={LOCALITIES.map((l) => ({ value: l, label: t(`locality.${l}`) }))} />
            </Form.Item>
            <Form.Item label={<span id="utilities-label">{t('register.utilities')}</span>} name="utilities" rules={[{ required: true, type: 'array', min: 1, message: t('register.utilitiesRequired') }]}>
              <UtilityChoice options={UTILITIES.map((u) => ({ value: u, label: t(`party.${u}`) }))} />
            </Form.Item>
            <Form.Item label={t('register.major')} name="major" valuePropName="checked" extra={t('register.majorHelp')}>
              <Switch />
            </Form.Item>
            <Form.Item label={t('register.agent')} name="agent" dependencies={['major']} rules={[({ getFieldValue }) => ({ required: getFieldValue('major') === true, whitespace: true, message: t('register.agentRequired') })]}>
              <AgentInput placeholder={t('register.agentSearch')} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('register.submit')}
            </Button>
          </Form>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Alert type="info" showIcon title={t('register.rules')} description={rule} />
            <Descriptions title={t('register.plan')} column={1} bordered size="small">
              {STAGES.map((stage) => (
                <Descriptions.Item key={stage} label={t(`stage.${stage}`)}>
                  {plan[stage].parties.length === 0
                    ? t('common.none')
                    : plan[stage].parties.map((p) => (
                        <Tag key={p} style={{ marginBottom: 4 }}>
                          {t(`party.${p}`)}
                        </Tag>
                      ))}
                </Descriptions.Item>
              ))}
            </Descriptions>
          </Space>
        </Col>
      </Row>
    </Card>
  );
}
