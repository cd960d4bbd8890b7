// The time-limit light as colour and words (colour alone would not do for everyone).
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StageClock } from '../api/client';

const COLOURS = { green: 'success', yellow: 'warning', red: 'error' } as const;

export function Light({ clock }: { clock: StageClock | null | undefined }) {
  return <LightTag light={clock?.light ?? null} />;
}

/** A light on its own (a progress report's, which has no clock). */
export function LightTag({ light }: { light: NonNullable<StageClock>['light'] | null }) {
  const { t } = useTranslation();
  if (!light) return <Tag>{t('light.none')}</Tag>;
  return <Tag color={COLOURS[light]}>{t(`light.${light}`)}</Tag>;
}

/** used / limit working days, paused days and the deadline, in one line; a narrow column breaks it between
 *  the parts, never inside one (not "2026-/11-20"). */
export function ClockText({ clock }: { clock: StageClock | null | undefined }) {
  const { t } = useTranslation();
  if (!clock) return <span>{t('project.noClock')}</span>;
  const parts = [t('clock.used', { used: clock.usedDays, limit: clock.limitDays }), t('clock.deadline', { date: clock.deadline })];
  if (clock.pausedDays > 0) parts.splice(1, 0, t('clock.paused', { days: clock.pausedDays }));
  return (
    <span>
      {parts.map((part, i) => (
        <span key={i}>
          {i > 0 && ' · '}
          <span className="nowrap">{part}</span>
        </span>
      ))}
    </span>
  );
}
