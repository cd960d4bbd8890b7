// The console: language (ours, antd's and dayjs's together), the session, and the pages by address.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { PageErrorBoundary } from './components/PageErrorBoundary';
import { Shell } from './components/Shell';
import { NotFound } from './pages/NotFound';
import { SignInPage } from './pages/SignInPage';
import { SessionProvider, useSession } from './session';
import { homeOf } from './menu';

// Each page is its own chunk, loaded when first opened (the Shell shows a spinner meanwhile, and a page
// that fails to load, PageErrorBoundary's message): a clerk's browser never downloads the admin's pages
// or the dashboard's charts.
const CorrectionsQueue = lazy(() => import('./pages/CorrectionsQueue').then((m) => ({ default: m.CorrectionsQueue })));
const DoneList = lazy(() => import('./pages/DoneList').then((m) => ({ default: m.DoneList })));
const InboxPage = lazy(() => import('./pages/InboxPage').then((m) => ({ default: m.InboxPage })));
const IntakeList = lazy(() => import('./pages/IntakeList').then((m) => ({ default: m.IntakeList })));
const MyProjects = lazy(() => import('./pages/MyProjects').then((m) => ({ default: m.MyProjects })));
const ProjectPage = lazy(() => import('./pages/ProjectPage').then((m) => ({ default: m.ProjectPage })));
const RegisterPage = lazy(() => import('./pages/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const Worklist = lazy(() => import('./pages/Worklist').then((m) => ({ default: m.Worklist })));
const StuckPage = lazy(() => import('./pages/StuckPage').then((m) => ({ default: m.StuckPage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const CalendarPage = lazy(() => import('./pages/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const DirectoryPage = lazy(() => import('./pages/DirectoryPage').then((m) => ({ default: m.DirectoryPage })));
const CampaignsPage = lazy(() => import('./pages/CampaignsPage').then((m) => ({ default: m.CampaignsPage })));
const GreenChannelPage = lazy(() => import('./pages/GreenChannelPage').then((m) => ({ default: m.GreenChannelPage })));
const Dashboard = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.Dashboard })));

const FONT = "'Noto Sans SC', -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

// antd's default greys and status colours fall short of WCAG AA contrast (4.5:1) for small text, which
// GB/T 37668 asks of government sites: darker shades, checked by axe-core in the browser tests.
const THEME = {
  token: {
    fontFamily: FONT,
    colorPrimary: '#1f5fbf',
    colorPrimaryHover: '#174a96',
    colorInfo: '#1f5fbf',
    colorLink: '#1f5fbf',
    colorLinkHover: '#174a96',
    // Each status colour with its light background named too: derived from a darker seed, antd's
    // backgrounds come out grey-green and grey-brown.
    colorSuccess: '#2a7a0b',
    colorSuccessBg: '#f0f9eb',
    colorSuccessBorder: '#b7dfa0',
    colorWarning: '#9a5b00',
    colorWarningBg: '#fff7e6',
    colorWarningBorder: '#ffd591',
    colorError: '#c41d1d',
    colorErrorBg: '#fff1f0',
    colorErrorBorder: '#ffa39e',
    colorInfoBg: '#e8f0fb',
    colorInfoBorder: '#a9c4ec',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextDescription: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  },
};

function Home() {
  const { me } = useSession();
  return <Navigate to={me ? homeOf(me.role) : '/sign-in'} replace />;
}

function Pages() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<Shell />}>
        <Route index element={<Home />} />
        <Route path="/intake" element={<IntakeList />} />
        <Route path="/projects" element={<IntakeList />} />
        <Route path="/register" element={<RegisterPage />} />
        <Route path="/worklist" element={<Worklist />} />
        <Route path="/inbox" element={<InboxPage />} />
        <Route path="/mine" element={<MyProjects />} />
        <Route path="/projects/:id" element={<ProjectPage />} />
        <Route path="/admin/stuck" element={<StuckPage />} />
        <Route path="/admin/audit" element={<AuditPage />} />
        <Route path="/dashboard" element={<Dashboard />} />
        <Route path="/admin/calendar" element={<CalendarPage />} />
        <Route path="/admin/directory" element={<DirectoryPage />} />
        <Route path="/admin/green-channel" element={<GreenChannelPage />} />
        <Route path="/admin/campaigns" element={<CampaignsPage />} />
        <Route path="/corrections" element={<CorrectionsQueue />} />
        <Route path="/done" element={<DoneList />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

// A person who asked their system for less motion (prefers-reduced-motion) gets dialogs, menus and
// lists that appear and go at once, without antd's animations.
const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';
const subscribeMotion = (changed: () => void) => {
  const query = window.matchMedia(REDUCED_MOTION);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
};
const REDUCED_THEME = { ...THEME, token: { ...THEME.token, motion: false } };

export function App() {
  const { t, i18n } = useTranslation();
  const reducedMotion = useSyncExternalStore(subscribeMotion, () => window.matchMedia(REDUCED_MOTION).matches);
  const english = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
    document.title = t('app.title');
  }, [english, t]);
  return (
    // Buttons keep their words as written: antd would put a space between two Chinese characters (登 记),
    // which screen readers then read as two words.
    <ConfigProvider locale={english ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={reducedMotion ? REDUCED_THEME : THEME}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            {/* The last resort, for the sign-in page and the shell itself: each signed-in page has its own. */}
            <PageErrorBoundary>
              <Pages />
            </PageErrorBoundary>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
