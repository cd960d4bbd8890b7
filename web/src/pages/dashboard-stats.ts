// GET /api/stats read defensively: the console takes the figures it shows (per stage and per locality)
// and ignores whatever else the answer carries, so the statistics can grow without breaking the page.
import { LOCALITIES, STAGES } from '../codes';

type Stage = (typeof STAGES)[number];
type Locality = (typeof LOCALITIES)[number];

export interface StageFigures {
  stage: Stage;
  decided: number;
  averageWorkingDays: number | null;
  medianWorkingDays: number | null;
  exceeded: number;
  /** The stage's time limit in working days, when the statistics name one. */
  limitDays?: number;
}

export interface Stats {
  stages: StageFigures[];
  byLocality: { locality: Locality; stages: StageFigures[] }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const days = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function stagesOf(value: unknown): StageFigures[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s): StageFigures[] => {
    if (!isObject(s) || !(STAGES as readonly unknown[]).includes(s.stage)) return [];
    const limit = days(s.limitDays);
    return [
      {
        stage: s.stage as Stage,
        decided: count(s.decided),
        averageWorkingDays: days(s.averageWorkingDays),
        medianWorkingDays: days(s.medianWorkingDays),
        exceeded: count(s.exceeded),
        ...(limit !== null && { limitDays: limit }),
      },
    ];
  });
}

export function readStats(answer: unknown): Stats {
  if (!isObject(answer)) return { stages: [], byLocality: [] };
  const byLocality = Array.isArray(answer.byLocality)
    ? answer.byLocality.flatMap((b) => (isObject(b) && (LOCALITIES as readonly unknown[]).includes(b.locality) ? [{ locality: b.locality as Locality, stages: stagesOf(b.stages) }] : []))
    : [];
  return { stages: stagesOf(answer.stages), byLocality };
}
