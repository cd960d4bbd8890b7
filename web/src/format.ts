// Dates as the district reads them: Shanghai time, wherever the browser is (the stage clocks count
// Shanghai working days, so a registration at 23:00 UTC is accepted the next day there).
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const ZONE = 'Asia/Shanghai';

export const dateTime = (iso: string | null | undefined): string => (iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD HH:mm') : '—');
/** A Shanghai date (YYYY-MM-DD) as it is, or the Shanghai date of an ISO time. */
export const date = (value: string | null | undefined): string => {
  if (!value) return '—';
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : dayjs(value).tz(ZONE).format('YYYY-MM-DD');
};
