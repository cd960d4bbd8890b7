// The frame of every signed-in page: the role's menu, who is signed in (name, role, party), the language
// switch and sign-out. Without a session it sends the person to sign in.
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { menuOf } from '../menu';
import { useSession } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { PageErrorBoundary } from './PageErrorBoundary';
import { useScrollableTables } from './scrollable-tables';

export function Shell() {
  const { t, i18n } = useTranslation();
  const { me, checking, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  useScrollableTables(t('common.table'));
  if (checking) return <Spin fullscreen description={t('common.loading')} />;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  const menu = menuOf(me.role);
  const selected = menu.find((m) => location.pathname === m.path || location.pathname.startsWith(`${m.path}/`))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* First on every page, shown when focused: past the header and the menu to the page itself.
          Focused by script (a #main address would be a route to the router). */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap', flex: 1 }}>
          {t('app.title')}
        </Typography.Title>
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
      <Layout>
        {/* A side menu: an admin's ten pages fit in either language, where a bar across the top ran out.
            English labels are longer: a wider menu, and an entry still too long wraps (styles.css) rather
            than being cut off. */}
        <Layout.Sider width={i18n.language === 'en' ? 200 : 176} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
          <nav aria-label={t('app.title')}>
            <Menu
              aria-label={t('nav.menu')}
              mode="inline"
              className="side-menu"
              selectedKeys={selected ? [selected] : []}
              items={menu.map((m) => ({ key: m.path, label: t(m.label) }))}
              onClick={({ key }) => void navigate(key)}
              style={{ borderInlineEnd: 'none' }}
            />
          </nav>
        </Layout.Sider>
        {/* antd renders the content as the page's <main>: one main landmark, not one inside another. */}
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 24, minWidth: 0 }}>
          <PageErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<Spin description={t('common.loading')} />}>
              <Outlet />
            </Suspense>
          </PageErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
