// 工作日历: a year's official schedule (holidays and 调休 working days) as the service counts with it, where
// it came from, a loud banner for each year that should be loaded by now and is not (this year, and from
// November next year too), and — for admins — loading a year's schedule after a preview.
import { Alert, App, Button, Card, Descriptions, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { wantedYears, workingDaysIn } from '../calendar-view';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { CalendarLoadDialog } from '../components/CalendarLoadDialog';
import { CalendarLegend, HolidayList, YearCalendar } from '../components/YearCalendar';
import { ZONE, dateTime } from '../format';
import { useSession } from '../session';

type CalendarYear = Schemas['CalendarYear'];
/** The years the service counts with (domain/calendar.ts: 2000-01-01 to 2099-12-31). */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/** A year's schedule, or null when the service has none (404). */
async function fetchYear(year: number): Promise<CalendarYear | null> {
  try {
    return await unwrap(api.GET('/api/calendar/{year}', { params: { path: { year } } }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function CalendarPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useSession();
  const today = dayjs().tz(ZONE).format('YYYY-MM-DD');
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  // undefined: loading; null: no schedule for the year.
  const [schedule, setSchedule] = useState<CalendarYear | null | undefined>(undefined);
  const [missing, setMissing] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    setSchedule(undefined);
    try {
      const [shown, ...wanted] = await Promise.all([fetchYear(year), ...wantedYears(today).map(fetchYear)]);
      setSchedule(shown ?? null);
      setMissing(wantedYears(today).filter((_, i) => wanted[i] === null));
    } catch (err) {
      setError(err);
    }
  }, [year, today]);
  useEffect(() => {
    void load();
  }, [load]);

  const admin = me?.role === 'admin';
  const years = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
  const propagation = schedule?.propagation;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {missing.map((y) => (
        <Alert
          key={y}
          type="error"
          showIcon
          role="alert"
          title={t('calendar.missingTitle', { year: y })}
          description={t('calendar.missingText', { year: y })}
          action={
            admin && (
              <Button
                danger
                onClick={() => {
                  if (y !== year) setSchedule(undefined);
                  setYear(y);
                  setLoading(true);
                }}
              >
                {t('calendar.load', { year: y })}
              </Button>
            )
          }
        />
      ))}
      <Card
        title={<Typography.Title level={3} style={{ margin: 0 }}>{t('calendar.title')}</Typography.Title>}
        extra={<Button onClick={() => void load()}>{t('common.refresh')}</Button>}
      >
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <Button disabled={year <= FIRST_YEAR} onClick={() => setYear(year - 1)}>
              {t('calendar.previous')}
            </Button>
            <Select showSearch aria-label={t('calendar.year')} style={{ width: 120 }} value={year} onChange={setYear} options={years.map((y) => ({ value: y, label: t('calendar.yearOption', { year: y }) }))} />
            <Button disabled={year >= LAST_YEAR} onClick={() => setYear(year + 1)}>
              {t('calendar.next')}
            </Button>
            {admin && schedule !== undefined && (
              <Button type="primary" onClick={() => setLoading(true)}>
                {t(schedule ? 'calendar.replace' : 'calendar.load', { year })}
              </Button>
            )}
          </Space>
          {error !== null && <ApiErrorAlert error={error} />}
          {schedule === null && !missing.includes(year) && <Alert type="warning" showIcon role="status" title={t('calendar.noSchedule', { year })} />}
          {schedule && (
            <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
              <Descriptions.Item label={t('calendar.source')}>
                {schedule.source === 'admin' ? t('calendar.sourceAdmin', { by: schedule.loadedBy ?? '—', at: dateTime(schedule.loadedAt) }) : t('calendar.sourceShipped')}
              </Descriptions.Item>
              <Descriptions.Item label={t('calendar.holidayCount')}>{t('calendar.days', { count: schedule.holidays.length })}</Descriptions.Item>
              <Descriptions.Item label={t('calendar.workdayCount')}>{t('calendar.days', { count: schedule.workdays.length })}</Descriptions.Item>
              <Descriptions.Item label={t('calendar.workingDays')}>{t('calendar.days', { count: workingDaysIn(year, schedule) })}</Descriptions.Item>
              {propagation && (
                <Descriptions.Item label={t('calendar.propagation')}>
                  {'jobId' in propagation
                    ? t('calendar.propagationProgress', { state: t(`calendar.propagationState.${propagation.state}`), completed: propagation.completed, total: propagation.total, failed: propagation.failed })
                    : t('calendar.propagationState.unknown')}
                </Descriptions.Item>
              )}
            </Descriptions>
          )}
          <CalendarLegend />
          {schedule !== undefined && <YearCalendar year={year} schedule={schedule} />}
        </Space>
      </Card>
      {schedule && (
        <Card title={<Typography.Title level={4} style={{ margin: 0 }}>{t('calendar.holidays')}</Typography.Title>}>
          <HolidayList schedule={schedule} />
        </Card>
      )}
      {loading && schedule !== undefined && (
        <CalendarLoadDialog
          year={year}
          current={schedule}
          onClose={() => setLoading(false)}
          onLoaded={(answer) => {
            setLoading(false);
            void message.success(t('calendar.loaded', { year: answer.year }));
            void load();
          }}
        />
      )}
    </Space>
  );
}
