// Sign-in. A development service lists its identities (GET /dev/principals) to pick from; otherwise the
// person enters the access token they were given.
import { Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, unwrap, type DevIdentity } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { homeOf } from '../menu';
import { useSession } from '../session';

export function SignInPage() {
  const { t } = useTranslation();
  const { me, signIn } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  // undefined: still asking; null: not a development service.
  const [identities, setIdentities] = useState<DevIdentity[] | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    unwrap(api.GET('/dev/principals'))
      .then((answer) => setIdentities(answer.identities))
      .catch(() => setIdentities(null));
  }, []);

  if (me) return <Navigate to={from ?? homeOf(me.role)} replace />;

  const submit = async ({ token }: { token: string }) => {
    setBusy(true);
    setError(null);
    try {
      const who = await signIn(token.trim());
      void navigate(from ?? homeOf(who.role), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start', gap: 16 }}>
            <div>
              <Typography.Title level={2} style={{ margin: 0 }}>
                {t('app.title')}
              </Typography.Title>
              <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
            </div>
            <LanguageSwitch />
          </div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('signIn.title')}
          </Typography.Title>
          {error !== null && <ApiErrorAlert error={error} />}
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            {identities ? (
              <Form.Item label={t('signIn.identity')} name="token" extra={t('signIn.devHint')} rules={[{ required: true, message: t('signIn.choose') }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('signIn.choose')}
                  options={identities.map((i) => ({
                    value: i.token,
                    label: `${i.name ?? i.id} · ${t(`role.${i.role}`)}${i.party ? ` · ${t(`party.${i.party}`)}` : ''}`,
                  }))}
                />
              </Form.Item>
            ) : (
              <Form.Item label={t('signIn.token')} name="token" extra={t('signIn.tokenHint')} rules={[{ required: true, message: t('signIn.tokenHint') }]}>
                <Input.Password autoComplete="off" />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={busy || identities === undefined} block>
              {t('signIn.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </main>
  );
}
