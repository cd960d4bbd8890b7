// The frame of every signed-in page: the role's menu, who is signed in (name, role, party), the language
// switch and sign-out. Without a session it sends the person to sign in.
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { menuOf } from '../menu';
import { useSession } from '../session';
import { LanguageSwitch } from './LanguageSwitch';

export function Shell() {
  const { t } = useTranslation();
  const { me, checking, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (checking) return <Spin fullscreen description={t('common.loading')} />;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  const menu = menuOf(me.role);
  const selected = menu.find((m) => location.pathname === m.path || location.pathname.startsWith(`${m.path}/`))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          {t('app.title')}
        </Typography.Title>
        <nav aria-label={t('app.title')} style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={selected ? [selected] : []}
            items={menu.map((m) => ({ key: m.path, label: t(m.label) }))}
            onClick={({ key }) => void navigate(key)}
          />
        </nav>
        <Space size="middle" style={{ color: '#fff' }} aria-label={t('me.signedInAs')}>
          <span data-testid="me-name">{me.name ?? me.id}</span>
          <Tag color="blue">{t(`role.${me.role}`)}</Tag>
          {me.party && <Tag color="geekblue">{t(`party.${me.party}`)}</Tag>}
          <LanguageSwitch />
          <Button
            onClick={() => {
              signOut();
              void navigate('/sign-in');
            }}
          >
            {t('nav.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}
