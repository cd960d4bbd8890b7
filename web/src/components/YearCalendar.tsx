// A year at a glance: twelve month tables, each day marked 休 (holiday) or 班 (adjusted working day) in
// text as well as colour, weekends greyed, and a legend; the holidays as a list beside it.
import { Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { isWeekend, monthWeeks, runs } from '../calendar-view';

type CalendarYear = Schemas['CalendarYear'];

function Mark({ kind }: { kind: 'holiday' | 'workday' | 'weekend' }) {
  const { t } = useTranslation();
  if (kind === 'weekend') return <span className="cal-mark cal-mark-weekend">{t('calendar.weekdays').split(',')[5]}</span>;
  return <span className={`cal-mark cal-mark-${kind}`}>{t(kind === 'holiday' ? 'calendar.markHoliday' : 'calendar.markWorkday')}</span>;
}

export function CalendarLegend() {
  const { t } = useTranslation();
  return (
    <Space wrap size="large" aria-label={t('calendar.legend')} role="group">
      <Typography.Text strong>{t('calendar.legend')}</Typography.Text>
      <span>
        <Mark kind="holiday" /> {t('calendar.legendHoliday')}
      </span>
      <span>
        <Mark kind="workday" /> {t('calendar.legendWorkday')}
      </span>
      <span>
        <Mark kind="weekend" /> {t('calendar.legendWeekend')}
      </span>
    </Space>
  );
}

export function YearCalendar({ year, schedule }: { year: number; schedule: Pick<CalendarYear, 'holidays' | 'workdays' | 'names'> | null }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const off = new Set(schedule?.holidays);
  const on = new Set(schedule?.workdays);
  const short = t('calendar.weekdays').split(',');
  const long = t('calendar.weekdayNames').split(',');
  const nameOf = (d: string) => {
    const n = schedule?.names?.[d];
    return n ? (english ? n.en : n.zh) : undefined;
  };
  return (
    <div className="cal-year">
      {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => (
        <table key={month} className="cal-month">
          <caption>{t('calendar.month', { year, month })}</caption>
          <thead>
            <tr>
              {short.map((d, i) => (
                <th key={d} scope="col">
                  <abbr title={long[i]}>{d}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {monthWeeks(year, month).map((week, w) => (
              <tr key={w}>
                {week.map((d, i) => {
                  if (!d) return <td key={i} />;
                  const kind = on.has(d) ? 'workday' : off.has(d) ? 'holiday' : isWeekend(d) ? 'weekend' : 'normal';
                  const name = nameOf(d);
                  return (
                    <td key={d} className={`cal-day cal-${kind}`} title={[d, name, kind === 'holiday' ? t('calendar.legendHoliday') : kind === 'workday' ? t('calendar.legendWorkday') : ''].filter(Boolean).join(' ')}>
                      {Number(d.slice(8))}
                      {(kind === 'holiday' || kind === 'workday') && (
                        <>
                          {' '}
                          <Mark kind={kind} />
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

interface HolidayRow {
  key: string;
  name: string;
  off: [string, string][];
  work: string[];
}

/** The year's holidays by name (the shipped schedules name them; a loaded one is listed run by run). */
export function HolidayList({ schedule }: { schedule: Pick<CalendarYear, 'holidays' | 'workdays' | 'names'> }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const nameOf = (d: string) => {
    const n = schedule.names?.[d];
    return n ? (english ? n.en : n.zh) : undefined;
  };
  const rows: HolidayRow[] = [];
  for (const run of runs(schedule.holidays)) {
    const name = nameOf(run[0]);
    const same = name === undefined ? undefined : rows.find((r) => r.name === name);
    if (same) same.off.push(run);
    else rows.push({ key: run[0], name: name ?? t('calendar.unnamed'), off: [run], work: [] });
  }
  const other: string[] = [];
  for (const d of [...schedule.workdays].sort()) {
    const name = nameOf(d);
    const row = name === undefined ? undefined : rows.find((r) => r.name === name);
    if (row) row.work.push(d);
    else other.push(d);
  }
  if (other.length > 0) rows.push({ key: 'other', name: t('calendar.otherWorkdays'), off: [], work: other });
  const span = ([from, to]: [string, string]) => (from === to ? from : t('calendar.range', { from, to }));
  const count = (r: HolidayRow) => r.off.reduce((n, [from, to]) => n + (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1, 0);
  return (
    <Table<HolidayRow>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t('calendar.festival'), dataIndex: 'name' },
        { title: t('calendar.off'), key: 'off', render: (_, r) => (r.off.length ? `${r.off.map(span).join(t('separator.list'))} · ${t('calendar.days', { count: count(r) })}` : '—') },
        { title: t('calendar.workdays'), key: 'work', render: (_, r) => (r.work.length ? r.work.join(t('separator.list')) : '—') },
      ]}
    />
  );
}
