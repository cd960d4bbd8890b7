// The record of fee waivers (费用减免): what a project was granted, what its collecting department
// assessed, and the district's figures by category and locality.
import { sql } from 'kysely';
import { startOfShanghaiDay } from '../domain/calendar';
import type { Category, Locality } from '../domain/codes';
import type { Actor } from '../domain/project';
import { waivedFen, type WaiverGrant, type WaiverRule } from '../domain/waivers';
import type { Db } from './connect';

const DAY_MS = 24 * 60 * 60 * 1000;
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Records the waivers a project is granted; a retried registration writes nothing twice. */
export async function grantWaivers(
  db: Db,
  project: { id: string; category: Category; locality: Locality },
  grants: readonly WaiverGrant[],
  by: Actor,
  at: string,
): Promise<void> {
  if (grants.length === 0) return;
  await db
    .insertInto('project_waivers')
    .values(grants.map((g) => ({ project_id: project.id, item: g.item, department: g.department, kind: g.kind, category: project.category, locality: project.locality, granted_by: by.id, granted_at: at })))
    .onConflict((oc) => oc.columns(['project_id', 'item']).doNothing())
    .execute();
}

export interface ProjectWaiverRow {
  item: string;
  department: string;
  kind: string;
  grantedBy: string;
  grantedAt: string;
  assessedFen: number | null;
  rate: number | null;
  waivedFen: number | null;
  assessedBy: string | null;
  assessedAt: string | null;
  note: string | null;
}

export async function projectWaivers(db: Db, projectId: string): Promise<ProjectWaiverRow[]> {
  const rows = await db.selectFrom('project_waivers').selectAll().where('project_id', '=', projectId).orderBy('item').execute();
  return rows.map((r) => ({
    item: r.item,
    department: r.department,
    kind: r.kind,
    grantedBy: r.granted_by,
    grantedAt: new Date(r.granted_at).toISOString(),
    assessedFen: numOrNull(r.assessed_fen),
    rate: r.rate,
    waivedFen: numOrNull(r.waived_fen),
    assessedBy: r.assessed_by,
    assessedAt: r.assessed_at === null ? null : new Date(r.assessed_at).toISOString(),
    note: r.note,
  }));
}

/** Enters (or corrects) the assessed amount; the amount waived follows from `rule`, as it stands now. */
export async function assessWaiver(
  db: Db,
  projectId: string,
  item: string,
  assessment: { assessedFen: number; rule: WaiverRule; note?: string | undefined },
  by: Actor,
  at: string,
): Promise<void> {
  const { assessedFen, rule, note } = assessment;
  await db
    .updateTable('project_waivers')
    .set({
      assessed_fen: assessedFen,
      rate: rule.kind === 'reduced' ? rule.rate : null,
      waived_fen: waivedFen(rule, assessedFen),
      assessed_by: by.id,
      assessed_at: at,
      note: note ?? null,
    })
    .where('project_id', '=', projectId)
    .where('item', '=', item)
    .execute();
}

export interface WaiverFigures {
  /** Waivers granted (one per project and item). */
  granted: number;
  projects: number;
  /** Of them, those whose department has entered the assessed amount. */
  assessed: number;
  assessedFen: number;
  waivedFen: number;
  /** Assessed, but the amount waived is unknown: a reduction whose rate is not configured. */
  rateMissing: number;
}

export interface WaiverStats {
  from: string;
  to: string;
  totals: WaiverFigures;
  rows: (WaiverFigures & { category: string; locality: string })[];
  items: (WaiverFigures & { item: string; department: string })[];
}

/** Waivers granted in [from, to] (Shanghai days), by category and locality and by item, with amounts. */
export async function waiverStatistics(db: Db, window: { from: string; to: string }): Promise<WaiverStats> {
  const start = new Date(startOfShanghaiDay(window.from));
  const end = new Date(startOfShanghaiDay(window.to) + DAY_MS);
  const base = db
    .selectFrom('project_waivers as w')
    // A registration whose workflow never started has no project in the record: its grant does not count.
    .where(({ exists, selectFrom }) => exists(selectFrom('projects').select('projects.id').whereRef('projects.id', '=', 'w.project_id')))
    .where('w.granted_at', '>=', start)
    .where('w.granted_at', '<', end)
    .select([
      sql<string>`count(*)`.as('granted'),
      sql<string>`count(distinct w.project_id)`.as('projects'),
      sql<string>`count(w.assessed_fen)`.as('assessed'),
      sql<string>`coalesce(sum(w.assessed_fen), 0)`.as('assessed_fen'),
      sql<string>`coalesce(sum(w.waived_fen), 0)`.as('waived_fen'),
      sql<string>`count(*) filter (where w.assessed_fen is not null and w.waived_fen is null)`.as('rate_missing'),
    ]);
  type Raw = { granted: string; projects: string; assessed: string; assessed_fen: string; waived_fen: string; rate_missing: string };
  const figures = (r: Raw): WaiverFigures => ({
    granted: Number(r.granted),
    projects: Number(r.projects),
    assessed: Number(r.assessed),
    assessedFen: Number(r.assessed_fen),
    waivedFen: Number(r.waived_fen),
    rateMissing: Number(r.rate_missing),
  });
  const [totals, rows, items] = await Promise.all([
    base.executeTakeFirstOrThrow(),
    base.select(['w.category', 'w.locality']).groupBy(['w.category', 'w.locality']).orderBy('w.category').orderBy('w.locality').execute(),
    base.select(['w.item', 'w.department']).groupBy(['w.item', 'w.department']).orderBy('w.item').execute(),
  ]);
  return {
    ...window,
    totals: figures(totals),
    rows: rows.map((r) => ({ category: r.category, locality: r.locality, ...figures(r) })),
    items: items.map((r) => ({ item: r.item, department: r.department, ...figures(r) })),
  };
}
