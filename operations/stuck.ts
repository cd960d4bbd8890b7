// The operators' stuck list: every project needing attention, why, since when, who is expected to act and
// which repairs apply. Two sources, each for what it knows: the public record (sign-offs past their time
// limit, unanswered corrections, failed pushes, refused record writes) and Temporal (retrying activities,
// failing workflow tasks, workflows closed or gone while the record says active). Shared by the API
// (GET /api/operations/stuck) and housekeeping's digest.
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { latestNotes, recordFailures, type ProjectNote } from '../db/operations';
import { shanghaiDate, startOfShanghaiDay, type WorkingCalendar } from '../domain/calendar';
import type { Locality, Party, Stage } from '../domain/codes';
import { attemptClock, currentAttempt, openCorrections, pendingParties, stageRecord, type ProjectState } from '../domain/project';
import type { StuckKind } from '../domain/schemas';
import { WORKFLOW_TYPE } from '../workflows/messages';
import { describeProject, eventTime, findFromEnd, mapLimit } from './temporal';

export interface StuckOptions {
  /** A correction open longer than this many working days is unanswered. */
  correctionUnansweredDays: number;
  /** An activity past this many attempts is listed as retrying. */
  activityRetryAttempts: number;
  /** A record write pending longer than this is out of sync. */
  recordPendingMinutes: number;
  /** At most this many workflows are described per scan. */
  scanMax: number;
  /** Descriptions in flight at once. */
  concurrency: number;
}

export const STUCK_DEFAULTS: StuckOptions = { correctionUnansweredDays: 5, activityRetryAttempts: 3, recordPendingMinutes: 10, scanMax: 5000, concurrency: 16 };

export interface StuckDeps {
  db: Db;
  /** Without it (or when Temporal does not answer) only the record's kinds are listed, and the scan says so. */
  client?: Client;
  calendar: WorkingCalendar;
  now: number;
  options?: Partial<StuckOptions>;
}

export interface StuckFilter {
  kind?: StuckKind;
  locality?: Locality;
  stage?: Stage;
  /** A department or utility company: only cases about it. */
  department?: Party;
}

export interface Repair {
  action: 'retry-push' | 'remind' | 'reset' | 'replay' | 'reconcile';
  method: 'POST';
  path: string;
}

export interface StuckEntry {
  projectId: string;
  name: string | null;
  locality: string | null;
  stage: string | null;
  kind: StuckKind;
  since: string;
  /** What shows it: the party, the error, the attempt count, the working days over — whatever applies. */
  evidence: Record<string, unknown> & { party?: Party };
  /** Who is expected to act, and what they are to do. */
  expected: { actor: string; action: string };
  repairs: Repair[];
}

export interface StuckScan {
  /** Running projectApproval workflows found by visibility (within the bound). */
  running: number;
  /** Workflows described (running ones, and the record's active projects not running). */
  described: number;
  max: number;
  /** False when the bound cut the scan short or Temporal could not be read; `problem` says which. */
  complete: boolean;
  problem?: string;
}

export interface StuckList {
  entries: StuckEntry[];
  counts: { byKind: Partial<Record<StuckKind, number>>; byLocality: Record<string, number> };
  scan: StuckScan;
}

const RecordKinds: readonly StuckKind[] = ['overdue-sign-off', 'correction-unanswered', 'push-failed', 'record-out-of-sync'];
const TemporalKinds: readonly StuckKind[] = ['push-retrying', 'workflow-task-failing', 'activity-retrying', 'record-out-of-sync'];

const repair = {
  retryPush: (id: string, company: string): Repair => ({ action: 'retry-push', method: 'POST', path: `/api/projects/${id}/pushes/${company}/retry` }),
  remind: (id: string, stage: string): Repair => ({ action: 'remind', method: 'POST', path: `/api/projects/${id}/stages/${stage}/reminders` }),
  reset: (id: string): Repair => ({ action: 'reset', method: 'POST', path: `/api/operations/projects/${id}/reset` }),
  replay: (id: string): Repair => ({ action: 'replay', method: 'POST', path: `/api/operations/projects/${id}/replay` }),
  reconcile: (id: string): Repair => ({ action: 'reconcile', method: 'POST', path: `/api/operations/projects/${id}/reconcile` }),
};

/** The activities whose retries operators watch, and what a retry of each means. */
const WATCHED_ACTIVITIES: Record<string, string> = {
  recordProject: 'the public record write',
  notify: 'a notice',
  deliverReport: 'a progress report',
  produceReport: 'a progress report',
  escalate: 'an escalation notice',
};

interface ActiveRow {
  id: string;
  name: string;
  locality: string;
  stage: string;
  updatedAt: string;
  state: ProjectState;
}

/** The record's active projects, without the parts the list never reads (trail, reports, escalations). */
async function activeProjects(db: Db, filter: StuckFilter): Promise<ActiveRow[]> {
  let query = db
    .selectFrom('projects')
    .select(['id', 'name', 'locality', 'listed_stage', 'updated_at', sql<ProjectState>`state - 'trail' - 'reports' - 'escalations'`.as('state')])
    .where('status', '=', 'active');
  if (filter.locality) query = query.where('locality', '=', filter.locality);
  if (filter.stage) query = query.where('listed_stage', '=', filter.stage);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, name: r.name, locality: r.locality, stage: r.listed_stage, updatedAt: new Date(r.updated_at).toISOString(), state: r.state }));
}

/** What the record alone shows: sign-offs past their limit, unanswered corrections, failed pushes. */
function recordEntries(row: ActiveRow, calendar: WorkingCalendar, now: number, options: StuckOptions): StuckEntry[] {
  const { state } = row;
  const entries: StuckEntry[] = [];
  const base = { projectId: row.id, name: row.name, locality: row.locality, stage: row.stage };
  const stage = state.currentStage;
  if (stage) {
    const record = stageRecord(state, stage);
    const attempt = currentAttempt(record);
    const open = openCorrections(attempt);
    const clock = attemptClock(state, record, calendar, now);
    // Red light (working days used past the limit); while a correction is open the clock is paused and
    // the window, not the parties, is expected to act.
    if (attempt && clock && clock.usedDays > clock.limitDays && open.length === 0) {
      // The first working day past the deadline began the overdue.
      const since = new Date(startOfShanghaiDay(calendar.deadline(clock.deadline, 1))).toISOString();
      for (const party of pendingParties(record)) {
        entries.push({
          ...base,
          kind: 'overdue-sign-off',
          since,
          evidence: { party, attempt: attempt.number, limitDays: clock.limitDays, usedDays: clock.usedDays, daysOver: clock.usedDays - clock.limitDays, deadline: clock.deadline },
          expected: { actor: `party:${party}`, action: `sign off ${stage} (attempt ${attempt.number}); its liaison is escalated to by the workflow` },
          repairs: [repair.remind(row.id, stage)],
        });
      }
    }
    for (const correction of open) {
      const days = calendar.workingDaysBetween(shanghaiDate(correction.requestedAt), shanghaiDate(now));
      if (days <= options.correctionUnansweredDays) continue;
      entries.push({
        ...base,
        kind: 'correction-unanswered',
        since: correction.requestedAt,
        evidence: { party: correction.party, items: correction.items, workingDaysOpen: days, threshold: options.correctionUnansweredDays },
        expected: { actor: 'window', action: `record the applicant's supplement for ${stage} (the agent chases the applicant)` },
        repairs: [repair.remind(row.id, stage)],
      });
    }
  }
  for (const push of state.pushes.filter((p) => p.status === 'failed')) {
    entries.push({
      ...base,
      kind: 'push-failed',
      since: push.settledAt ?? push.startedAt,
      evidence: { party: push.company, error: push.error ?? 'unknown', attempts: state.policy?.pushAttempts ?? null },
      expected: { actor: 'admin', action: `check ${push.company}'s endpoint with the company, then retry the push` },
      repairs: [repair.retryPush(row.id, push.company)],
    });
  }
  return entries;
}

const ts = (t: Parameters<typeof optionalTsToMs>[0]): string | undefined => {
  const ms = optionalTsToMs(t);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

interface Described {
  projectId: string;
  row: ActiveRow | undefined;
  /** From visibility, for a running workflow the record does not have. */
  listed?: { locality?: string; stage?: string; reportedProblems?: string[] };
  description: WorkflowExecutionDescription | undefined;
}

const EventType = temporal.api.enums.v1.EventType;

/** What Temporal shows of one project: retrying activities, failing workflow tasks, a closed workflow. */
async function temporalEntries(client: Client, d: Described, now: number, options: StuckOptions): Promise<StuckEntry[]> {
  const { projectId, row, description } = d;
  const base = { projectId, name: row?.name ?? null, locality: row?.locality ?? d.listed?.locality ?? null, stage: row?.stage ?? d.listed?.stage ?? null };
  const workflowId = `project-${projectId}`;
  if (!description) {
    // The record says active, Temporal does not know the workflow (deleted, or never started there).
    return row ? [{ ...base, kind: 'record-out-of-sync', since: row.updatedAt, evidence: { temporal: 'not found', problem: 'the record says active, but Temporal has no such workflow (deleted?)' }, expected: { actor: 'admin', action: 'find out what happened to the workflow; reconcile marks it as missing (no closure is invented)' }, repairs: [repair.reconcile(projectId)] }] : [];
  }
  const status = description.status.name;
  if (status !== 'RUNNING') {
    if (!row) return [];
    return [
      {
        ...base,
        kind: 'record-out-of-sync',
        since: description.closeTime?.toISOString() ?? row.updatedAt,
        evidence: { temporal: status, problem: `the workflow is ${status.toLowerCase()} in Temporal while the record says active` },
        expected: { actor: 'admin', action: status === 'COMPLETED' ? 'reconcile: the record takes the workflow\'s final state' : 'reconcile: the record marks the project terminated, as Temporal says' },
        repairs: [repair.reconcile(projectId)],
      },
    ];
  }
  const entries: StuckEntry[] = [];
  const raw = description.raw;
  const task = raw.pendingWorkflowTask;
  if ((task?.attempt ?? 0) > 1 || (d.listed?.reportedProblems?.length ?? 0) > 0) {
    // Temporal writes only the first failure of a run of failing tasks into history.
    const failed = await findFromEnd(client, workflowId, (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, 1000);
    const attrs = failed?.workflowTaskFailedEventAttributes;
    entries.push({
      ...base,
      kind: 'workflow-task-failing',
      since: eventTime(failed) ?? ts(task?.originalScheduledTime) ?? new Date(now).toISOString(),
      evidence: {
        attempt: task?.attempt ?? null,
        lastFailure: attrs?.failure?.message ?? null,
        cause: attrs?.cause !== undefined && attrs.cause !== null ? temporal.api.enums.v1.WorkflowTaskFailedCause[attrs.cause] : null,
        ...(d.listed?.reportedProblems && { reportedProblems: d.listed.reportedProblems }),
      },
      expected: { actor: 'admin', action: 'a code or deployment problem: replay the history against the current code, fix and deploy, or reset past the failing task' },
      repairs: [repair.replay(projectId), repair.reset(projectId)],
    });
  }
  for (const activity of raw.pendingActivities ?? []) {
    const type = activity.activityType?.name ?? 'unknown';
    const attempt = activity.attempt ?? 1;
    const lastFailure = activity.lastFailure?.message ?? null;
    const firstScheduled = async () => {
      if (attempt <= 1) return ts(activity.scheduledTime);
      const scheduled = await findFromEnd(client, workflowId, (e) => e.activityTaskScheduledEventAttributes?.activityId === activity.activityId, 2000);
      return eventTime(scheduled) ?? ts(activity.scheduledTime);
    };
    if (type === 'pushToUtility') {
      if (attempt <= 1) continue;
      const pending = row?.state.pushes.filter((p) => p.status === 'pending') ?? [];
      const company = pending.length === 1 ? pending[0]?.company : undefined;
      entries.push({
        ...base,
        kind: 'push-retrying',
        since: pending[0]?.startedAt ?? (await firstScheduled()) ?? new Date(now).toISOString(),
        evidence: { ...(company && { party: company }), companies: pending.map((p) => p.company), attempt, maximumAttempts: activity.maximumAttempts ?? null, lastFailure, nextAttemptAt: ts(activity.nextAttemptScheduleTime) ?? null },
        expected: { actor: company ? `company:${company}` : 'the utility companies', action: 'accept the push (Temporal keeps retrying up to the policy\'s push attempts, then marks it failed)' },
        repairs: [],
      });
      continue;
    }
    const what = WATCHED_ACTIVITIES[type];
    if (!what) continue;
    const since = attempt > options.activityRetryAttempts || type === 'recordProject' ? await firstScheduled() : undefined;
    if (attempt > options.activityRetryAttempts) {
      entries.push({
        ...base,
        kind: 'activity-retrying',
        since: since ?? new Date(now).toISOString(),
        evidence: { activity: type, attempt, lastFailure, nextAttemptAt: ts(activity.nextAttemptScheduleTime) ?? null },
        expected: { actor: 'admin', action: `${what} keeps failing: ${type === 'recordProject' ? 'the record database' : 'the notification channel'} needs attention; Temporal retries on its own` },
        repairs: [],
      });
    }
    if (type === 'recordProject' && since && now - Date.parse(since) > options.recordPendingMinutes * 60_000) {
      entries.push({
        ...base,
        kind: 'record-out-of-sync',
        since,
        evidence: { problem: `a record write has been pending for ${Math.floor((now - Date.parse(since)) / 60_000)} minutes`, attempt, lastFailure },
        expected: { actor: 'admin', action: 'the record database: the write completes once it answers' },
        repairs: [],
      });
    }
  }
  return entries;
}

/** Running noticeDelivery workflows whose sending activity is past the retry threshold. */
async function noticeEntries(client: Client, byId: Map<string, ActiveRow>, options: StuckOptions): Promise<StuckEntry[]> {
  const running: string[] = [];
  for await (const w of client.workflow.list({ query: `WorkflowType = 'noticeDelivery' AND ExecutionStatus = 'Running'`, pageSize: 1000 })) {
    if (running.length >= options.scanMax) break;
    running.push(w.workflowId);
  }
  const found = await mapLimit(running, options.concurrency, async (workflowId) => {
    const d = await client.workflow.getHandle(workflowId).describe();
    const pending = d.raw.pendingActivities?.find((a) => (a.attempt ?? 0) >= options.activityRetryAttempts);
    if (!pending) return undefined;
    const memo = (d.memo ?? {}) as { key?: string; to?: string };
    const projectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(memo.key ?? '')?.[0] ?? '';
    const row = byId.get(projectId);
    const entry: StuckEntry = {
      projectId,
      name: row?.name ?? null,
      locality: row?.locality ?? null,
      stage: row?.stage ?? null,
      kind: 'notice-failing',
      since: d.startTime.toISOString(),
      evidence: { notice: memo.key, to: memo.to, attempt: pending.attempt, error: pending.lastFailure?.message ?? null },
      expected: { actor: 'admin', action: 'check the mail server (SMTP_URL) or the webhook: Temporal keeps retrying for about a day; the inbox has the notice meanwhile' },
      repairs: [],
    };
    return entry;
  });
  return found.filter((e): e is StuckEntry => e !== undefined);
}

/** Running projectApproval workflows, by visibility, within the bound. */
async function listRunning(client: Client, filter: StuckFilter, max: number) {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`, `ExecutionStatus = 'Running'`];
  // Enum values (validated), so safe inside the query.
  if (filter.locality) clauses.push(`ProjectLocality = '${filter.locality}'`);
  if (filter.stage) clauses.push(`ProjectStage = '${filter.stage}'`);
  // Only failing tasks asked for: the server's own marker is a cheap filter (the dev server sets it from the
  // second consecutive failure; a cluster from its numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute).
  if (filter.kind === 'workflow-task-failing') clauses.push('TemporalReportedProblems IS NOT NULL');
  const found: { projectId: string; locality?: string; stage?: string; reportedProblems?: string[] }[] = [];
  let more = false;
  for await (const w of client.workflow.list({ query: clauses.join(' AND '), pageSize: 1000 })) {
    if (found.length >= max) {
      more = true;
      break;
    }
    if (!w.workflowId.startsWith('project-')) continue;
    const sa = w.searchAttributes as Record<string, unknown[] | undefined>;
    const problems = sa.TemporalReportedProblems as string[] | undefined;
    found.push({
      projectId: w.workflowId.slice('project-'.length),
      ...(typeof sa.ProjectLocality?.[0] === 'string' && { locality: sa.ProjectLocality[0] }),
      ...(typeof sa.ProjectStage?.[0] === 'string' && { stage: sa.ProjectStage[0] }),
      ...(problems && problems.length > 0 && { reportedProblems: problems }),
    });
  }
  return { found, more };
}

/** The stuck list, filtered; entries oldest first (the longest stuck leads). */
export async function findStuck(deps: StuckDeps, filter: StuckFilter = {}): Promise<StuckList> {
  const options = { ...STUCK_DEFAULTS, ...deps.options };
  const { db, client, calendar, now } = deps;
  const wants = (kinds: readonly StuckKind[]) => !filter.kind || kinds.includes(filter.kind);
  const rows = await activeProjects(db, filter);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const entries: StuckEntry[] = [];

  if (wants(RecordKinds)) {
    for (const row of rows) entries.push(...recordEntries(row, calendar, now, options));
    // Writes the database refused for good (kept by the recordProject activity until a later one succeeds).
    for (const failure of await recordFailures(db)) {
      const row = byId.get(failure.projectId);
      if (!row) continue;
      entries.push({
        projectId: row.id,
        name: row.name,
        locality: row.locality,
        stage: row.stage,
        kind: 'record-out-of-sync',
        since: failure.at,
        evidence: { problem: 'the record refused a write of the project for good', version: failure.version, error: failure.message },
        expected: { actor: 'admin', action: 'see why the record refused it (the error); the next change of the project writes again' },
        repairs: [repair.replay(row.id)],
      });
    }
  }

  const scan: StuckScan = { running: 0, described: 0, max: options.scanMax, complete: true };
  if (wants(TemporalKinds)) {
    if (!client) {
      scan.complete = false;
      scan.problem = 'no Temporal client: only what the record shows is listed';
    } else {
      try {
        const { found, more } = await listRunning(client, filter, options.scanMax);
        scan.running = found.length;
        const running = new Set(found.map((f) => f.projectId));
        // The record's active projects Temporal does not list as running: closed, or gone.
        const notRunning = filter.kind === 'workflow-task-failing' ? [] : rows.filter((r) => !running.has(r.id));
        const room = Math.max(0, options.scanMax - found.length);
        if (more || notRunning.length > room) {
          scan.complete = false;
          scan.problem = `the scan stopped at its bound of ${options.scanMax} workflows (STUCK_SCAN_MAX); filter by locality or stage to see the rest`;
        }
        const targets: Omit<Described, 'description'>[] = [
          ...found.map((f) => ({ projectId: f.projectId, row: byId.get(f.projectId), listed: f })),
          ...notRunning.slice(0, room).map((r) => ({ projectId: r.id, row: r })),
        ];
        const lists = await mapLimit(targets, options.concurrency, async (t) => {
          const described = { ...t, description: await describeProject(client, t.projectId) };
          return temporalEntries(client, described, now, options);
        });
        scan.described = targets.length;
        entries.push(...lists.flat());
      } catch (err) {
        scan.complete = false;
        scan.problem = `Temporal could not be read (${(err as Error).message}): only what the record shows is listed`;
      }
    }
  }

  // Notices whose e-mail or webhook keeps failing (their noticeDelivery workflow retrying): about a
  // channel, not a stage, so they are left out when the list is narrowed to a locality, stage or party.
  if (wants(['notice-failing']) && client && !filter.locality && !filter.stage && !filter.department) {
    try {
      entries.push(...(await noticeEntries(client, byId, options)));
    } catch (err) {
      scan.complete = false;
      scan.problem = `notice deliveries could not be read (${(err as Error).message})`;
    }
  }

  // What an operator already did about a project (a reconciliation marking it missing) stays in view.
  const outOfSync = [...new Set(entries.filter((e) => e.kind === 'record-out-of-sync').map((e) => e.projectId))];
  const notes = await latestNotes(db, outOfSync);
  for (const e of entries) {
    const noted: ProjectNote[] | undefined = e.kind === 'record-out-of-sync' ? notes.get(e.projectId) : undefined;
    if (noted?.length) e.evidence.notes = noted;
  }

  const kept = entries
    .filter((e) => !filter.kind || e.kind === filter.kind)
    .filter((e) => !filter.department || e.evidence.party === filter.department)
    .filter((e) => !filter.locality || e.locality === filter.locality)
    .sort((a, b) => a.since.localeCompare(b.since) || a.projectId.localeCompare(b.projectId));
  const byKind: Partial<Record<StuckKind, number>> = {};
  const byLocality: Record<string, number> = {};
  for (const e of kept) {
    byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    const locality = e.locality ?? 'unknown';
    byLocality[locality] = (byLocality[locality] ?? 0) + 1;
  }
  return { entries: kept, counts: { byKind, byLocality }, scan };
}

/** A page of the list as the API answers it (and `npm run ops -- stuck --json` prints it); `cursor` is the previous page's nextCursor. */
export function stuckPage(list: StuckList, limit: number, cursor?: string) {
  const from = cursor === undefined ? 0 : Number(cursor);
  const next = from + limit < list.entries.length ? String(from + limit) : undefined;
  return { entries: list.entries.slice(from, from + limit), total: list.entries.length, counts: list.counts, scan: list.scan, ...(next && { nextCursor: next }) };
}
