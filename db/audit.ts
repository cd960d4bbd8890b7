// The append-only audit log: every command the API received, accepted or refused, with who, what, the
// outcome and when. (The table refuses UPDATE and DELETE; see the migration.)
import type { Db } from './connect';

export interface AuditEntry {
  at: string;
  principalId: string | null;
  principalRole: string | null;
  method: string;
  path: string;
  projectId: string | null;
  outcome: string;
  status: number;
  detail: string | null;
}

export async function appendAudit(db: Db, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: e.at,
      principal_id: e.principalId,
      principal_role: e.principalRole,
      method: e.method,
      path: e.path,
      project_id: e.projectId,
      outcome: e.outcome,
      status: e.status,
      detail: e.detail,
    })
    .execute();
}

export async function projectAudit(db: Db, projectId: string): Promise<AuditEntry[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
  return rows.map((r) => ({
    at: new Date(r.at).toISOString(),
    principalId: r.principal_id,
    principalRole: r.principal_role,
    method: r.method,
    path: r.path,
    projectId: r.project_id,
    outcome: r.outcome,
    status: r.status,
    detail: r.detail,
  }));
}
