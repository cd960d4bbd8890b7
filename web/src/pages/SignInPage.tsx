// Sign-in. With an identity provider configured (GET /api/sign-in-options), at the provider; a development
// service lists its identities (GET /dev/principals) to pick from; otherwise the person enters the access
// token they were given.
import { Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap, type DevIdentity } from '../api/client';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { homeOf } from '../menu';
import { beginSignIn, finishSignIn, isReturn } from '../oidc';
import { useSession } from '../session';

/** A code is redeemed once: the provider refuses it the second time. */
let redeeming = false;

export function SignInPage() {
  const { t } = useTranslation();
  const { me, signIn } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  // undefined: still asking; null: not a development service.
  const [identities, setIdentities] = useState<DevIdentity[] | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<{ issuer: string; clientId: string } | null>(null);
  const [params, setParams] = useSearchParams();
  const returning = isReturn(params);

  useEffect(() => {
    unwrap(api.GET('/dev/principals'))
      .then((answer) => setIdentities(answer.identities))
      .catch(() => setIdentities(null));
    unwrap(api.GET('/api/sign-in-options'))
      .then((answer) => setOidc(answer.oidc))
      .catch(() => setOidc(null));
  }, []);

  // Back from the identity provider: redeem the code once, then go where the person was going.
  useEffect(() => {
    // Once per return, though React runs a first effect twice in development.
    if (!returning || redeeming) return;
    redeeming = true;
    const sent = new URLSearchParams(params);
    setParams({}, { replace: true });
    setBusy(true);
    finishSignIn(sent)
      .then(async ({ token, from: was }) => {
        const who = await signIn(token);
        void navigate(was ?? homeOf(who.role), { replace: true });
      })
      .catch((err: unknown) => setError(err))
      .finally(() => {
        redeeming = false;
        setBusy(false);
      });
    // Only the first render of a return carries its parameters.
  }, []);

  if (me) return <Navigate to={from ?? homeOf(me.role)} replace />;

  const atProvider = async () => {
    if (!oidc) return;
    setBusy(true);
    setError(null);
    try {
      await beginSignIn(oidc.issuer, oidc.clientId, from);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

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
          {oidc && (
            <Button type="primary" size="large" block loading={busy} onClick={() => void atProvider()}>
              {t('signIn.atProvider')}
            </Button>
          )}
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
            <Button type={oidc ? 'default' : 'primary'} htmlType="submit" loading={busy || identities === undefined} block>
              {t('signIn.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </main>
  );
}
