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

/** The words and colours a figures chart is drawn with (the page's translations, so this stays pure). */
export interface ChartText {
  /** The categories along the axis (stages or localities), already translated. */
  categories: string[];
  average: string;
  median?: string;
  limit: string;
  workingDays: string;
  axisText: string;
  colours: { average: string; median: string; limit: string };
}

/** How wide a limit's mark is, as a share of its category's band: across the category's bars. */
export const LIMIT_MARK_SHARE = 0.6;

/** What ECharts hands a custom series' renderItem (the part used here). */
export interface MarkApi {
  value(dimension: number): number;
  coord(point: [number, number]): number[];
  size(span: [number, number]): number[] | number;
}

/**
 * The ECharts option of a figures chart: average (and median) working days as bars per category, and
 * each category's time limit as a short horizontal mark across its own bars. The limits differ by stage,
 * so they are never joined by a line: a line sloping from one stage's limit to the next read as a trend
 * between stages that the figures do not have.
 */
export function figuresChartOption(
  text: ChartText,
  series: { average: (number | null)[]; median?: (number | null)[]; limit: number[] },
  layout: { bottom: number; rotate?: number },
) {
  const axisLabel = { color: text.axisText, interval: 0, ...(layout.rotate !== undefined ? { rotate: layout.rotate } : { width: 90, overflow: 'break' }) };
  const bars = [
    { name: text.average, type: 'bar', data: series.average, itemStyle: { color: text.colours.average } },
    ...(series.median && text.median !== undefined ? [{ name: text.median, type: 'bar', data: series.median, itemStyle: { color: text.colours.median } }] : []),
  ];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: text.axisText } },
    grid: { left: 48, right: 24, top: 48, bottom: layout.bottom },
    xAxis: { type: 'category', data: text.categories, axisLabel },
    yAxis: { type: 'value', name: text.workingDays, nameTextStyle: { color: text.axisText }, axisLabel: { color: text.axisText } },
    series: [
      ...bars,
      {
        name: text.limit,
        type: 'custom',
        z: 3,
        itemStyle: { color: text.colours.limit },
        encode: { x: 0, y: 1, tooltip: 1 },
        data: series.limit.map((limit, i) => [i, limit]),
        renderItem: (_params: unknown, api: MarkApi) => limitMark(api, text.colours.limit),
      },
    ],
  };
}

/** A category's limit: a horizontal stroke centred on the category, LIMIT_MARK_SHARE of its band wide. */
export function limitMark(api: MarkApi, colour: string) {
  const [x = 0, y = 0] = api.coord([api.value(0), api.value(1)]);
  const size = api.size([1, 0]);
  const half = ((Array.isArray(size) ? (size[0] ?? 0) : size) * LIMIT_MARK_SHARE) / 2;
  return { type: 'line', shape: { x1: x - half, y1: y, x2: x + half, y2: y }, style: { stroke: colour, lineWidth: 3 } };
}
