// Dates as people read them: local time to the minute; Shanghai dates (YYYY-MM-DD) as they are.
import dayjs from 'dayjs';

export const dateTime = (iso: string | null | undefined): string => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
export const date = (iso: string | null | undefined): string => (iso ? dayjs(iso).format('YYYY-MM-DD') : '—');
