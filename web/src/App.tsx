// The console: language (ours, antd's and dayjs's together), the session, and the pages by address.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Shell } from './components/Shell';
import { IntakeList } from './pages/IntakeList';
import { NotFound } from './pages/NotFound';
import { ProjectPage } from './pages/ProjectPage';
import { RegisterPage } from './pages/RegisterPage';
import { SignInPage } from './pages/SignInPage';
import { Worklist } from './pages/Worklist';
import { SessionProvider, useSession } from './session';
import { homeOf } from './menu';

const FONT = "'Noto Sans SC', -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

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
        <Route path="/projects/:id" element={<ProjectPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
    document.title = t('app.title');
  }, [english, t]);
  return (
    // Buttons keep their words as written: antd would put a space between two Chinese characters (登 记),
    // which screen readers then read as two words.
    <ConfigProvider locale={english ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: { fontFamily: FONT, colorPrimary: '#1f5fbf' } }}>
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Pages />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
