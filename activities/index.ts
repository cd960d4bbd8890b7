// Activities, built by a factory so the worker injects real dependencies and tests inject local ones.
// Each may run more than once (Temporal retries), so each is idempotent by a key the workflow gives it.
import { ApplicationFailure, Context, log } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { cachedCalendar, calendarData } from '../db/calendar';
import type { Db } from '../db/connect';
import { resolveAddresses } from '../db/directory';
import { clearRecordFailure, noteRecordFailure } from '../db/operations';
import { TrailConflict, writeProjectRecord } from '../db/record';
import { snapshotVersion } from '../domain/record';
import type { CalendarData } from '../domain/calendar';
import type { Locality, Party, Stage, Utility } from '../domain/codes';
import { addressee, localityPost, partyPost } from '../domain/directory';
import { composeReport } from '../domain/long-running';
import type { Tier } from '../domain/policy';
import { noticeClock, type Escalation, type ProgressReport, type ProjectInfo, type ProjectState } from '../domain/project';
import { sealProblem, type Seal, type SealKeySet, type SealedCommand } from '../domain/seal';
import { nativeSignatureCheck } from '../temporal/command-seal';
import { recordSnapshotQuery } from '../workflows/messages';
import { batchActivities } from './batch';
import { channelActivities, type ChannelDeps } from './channel-delivery';
import { noticeDue, type Delivery, type NotificationSink } from './notification-sink';
import type { NoticeDue, NoticeMessage } from '../domain/notice-texts';
import type { StuckOptions } from '../operations/stuck';
import { createOperationsActivities } from './operations';

export interface ActivityDeps {
  sink: NotificationSink;
  /** The public record, which also holds the liaison directory (db/directory.ts). */
  db: Db;
  /** Where each utility company receives pushed projects. */
  utilityEndpoints: Partial<Record<Utility, string>>;
  /** One HTTP attempt to a utility company may take this long; Temporal retries after it. */
  pushTimeoutMs: number;
  /** The public keys whose seals the worker accepts (the same the workflow bundle carries). */
  sealKeys: SealKeySet;
  /** Temporal itself, for the operations activities (reading a project's history, housekeeping, batches);
   *  sealed when the worker holds the seal's private key. Without it those activities fail and say so. */
  client?: Client;
  /** Thresholds of the stuck list in housekeeping's digest (config/env.ts `stuck`); defaults otherwise. */
  stuck?: Partial<StuckOptions>;
  /** E-mail and webhook delivery of notices (activities/channel-delivery.ts); without, inbox and file only. */
  channels?: Omit<ChannelDeps, 'db'>;
}

/** One rung of the ladder (as the workflow records it) and the project it is about. */
export type EscalationInput = Omit<Escalation, 'notified'> & { projectId: string; projectName: string; locality: Locality };

export interface PushInput {
  company: Utility;
  key: string;
  project: ProjectInfo;
  permitApprovedAt: string;
}

const TIER_NAMES: Record<Tier, string> = { liaison: '联络员 liaison', deputy: '分管领导 deputy leader', main: '主要领导 main leader' };

export function createActivities(deps: ActivityDeps) {
  const { sink, db, utilityEndpoints, pushTimeoutMs, sealKeys, client } = deps;
  /** The people the addresses reach now, as `name <email>`, each once; read at the moment of sending, so a
   *  directory change reaches running projects at once. A post with nobody (an unseeded directory) fails
   *  the activity, which Temporal retries, and the stuck list shows it, rather than telling nobody. */
  const addressees = async (addresses: string[]): Promise<string[]> => {
    const resolved = await resolveAddresses(db, addresses);
    const empty = addresses.filter((_, i) => resolved[i]!.length === 0);
    if (empty.length > 0) throw new Error(`the liaison directory has nobody at ${empty.join(', ')}`);
    return [...new Set(resolved.flat().map(addressee))];
  };
  const deliver = async (project: Pick<ProjectInfo, 'id' | 'name'> & { locality?: Locality }, report: ProgressReport) => {
    const unit = report.pendingIn === 'working-days' ? ' 个工作日 working days' : 'd';
    const pending = report.pending.map((p) => `${p.party} ${p.days}${unit}`).join(', ') || 'none';
    const locality = project.locality ?? (await recordedProject(project.id))?.project.locality;
    await sink.deliver({
      key: `${project.id}/report/${report.seq}`,
      to: report.to,
      message: {
        t: 'report',
        seq: report.seq,
        cadence: report.cadence,
        stage: report.stage,
        stageStatus: report.stageStatus,
        pending: report.pending,
        workingDays: report.pendingIn === 'working-days',
        openCorrections: report.openCorrections.length,
        escalations: report.escalations,
        nextReportAt: report.nextReportAt,
      },
      ...(locality && { project: { id: project.id, name: project.name, locality } }),
      subject:
        `${project.id} ${project.name}: progress report ${report.seq} (${report.cadence}) — ` +
        `${report.stage ?? 'closed'} ${report.stageStatus}; pending: ${pending}; open corrections: ${report.openCorrections.length}; ` +
        `escalations: ${report.escalations}; next report ${report.nextReportAt ?? 'none'}`,
    });
  };
  /** The project as the record last wrote it (for the facts of a notice the workflow did not give). */
  const recordedProject = async (id: string): Promise<ProjectState | undefined> => {
    const row = await db.selectFrom('projects').select('state').where('id', '=', id).executeTakeFirst();
    return row?.state as unknown as ProjectState | undefined;
  };
  /** The stage's time limit as it stands now, from the record (an escalation's attempt is days old, so
   *  recorded); undefined when the record has no such attempt. */
  const recordedDue = async (id: string, stage: Stage, attempt: number): Promise<NoticeDue | undefined> => {
    const state = await recordedProject(id);
    const current = state?.stages.find((s) => s.stage === stage)?.attempts.at(-1);
    if (!state || current?.number !== attempt) return undefined;
    const clock = noticeClock(state, stage);
    return clock && noticeDue(await cachedCalendar(db), clock, Date.now());
  };
  /** A write refused for good is also kept in the record (record_failures), so operators see it after the
   *  worker is gone; the workflow only holds it in memory (recordHealth). */
  const refuse = async (state: ProjectState, at: number, message: string): Promise<never> => {
    await noteRecordFailure(db, { projectId: state.project.id, version: snapshotVersion(state), message, at: new Date(at).toISOString() }).catch((err: unknown) =>
      log.error('could not keep the refused record write in record_failures', { projectId: state.project.id, error: String(err) }),
    );
    throw ApplicationFailure.nonRetryable(message, 'RecordRefused');
  };
  /** The snapshot of the workflow run that asked for its record (LEAN_RECORD_PATCH): read by a query, so
   *  the state crosses no history. */
  const latestSnapshot = () => {
    const { info, client } = Context.current();
    const run = info.workflowExecution;
    if (!run) throw ApplicationFailure.nonRetryable('recordProject without its state must be run by a project workflow');
    const { workflowId, runId } = run;
    return client.workflow.getHandle(workflowId, runId).query(recordSnapshotQuery);
  };
  /** The record write itself; a value the database refuses for its data fails for good. */
  const writeRecord = async (state: ProjectState, at: number) => {
    try {
      await writeProjectRecord(db, state, await cachedCalendar(db), at);
    } catch (err) {
      if (err instanceof TrailConflict) return refuse(state, at, err.message);
      // The database refusing the data itself (SQLSTATE class 22 data exception, 23 integrity, 54 limit)
      // will refuse it on every retry: fail now, so the workflow notes it and goes on.
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && /^(22|23|54)/.test(code)) {
        return refuse(state, at, `the record refused the project's data (SQLSTATE ${code}): ${(err as Error).message}`);
      }
      throw err;
    }
    await clearRecordFailure(db, state.project.id);
  };
  return {
    /** Operations batches' steps (activities/batch.ts). */
    ...batchActivities(client, db),
    /** Notices to their people by e-mail and webhook (the noticeDelivery workflow). */
    ...channelActivities({ db, ...deps.channels }),
    /** Housekeeping's (activities/operations.ts). */
    ...createOperationsActivities(deps),

    /** Writes the project's snapshot and rows to the public record as of `at` (the workflow's time);
     *  running it twice records once. */
    async recordProject(input: { state: ProjectState; at: number } | { latest: true }): Promise<{ version: number }> {
      const { state, at } = 'state' in input ? input : await latestSnapshot();
      await writeRecord(state, at);
      return { version: snapshotVersion(state) };
    },

    /** Whether a new project's registration carries the API's seal (a local activity: its answer is
     *  kept in history, so a replay after a key rotation takes the same path). */
    async verifyRegistrationSeal({ seal, command }: { seal: Seal | null; command: Omit<SealedCommand, 'at'> }): Promise<{ problem: string | null }> {
      const problem = sealProblem(sealKeys, seal ?? undefined, command, undefined, nativeSignatureCheck);
      if (problem) log.warn('registration without a valid seal refused', { workflowId: command.workflowId, problem });
      return { problem };
    },

    /** Whether a held command (workflows/messages.ts) carries the API's seal over the Update it stands for.
     *  A local activity, like the registration's check, so a replay after a key rotation takes the same path. */
    async verifyHeldSeal({ seal, command }: { seal: Seal | null; command: Omit<SealedCommand, 'at'> }): Promise<{ problem: string | null }> {
      const problem = sealProblem(sealKeys, seal ?? undefined, command, undefined, nativeSignatureCheck);
      if (problem) log.warn('held command without a valid seal ignored', { workflowId: command.workflowId, name: command.name, problem });
      return { problem };
    },

    /** Who asked Temporal to cancel the project's run, when, and why (the history's cancel request). */
    async cancellationRequest({ workflowId, runId }: { workflowId: string; runId: string }): Promise<{ identity: string | null; reason: string | null; at: string | null }> {
      if (!client) return { identity: null, reason: null, at: null };
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const event = [...(history.events ?? [])].reverse().find((e) => e.workflowExecutionCancelRequestedEventAttributes);
      const attributes = event?.workflowExecutionCancelRequestedEventAttributes;
      const seconds = event?.eventTime?.seconds;
      return {
        identity: attributes?.identity || null,
        reason: attributes?.cause || null,
        at: seconds !== undefined && seconds !== null ? new Date(Number(seconds) * 1000).toISOString() : null,
      };
    },

    /** 催办: tells each pending party's liaison and the project's locality liaison; returns who. */
    async remind(input: { projectId: string; projectName: string; locality: Locality; stage: Stage; attempt: number; parties: Party[]; reason: string; seq: number }): Promise<{ notified: string[] }> {
      const to = await addressees([...input.parties.map((p) => partyPost(p, 'liaison')), localityPost(input.locality)]);
      const subject =
        `${input.projectId} ${input.projectName}: reminder — ${input.parties.join(', ')} still to sign ${input.stage} (attempt ${input.attempt}): ${input.reason}`;
      const message: NoticeMessage = { t: 'reminder', stage: input.stage, attempt: input.attempt, parties: input.parties, reason: input.reason };
      const due = await recordedDue(input.projectId, input.stage, input.attempt);
      const project = { id: input.projectId, name: input.projectName, locality: input.locality };
      for (const [i, addressee] of to.entries()) {
        await sink.deliver({ key: `${input.projectId}/reminder/${input.seq}/${i}`, to: addressee, subject, message, project, ...(due && { due }) });
      }
      return { notified: to };
    },

    /** The working-day calendar as the service knows it now (shipped schedules plus admin-loaded years). */
    async workingCalendar(): Promise<CalendarData> {
      return calendarData(db);
    },

    /** The notices one change causes, in order. Each has its own key: a retry after a failure part way
     *  through delivers again only those the sink has not taken. */
    async notifyAll(deliveries: Delivery[]): Promise<void> {
      for (const delivery of deliveries) await sink.deliver(delivery);
      log.info('notices delivered', { keys: deliveries.map((d) => d.key) });
    },

    async notify(delivery: Delivery): Promise<void> {
      await sink.deliver(delivery);
      log.info('notice delivered', { key: delivery.key, to: delivery.to });
    },

    /** 代办进度报告: composes the report due at `at` and delivers it to the project's agent. (Projects
     *  from before the hardening patch; later ones compose in the workflow and call deliverReport.) */
    async produceReport({ state, at }: { state: ProjectState; at: number }): Promise<ProgressReport> {
      const report = composeReport(state, at);
      await deliver(state.project, report);
      return report;
    },

    /** Delivers a report the workflow composed (only the report crosses into history, not the state). */
    async deliverReport({ project, report }: { project: Pick<ProjectInfo, 'id' | 'name'> & { locality?: Locality }; report: ProgressReport }): Promise<void> {
      await deliver(project, report);
    },

    /** Tells the people at the slow party's tier, the project's locality liaison (and, at the main tier, the
     *  coordination group); returns who. */
    async escalate(input: EscalationInput): Promise<{ notified: string[] }> {
      const to = await addressees([partyPost(input.party, input.tier), localityPost(input.locality), ...(input.tier === 'main' ? ['coordination-group'] : [])]);
      const subject =
        `${input.projectId} ${input.projectName}: ${input.party} has not signed ${input.stage} (attempt ${input.attempt}) ` +
        `for ${input.pendingDays} days — escalated to ${TIER_NAMES[input.tier]}`;
      const base = `${input.projectId}/escalation/${input.stage}/${input.attempt}/${input.party}/${input.tier}`;
      const message: NoticeMessage = { t: 'escalation', stage: input.stage, attempt: input.attempt, party: input.party, tier: input.tier, pendingDays: input.pendingDays };
      const due = await recordedDue(input.projectId, input.stage, input.attempt);
      const project = { id: input.projectId, name: input.projectName, locality: input.locality };
      for (const [i, addressee] of to.entries()) await sink.deliver({ key: `${base}/${i}`, to: addressee, subject, message, project, ...(due && { due }) });
      return { notified: to };
    },

    /** 市政接入: POSTs the permitted project to the company, with the same Idempotency-Key on every attempt. */
    async pushToUtility({ company, key, project, permitApprovedAt }: PushInput): Promise<{ status: number }> {
      const url = utilityEndpoints[company];
      if (!url) throw ApplicationFailure.nonRetryable(`no endpoint configured for utility company ${company}`);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ company, permitApprovedAt, project }),
        signal: AbortSignal.timeout(pushTimeoutMs),
      });
      await res.body?.cancel();
      if (res.ok) return { status: res.status };
      const message = `${company} answered HTTP ${res.status}`;
      // A 4xx other than timeout/rate-limit will not get better by retrying.
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw ApplicationFailure.nonRetryable(message);
      throw new Error(message);
    },
  };
}
