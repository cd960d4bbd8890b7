// 集中开工 (concentrated construction start): a district campaign in which a batch of projects starts
// construction together on a planned date. From the day a project joins until that date (Shanghai time)
// it reports weekly (集中开工准备阶段); from the date on, every two weeks again (正常推进阶段). The rules are
// pure functions over ProjectState; the workflow applies them when the API tells it of a campaign change
// and when the start date's timer rings.
//
// How the campaign and the manual switch combine: the latest decision wins. A cadence set by hand
// (PUT /api/projects/:id/report-cadence) overrides the campaign's until the campaign next changes for the
// project (it joins, its start date moves, the start date is reached, it leaves); the report names which
// decision it follows (`cadenceSetBy`).
import { startOfShanghaiDay } from './calendar';
import type { Cadence } from './policy';
import type { Actor, Notice, ProjectState } from './project';
import { refusal, type Refusal } from './refusals';

/** What a project knows of its campaign: enough to name it in reports and to set its timer. */
export interface CampaignRef {
  id: string;
  name: string;
  /** The planned start date, YYYY-MM-DD in Shanghai. */
  startDate: string;
}

export type CampaignPhase = 'preparation' | 'started';

export interface CampaignMembership extends CampaignRef {
  phase: CampaignPhase;
  joinedAt: string;
}

/** Who decided the current cadence, when it was not the default. */
export interface CadenceDecision {
  kind: 'manual' | 'campaign';
  /** The person (manual) or the campaign's id. */
  by: string;
  at: string;
}

export interface CampaignJoinInput {
  campaign: CampaignRef;
  by: Actor;
}

export interface CampaignLeaveInput {
  campaignId: string;
  by: Actor;
}

/** The instant the campaign starts: the start date's midnight in Shanghai. */
export const campaignStartsAt = (c: Pick<CampaignRef, 'startDate'>): number => startOfShanghaiDay(c.startDate);

/** When the running project's campaign timer must ring (ms), or null when none is due. */
export function campaignStartDue(state: ProjectState): number | null {
  return state.status === 'active' && state.campaign?.phase === 'preparation' ? campaignStartsAt(state.campaign) : null;
}

const cadenceOf = (phase: CampaignPhase): Cadence => (phase === 'preparation' ? 'weekly' : 'biweekly');

function tell(state: ProjectState, subject: string, message: Notice['message']): Notice {
  return { to: state.agent ? `agent:${state.agent}` : 'agent-station', subject: `${state.project.id}: ${subject}`, message };
}

/** Sets the cadence the campaign gives (the latest decision wins over an earlier manual one). */
function campaignCadence(state: ProjectState, c: CampaignMembership, at: string): void {
  state.cadence = cadenceOf(c.phase);
  state.cadenceSetBy = { kind: 'campaign', by: c.id, at };
}

export function checkCampaignJoin(state: ProjectState, input: CampaignJoinInput): Refusal | null {
  if (state.status !== 'active') return refusal('project-closed', `project ${state.project.id} is ${state.status}; no further action is possible`, { status: state.status });
  const current = state.campaign;
  if (current && current.id !== input.campaign.id && current.phase === 'preparation') {
    return refusal('in-another-campaign', `project ${state.project.id} is already preparing for campaign ${current.name} (starting ${current.startDate})`, { campaign: current.name, startDate: current.startDate });
  }
  return null;
}

/**
 * Joins the campaign, or takes its new name or start date. The same campaign as the project knows it
 * already changes nothing (the API may send it again after a restart): no trail entry, no notice.
 */
export function applyCampaignJoin(state: ProjectState, input: CampaignJoinInput, at: string): Notice[] | null {
  const { campaign } = input;
  const current = state.campaign;
  if (current && current.id === campaign.id && current.name === campaign.name && current.startDate === campaign.startDate) return null;
  const phase: CampaignPhase = new Date(at).getTime() < campaignStartsAt(campaign) ? 'preparation' : 'started';
  const joined = current?.id === campaign.id ? current.joinedAt : at;
  const membership: CampaignMembership = { id: campaign.id, name: campaign.name, startDate: campaign.startDate, phase, joinedAt: joined };
  state.campaign = membership;
  campaignCadence(state, membership, at);
  const moved = current?.id === campaign.id;
  state.trail.push({
    seq: state.trail.length + 1,
    at,
    by: input.by,
    action: 'campaign',
    detail: moved ? `campaign ${campaign.name}: start date ${campaign.startDate}` : `joined campaign ${campaign.name} (start ${campaign.startDate})`,
  });
  return [tell(state, `${moved ? 'campaign changed' : 'joined campaign'} ${campaign.name}, start ${campaign.startDate}: reports ${state.cadence}`, { t: 'campaign', campaign: campaign.name, startDate: campaign.startDate, change: moved ? 'changed' : 'joined', cadence: state.cadence })];
}

/** Leaves the campaign (a removal the project already knows changes nothing). Back to biweekly unless
 *  the current cadence was set by hand after the campaign's. */
export function applyCampaignLeave(state: ProjectState, input: CampaignLeaveInput, at: string): Notice[] | null {
  const current = state.campaign;
  if (!current || current.id !== input.campaignId || state.status !== 'active') return null;
  state.campaign = null;
  if (state.cadenceSetBy?.kind !== 'manual') {
    state.cadence = 'biweekly';
    delete state.cadenceSetBy;
  }
  state.trail.push({ seq: state.trail.length + 1, at, by: input.by, action: 'campaign', detail: `left campaign ${current.name}` });
  return [tell(state, `left campaign ${current.name}: reports ${state.cadence}`, { t: 'campaign', campaign: current.name, startDate: current.startDate, change: 'left', cadence: state.cadence })];
}

/** The start date is reached: the preparation phase ends and reports are biweekly again. */
export function applyCampaignStart(state: ProjectState, now: number): Notice[] | null {
  const current = state.campaign;
  if (!current || current.phase !== 'preparation' || now < campaignStartsAt(current)) return null;
  current.phase = 'started';
  // Dated at the start date's midnight (its timer rings a moment later), unless the trail has moved on.
  const starts = new Date(campaignStartsAt(current)).toISOString();
  const last = state.trail[state.trail.length - 1]?.at;
  const at = last !== undefined && last > starts ? new Date(now).toISOString() : starts;
  campaignCadence(state, current, at);
  state.trail.push({
    seq: state.trail.length + 1,
    at,
    by: { id: `campaign:${current.id}`, role: 'system', name: `集中开工 ${current.name}` },
    action: 'campaign',
    detail: `campaign ${current.name} started ${current.startDate}: reports biweekly`,
  });
  return [tell(state, `campaign ${current.name} started: reports biweekly`, { t: 'campaign', campaign: current.name, startDate: current.startDate, change: 'started', cadence: state.cadence })];
}

/** What a report says of its campaign and its cadence's decision (absent: none, the default). */
export function reportCampaign(state: ProjectState): { campaign?: CampaignMembership; cadenceSetBy?: CadenceDecision } {
  return { ...(state.campaign && { campaign: { ...state.campaign } }), ...(state.cadenceSetBy && { cadenceSetBy: { ...state.cadenceSetBy } }) };
}
