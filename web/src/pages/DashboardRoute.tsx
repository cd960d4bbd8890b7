// The leader's dashboard carries ECharts: its module is loaded when the page is first opened, so no
// other page downloads the charts.
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

const Dashboard = lazy(() => import('./Dashboard').then((m) => ({ default: m.Dashboard })));

export function DashboardRoute() {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<Spin description={t('common.loading')} />}>
      <Dashboard />
    </Suspense>
  );
}
