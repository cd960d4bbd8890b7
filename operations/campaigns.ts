// Telling each member project's workflow of its campaign (集中开工): an Update per project (joinCampaign with
// the campaign as it now stands, or leaveCampaign), so a refusal is answered. The record is written first
// and says, per member, whether its workflow has been told (campaign_projects.synced); this runs after
// every change and again when the API starts, until every member is told. Both Updates change nothing when
// sent again, so a repeat is harmless. A project that is not making progress gets the Update held as a
// signal (operations/actions.ts): kept in its history at once, applied when it runs again.
import type { Client } from '@temporalio/client';
import { markDelivered, unsyncedMembers } from '../db/campaigns';
import type { Db } from '../db/connect';
import type { Actor } from '../domain/project';
import { joinCampaign, leaveCampaign } from '../workflows/messages';
import { ActionRefused, sendAction } from './actions';

export interface CampaignDeliveryDeps {
  client: Client;
  db: Db;
  acceptTimeoutMs: number;
}

export interface DeliveryOutcome {
  campaign: string;
  project: string;
  outcome: 'applied' | 'held' | 'refused' | 'pending';
  message?: string;
}

/** Members told at once: enough for a district's campaign, gentle on Temporal. */
const AT_ONCE = 8;

/** Tells every member not yet told (of one campaign, or of all) and records what each answered. */
export async function deliverCampaigns(deps: CampaignDeliveryDeps, campaignId?: string): Promise<DeliveryOutcome[]> {
  const { db } = deps;
  const members = await unsyncedMembers(db, campaignId);
  const outcomes: DeliveryOutcome[] = [];
  for (let i = 0; i < members.length; i += AT_ONCE) {
    outcomes.push(
      ...(await Promise.all(
        members.slice(i, i + AT_ONCE).map(async (m): Promise<DeliveryOutcome> => {
          const base = { campaign: m.campaign_id, project: m.project_id };
          // Campaigns are changed by admins only; the Update names the one whose change it carries.
          const by: Actor = { id: (m.removed_at ? m.removed_by : m.changed_by) ?? m.added_by, role: 'admin' };
          try {
            const outcome = m.removed_at
              ? await sendAction(deps, m.project_id, leaveCampaign, { campaignId: m.campaign_id, by })
              : await sendAction(deps, m.project_id, joinCampaign, { campaign: { id: m.campaign_id, name: m.name, startDate: m.start_date }, by });
            await markDelivered(db, m.campaign_id, m.project_id, m.revision, true, null);
            return { ...base, outcome: outcome.held ? 'held' : 'applied' };
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            // The project said no (closed, in another campaign): recorded, not retried. Anything else
            // (Temporal away, too slow) stays to be sent again.
            const refused = err instanceof ActionRefused && err.status !== 503;
            await markDelivered(db, m.campaign_id, m.project_id, m.revision, refused, message);
            return { ...base, outcome: refused ? 'refused' : 'pending', message };
          }
        }),
      )),
    );
  }
  return outcomes;
}
