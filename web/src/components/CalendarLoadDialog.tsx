// Loading a year's State Council schedule: the admin pastes the notice's text (read by the service:
// POST /api/calendar/:year/notice with preview), or enters the dates, or pastes JSON; sees what would
// change against the schedule in use, and the year as it would be counted; and confirms. Only then is
// the year loaded (the notice again, so the service checks it as it stores it, or PUT /api/calendar/:year).
import { Alert, Button, Descriptions, Form, Input, Modal, Segmented, Space, Steps, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { isDate, parseDates, parseScheduleJson, runs, scheduleChange, unchanged, type Schedule, type ScheduleChange } from '../calendar-view';
import { ApiErrorAlert } from './ApiErrorAlert';
import { YearCalendar } from './YearCalendar';

type CalendarYear = Schemas['CalendarYear'];
type Mode = 'notice' | 'dates' | 'json';
type Festival = { name: string; holidays: string[]; workdays: string[] };

/** Dates as ranges for reading and editing: 2027-10-01~2027-10-07, 2027-10-10. */
export const asRanges = (dates: string[]): string => runs(dates).map(([from, to]) => (from === to ? from : `${from}~${to}`)).join(', ');

export function CalendarLoadDialog({ year, current, onLoaded, onClose }: { year: number; current: CalendarYear | null; onLoaded: (answer: CalendarYear) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<Mode>('notice');
  const [text, setText] = useState('');
  // The notice as the service read it: its festivals, shown beside the change.
  const [festivals, setFestivals] = useState<Festival[] | null>(null);
  const [holidays, setHolidays] = useState(() => asRanges(current?.holidays ?? []));
  const [workdays, setWorkdays] = useState(() => asRanges(current?.workdays ?? []));
  const [json, setJson] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [next, setNext] = useState<Schedule | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const change: ScheduleChange | null = useMemo(() => (next ? scheduleChange(year, current, next) : null), [next, year, current]);

  const preview = async () => {
    setProblem(null);
    setError(null);
    setFestivals(null);
    if (mode === 'notice') {
      if (!text.trim()) return setProblem(t('calendar.noticeEmpty'));
      setBusy(true);
      try {
        const read = await unwrap(api.POST('/api/calendar/{year}/notice', { params: { path: { year } }, body: { text, preview: true } }));
        // A preview answers 200 with the schedule read; only a load answers 202.
        if (!('schedule' in read)) throw new Error('the service loaded the year instead of previewing it');
        setFestivals(read.notice.festivals);
        setNext({ holidays: read.schedule.holidays, workdays: read.schedule.workdays });
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
      return;
    }
    if (mode === 'json') {
      const parsed = parseScheduleJson(json);
      if (typeof parsed === 'string') return setProblem(parsed);
      const bad = [...parsed.holidays, ...parsed.workdays].filter((d) => !isDate(d) || !d.startsWith(`${year}-`));
      if (bad.length > 0) return setProblem(t('calendar.notDates', { year, pieces: bad.join(', ') }));
      return setNext({ holidays: [...new Set(parsed.holidays)].sort(), workdays: [...new Set(parsed.workdays)].sort() });
    }
    const off = parseDates(holidays, year);
    const on = parseDates(workdays, year);
    const bad = [...off.problems, ...on.problems];
    if (bad.length > 0) return setProblem(t('calendar.notDates', { year, pieces: bad.join(', ') }));
    setNext({ holidays: off.dates, workdays: on.dates });
  };

  const confirm = async () => {
    if (!next) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'notice') {
        const loaded = await unwrap(api.POST('/api/calendar/{year}/notice', { params: { path: { year } }, body: { text } }));
        if ('schedule' in loaded) throw new Error('the service previewed the year instead of loading it');
        onLoaded({ year, holidays: loaded.holidays, workdays: loaded.workdays, source: 'admin' });
      } else {
        onLoaded(await unwrap(api.PUT('/api/calendar/{year}', { params: { path: { year } }, body: next })));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const list = (dates: string[]) => (dates.length ? asRanges(dates) : t('common.none'));
  const source = current ? (current.source === 'admin' ? t('calendar.sourceAdmin', { by: current.loadedBy ?? '—', at: current.loadedAt ?? '—' }) : t('calendar.sourceShipped')) : null;

  return (
    <Modal
      open
      width={760}
      title={t('calendar.loadTitle', { year })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        change ? (
          <Space>
            <Button onClick={() => setNext(null)}>{t('calendar.back')}</Button>
            <Button type="primary" danger loading={busy} disabled={unchanged(change)} onClick={() => void confirm()}>
              {t('calendar.confirm')}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => void preview()}>
              {t('calendar.preview')}
            </Button>
          </Space>
        )
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Steps size="small" current={change ? 1 : 0} items={[{ title: t('calendar.stepEnter') }, { title: t('calendar.stepPreview') }]} />
        {!change && (
          <Form layout="vertical">
            <Form.Item label={t('calendar.mode')}>
              <Segmented<Mode>
                value={mode}
                onChange={setMode}
                options={[
                  { value: 'notice', label: t('calendar.modeNotice') },
                  { value: 'dates', label: t('calendar.modeDates') },
                  { value: 'json', label: t('calendar.modeJson') },
                ]}
              />
            </Form.Item>
            {mode === 'notice' ? (
              <Form.Item label={t('calendar.noticeField', { year })} htmlFor="calendar-notice" extra={t('calendar.noticeHelp', { year })}>
                <Input.TextArea id="calendar-notice" rows={10} value={text} onChange={(e) => setText(e.target.value)} />
              </Form.Item>
            ) : mode === 'dates' ? (
              <>
                <Form.Item label={t('calendar.holidaysField')} htmlFor="calendar-holidays" extra={t('calendar.datesHelp', { year })}>
                  <Input.TextArea id="calendar-holidays" rows={4} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
                </Form.Item>
                <Form.Item label={t('calendar.workdaysField')} htmlFor="calendar-workdays">
                  <Input.TextArea id="calendar-workdays" rows={2} value={workdays} onChange={(e) => setWorkdays(e.target.value)} />
                </Form.Item>
              </>
            ) : (
              <Form.Item label={t('calendar.jsonField')} htmlFor="calendar-json">
                <Input.TextArea id="calendar-json" rows={8} value={json} onChange={(e) => setJson(e.target.value)} />
              </Form.Item>
            )}
            {problem && <Alert type="error" showIcon role="alert" title={problem} />}
            {error !== null && <ApiErrorAlert error={error} />}
          </Form>
        )}
        {change && (
          <>
            {unchanged(change) ? (
              <Alert type="info" showIcon role="status" title={t('calendar.unchanged')} />
            ) : (
              <Descriptions bordered size="small" column={1} aria-label={t('calendar.stepPreview')}>
                <Descriptions.Item label={t('calendar.addedHolidays')}>{list(change.addedHolidays)}</Descriptions.Item>
                <Descriptions.Item label={t('calendar.removedHolidays')}>{list(change.removedHolidays)}</Descriptions.Item>
                <Descriptions.Item label={t('calendar.addedWorkdays')}>{list(change.addedWorkdays)}</Descriptions.Item>
                <Descriptions.Item label={t('calendar.removedWorkdays')}>{list(change.removedWorkdays)}</Descriptions.Item>
              </Descriptions>
            )}
            <Typography.Paragraph strong>{t('calendar.workingDaysChange', { before: change.workingDaysBefore, after: change.workingDaysAfter })}</Typography.Paragraph>
            {change.workdaysOnWeekdays.length > 0 && <Alert type="warning" showIcon role="status" title={t('calendar.workdaysOnWeekdays', { dates: change.workdaysOnWeekdays.join(', ') })} />}
            {change.holidaysOnWeekends.length > 0 && <Alert type="info" showIcon role="status" title={t('calendar.holidaysOnWeekends', { dates: change.holidaysOnWeekends.join(', ') })} />}
            {festivals && (
              <Descriptions bordered size="small" column={1} title={t('calendar.noticeRead')}>
                {festivals.map((f) => (
                  <Descriptions.Item key={f.name} label={f.name}>
                    {t('calendar.noticeFestival', { holidays: list(f.holidays), workdays: list(f.workdays) })}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
            {source && <Typography.Paragraph>{t('calendar.replaces', { source })}</Typography.Paragraph>}
            {error !== null && <ApiErrorAlert error={error} />}
            {next && <YearCalendar year={year} schedule={next} />}
          </>
        )}
      </Space>
    </Modal>
  );
}
