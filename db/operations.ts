// What the record keeps for operators: record writes refused for good (so the stuck list sees them after
// a worker restart) and the notes their repairs leave on a project.
import type { Db } from './connect';

export interface RecordFailure {
  projectId: string;
  version: number;
  message: string;
  at: string;
}

/** The project's latest refused write (replacing an earlier one). */
export async function noteRecordFailure(db: Db, failure: RecordFailure): Promise<void> {
  const row = { project_id: failure.projectId, version: failure.version, message: failure.message, at: failure.at };
  await db
    .insertInto('record_failures')
    .values(row)
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ version: row.version, message: row.message, at: row.at }))
    .execute();
}

/** A write of the project succeeded: the record has caught up. */
export async function clearRecordFailure(db: Db, projectId: string): Promise<void> {
  await db.deleteFrom('record_failures').where('project_id', '=', projectId).execute();
}

export async function recordFailures(db: Db): Promise<RecordFailure[]> {
  const rows = await db.selectFrom('record_failures').selectAll().orderBy('at').execute();
  return rows.map((r) => ({ projectId: r.project_id, version: r.version, message: r.message, at: new Date(r.at).toISOString() }));
}

export type NoteKind = 'reconciled-completed' | 'reconciled-terminated' | 'missing-in-temporal';

export interface ProjectNote {
  at: string;
  by: string;
  kind: NoteKind;
  note: string;
}

export async function addProjectNote(db: Db, projectId: string, note: ProjectNote): Promise<void> {
  await db.insertInto('project_notes').values({ project_id: projectId, at: note.at, by_id: note.by, kind: note.kind, note: note.note }).execute();
}

/** The latest note of each kind for these projects, by project. */
export async function latestNotes(db: Db, projectIds: string[]): Promise<Map<string, ProjectNote[]>> {
  const notes = new Map<string, ProjectNote[]>();
  if (projectIds.length === 0) return notes;
  const rows = await db.selectFrom('project_notes').selectAll().where('project_id', 'in', projectIds).orderBy('id', 'desc').execute();
  for (const r of rows) {
    const list = notes.get(r.project_id) ?? [];
    if (!list.some((n) => n.kind === r.kind)) list.push({ at: new Date(r.at).toISOString(), by: r.by_id, kind: r.kind as NoteKind, note: r.note });
    notes.set(r.project_id, list);
  }
  return notes;
}
