// 集中开工 campaigns in the record (migration 0008): the campaign, its projects (current and removed), and
// whether each member's workflow has been told the campaign as it now stands.
import type { Db } from './connect';

export const CAMPAIGN_SOURCES = ['key-industrial-plan', 'full-agency-list'] as const;
export type CampaignSource = (typeof CAMPAIGN_SOURCES)[number];

export interface CampaignMember {
  id: string;
  name: string | null;
  locality: string | null;
  status: string | null;
  source: CampaignSource;
  addedBy: string;
  addedAt: string;
  removedBy: string | null;
  removedAt: string | null;
  /** applied: the workflow has it; pending: not yet told (retried); refused: the project said no. */
  delivery: 'applied' | 'pending' | 'refused';
  deliveryError: string | null;
}

export interface CampaignRecord {
  id: string;
  name: string;
  startDate: string;
  declaredBy: string;
  declaredAt: string;
  changedBy: string;
  changedAt: string;
  members: CampaignMember[];
}

const iso = (d: Date | string): string => new Date(d).toISOString();

export async function readCampaigns(db: Db, id?: string): Promise<CampaignRecord[]> {
  let q = db.selectFrom('campaigns').selectAll().orderBy('start_date', 'desc').orderBy('declared_at', 'desc');
  if (id !== undefined) q = q.where('id', '=', id);
  const campaigns = await q.execute();
  if (campaigns.length === 0) return [];
  const rows = await db
    .selectFrom('campaign_projects as m')
    .leftJoin('projects as p', 'p.id', 'm.project_id')
    .select(['m.campaign_id', 'm.project_id', 'm.source', 'm.added_by', 'm.added_at', 'm.removed_by', 'm.removed_at', 'm.synced', 'm.delivery_error', 'p.name', 'p.locality', 'p.status'])
    .where(
      'm.campaign_id',
      'in',
      campaigns.map((c) => c.id),
    )
    .orderBy('m.added_at')
    .orderBy('m.project_id')
    .execute();
  return campaigns.map((c) => ({
    id: c.id,
    name: c.name,
    startDate: c.start_date,
    declaredBy: c.declared_by,
    declaredAt: iso(c.declared_at),
    changedBy: c.changed_by,
    changedAt: iso(c.changed_at),
    members: rows
      .filter((r) => r.campaign_id === c.id)
      .map((r) => ({
        id: r.project_id,
        name: r.name,
        locality: r.locality,
        status: r.status,
        source: r.source as CampaignSource,
        addedBy: r.added_by,
        addedAt: iso(r.added_at),
        removedBy: r.removed_by,
        removedAt: r.removed_at === null ? null : iso(r.removed_at),
        delivery: !r.synced ? 'pending' : r.delivery_error ? 'refused' : 'applied',
        deliveryError: r.delivery_error,
      })),
  }));
}

/** Members still in a campaign whose start date is `today` or later, other than `except`'s, by project. */
export async function preparingElsewhere(db: Db, projectIds: string[], today: string, except?: string): Promise<Map<string, string>> {
  if (projectIds.length === 0) return new Map();
  let q = db
    .selectFrom('campaign_projects as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .select(['m.project_id', 'c.name'])
    .where('m.project_id', 'in', projectIds)
    .where('m.removed_at', 'is', null)
    .where('c.start_date', '>=', today);
  if (except !== undefined) q = q.where('c.id', '!=', except);
  return new Map((await q.execute()).map((r) => [r.project_id, r.name]));
}

/** The record's status of each project (absent: never registered). */
export async function projectStatuses(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('projects').select(['id', 'status']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.status]));
}

/** Members whose workflow has not been told the campaign as it stands (or its removal). */
export async function unsyncedMembers(db: Db, campaignId?: string) {
  let q = db
    .selectFrom('campaign_projects as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .select(['m.campaign_id', 'm.project_id', 'm.revision', 'm.removed_at', 'm.added_by', 'm.removed_by', 'c.name', 'c.start_date', 'c.changed_by'])
    .where('m.synced', '=', false);
  if (campaignId !== undefined) q = q.where('m.campaign_id', '=', campaignId);
  return q.orderBy('m.added_at').execute();
}

/** What the delivery of `revision` came to; a later change (a higher revision) stays to be delivered. */
export async function markDelivered(db: Db, campaignId: string, projectId: string, revision: number, synced: boolean, error: string | null): Promise<void> {
  await db
    .updateTable('campaign_projects')
    .set({ synced, delivery_error: error })
    .where('campaign_id', '=', campaignId)
    .where('project_id', '=', projectId)
    .where('revision', '=', revision)
    .execute();
}
