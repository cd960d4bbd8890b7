// projectApproval: one durable workflow per project, from registration through the four stages and the
// months or years in between. Human actions arrive as Updates whose validators refuse wrong ones before
// anything reaches history; handlers only change state and queue notices, and the main loop does the side
// effects (notices, reports, escalations, pushes, search attributes) so that a handler never waits on I/O.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { createActivities } from '../activities';
import type { Delivery } from '../activities/notification-sink';
import type { Stage } from '../domain/codes';
import {
  agentAssignmentForbidden,
  agentForbidden,
  applyAgent,
  applyCadence,
  applyGreenChannel,
  checkAgent,
  checkCadence,
  checkGreenChannel,
  composeReport,
  dueEscalations,
  nextEscalationAt,
  nextReportAt,
} from '../domain/long-running';
import type { Policy } from '../domain/policy';
import {
  applyApplication,
  applyOperationNote,
  applyPushRetry,
  applyReminder,
  applySignOff,
  applySupplement,
  applyWithdrawal,
  checkApplication,
  checkOperationNote,
  checkAcknowledgement,
  applyAcknowledgement,
  checkPushRetry,
  checkReminder,
  checkSignOff,
  checkSupplement,
  checkWithdrawal,
  listedStage,
  newProjectState,
  overallStatus,
  reportsSent,
  type Actor,
  type CommandResult,
  type Notice,
  type Reminder,
  type ProjectApprovalInput,
  type ProjectState,
  type UtilityPush,
} from '../domain/project';
import { agentHandOver, type AgentTelling } from '../domain/agent-notices';
import { applyCampaignJoin, applyCampaignLeave, applyCampaignStart, campaignStartDue, checkCampaignJoin } from '../domain/campaigns';
import { WorkingCalendar } from '../domain/calendar';
import { snapshotVersion } from '../domain/record';
import {
  CAMPAIGNS_PATCH,
  FORBIDDEN,
  HARDENING_PATCH,
  LEAN_RECORD_PATCH,
  NOTICE_BATCH_PATCH,
  NOTICES_PATCH,
  OPERATIONS_PATCH,
  REFUSED,
  assignAgent,
  calendarChanged,
  enterGreenChannel,
  heldCommand,
  joinCampaign,
  leaveCampaign,
  noteOperation,
  acknowledgeNotice,
  recordHealthQuery,
  recordSnapshotQuery,
  recordSupplement,
  remindPending,
  retryPush,
  setReportCadence,
  signOff,
  stateQuery,
  submitApplication,
  withdraw,
  type HeldCommand,
  type RecordHealth,
} from './messages';
import { since } from './patches';
import { LIMITS, capacityRefusal, stateForHistory } from '../domain/limits';
import type { Refusal } from '../domain/refusals';
import { awaitAdmission } from './admission';
import { changeTrace, type ChangeTrace } from './tracing';
import { ProjectCategory, ProjectLocality, ProjectMajor, ProjectStage, ProjectStatus } from './search-attributes';

/**
 * Reports, escalations, the push to utility companies, automatic connection and continue-as-new came
 * after the first projects ran. A history without this marker replays the foundation behaviour; once no
 * such project is open, deprecatePatch() this id, and later remove the old path (see README).
 */
export const LONG_RUNNING_PATCH = 'long-running-life';

/**
 * The public record (every change written to PostgreSQL by an activity) and the working-day calendar
 * (escalation thresholds in working days, from a calendar fetched by an activity) came next.
 */
export const PUBLIC_RECORD_PATCH = 'public-record';

type Activities = ReturnType<typeof createActivities>;

const { notify, notifyAll, produceReport, escalate, recordProject, workingCalendar } = proxyActivities<Activities>({
  // Delivery to a sink is quick; a sink that is down is retried with backoff, never abandoned.
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

// The public record once the hardening patch applies: retried for as long as the database is away, but a
// write the database refuses for its data (a bad value, a constraint) fails at once and waits for the
// next change; in either case nothing else in the workflow waits for it.
const { recordProject: recordBeside, deliverReport } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

// The operators' side. Who asked Temporal to cancel is read from history, tried a few times: without it the
// withdrawal is recorded as by "temporal". Reminders are delivered like any notice (retried until the sink
// takes them).
const { cancellationRequest } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});
const { remind } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
const { verifyHeldSeal } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '1 minute' } });

/** History size (bytes) at which a hardened project continues as new: each record write carries the
 *  state (at most 256 KB), so this keeps a run's history a fifth of Temporal's 10 MB warning. */
const HISTORY_BYTES_CAP = 2 * 1024 * 1024;

/** Refuses with the English reason as the message and the refusal's code and facts as its details (a
 *  validator's refusal is not in history: the details change no command). */
function refuseIf(refused: Refusal | null, type = REFUSED): void {
  if (refused !== null) throw ApplicationFailure.create({ type, message: refused.message, nonRetryable: true, details: [{ code: refused.code, ...(refused.params && { params: refused.params }) }] });
}

/** Human actions other than withdrawal may not grow the project past its size limit. */
const withinCapacity = (state: ProjectState, input: unknown): void => refuseIf(capacityRefusal(state, input));

type Outgoing = Notice & { key: string };

/** A notice as it leaves: with the project people know it by (name, locality), for its words. */
const addressed = (state: ProjectState, n: Outgoing): Delivery => ({ ...n, project: { id: state.project.id, name: state.project.name, locality: state.project.locality } });

/** A human action by name, as its Update handler and validator apply it (held commands use the same). */
interface Command {
  validate: (input: never) => void;
  apply: (input: never) => CommandResult;
}

/** What the operators' side of the workflow keeps between handlers and the main loop. */
interface Operations {
  commands: Map<string, Command>;
  /** Held commands applied (by their Update id), with what they answered: a retry of one as an Update
   *  answers the same. Kept in the state across runs (the latest LIMITS.heldInState). */
  applied: Map<string, CommandResult>;
  held: HeldCommand[];
  reminders: Reminder[];
  cancelRequested: boolean;
}

export async function projectApproval(input: ProjectApprovalInput): Promise<ProjectState> {
  const longRunning = since(LONG_RUNNING_PATCH);
  // Asked once, here, before any handler can run: every notice of this run follows the same answer.
  const telling: AgentTelling = { agentNotices: longRunning && since(NOTICES_PATCH) };
  const state =
    input.carried ??
    newProjectState(input.project, input.plan, {
      agent: input.agent ?? null,
      autoConnection: longRunning,
      ...(longRunning && input.policy && { policy: input.policy }),
    });
  const outbox: Outgoing[] = [];
  const now = (): string => new Date().toISOString();
  // An accepted action's place in the trail (its answer adds the state when small: `answered` below).
  const queue = (notices: Notice[]): CommandResult => {
    const seq = state.trail.length;
    notices.forEach((n, i) => outbox.push({ ...n, key: `${state.project.id}/${seq}/${i}` }));
    return { seq, at: state.trail[seq - 1]?.at ?? now() };
  };
  // Registered with an agent: it receives the project (a run continued as new has told it already).
  if (telling.agentNotices && !input.carried) queue(agentHandOver(state, null));

  const changes = changeTrace();
  let refused: unknown;
  setHandler(stateQuery, () => {
    // A registration refused for want of the API's seal is no project: nothing to read.
    if (refused !== undefined) throw refused;
    return state;
  });
  setHandler(recordSnapshotQuery, () => {
    if (refused !== undefined) throw refused;
    return { state, at: Date.now() };
  });
  const ops: Operations = {
    commands: new Map(),
    applied: new Map((state.heldApplied ?? []).map((id) => [id, { seq: state.trail.length, at: now() }])),
    held: [],
    reminders: [],
    cancelRequested: false,
  };
  // The action's answer, with the state while small (STATE_IN_HISTORY). A copy taken now: it is converted
  // after the handler returns, when the loop may have moved on.
  const answered = (result: CommandResult): CommandResult => {
    const json = stateForHistory(state, workflowInfo().historySize);
    return json === undefined ? result : { ...result, state: JSON.parse(json) as ProjectState };
  };
  // An action held for a stuck project and applied from its signal may arrive again as an Update with the
  // same id (the caller retried with its Idempotency-Key once the project ran): answered, not applied twice.
  const repeated = (): CommandResult | undefined => {
    const id = currentUpdateInfo()?.id;
    return id === undefined ? undefined : ops.applied.get(id);
  };
  const command = <A>(update: UpdateDefinition<CommandResult, [A]>, validate: (input: A) => void, apply: (input: A) => CommandResult) => {
    setHandler(update, (input: A) => (changes.mark(), repeated() ?? answered(apply(input))), { validator: (input: A) => void (repeated() ?? validate(input)) });
    ops.commands.set(update.name, { validate, apply } as Command);
  };
  command(submitApplication, (a) => (refuseIf(checkApplication(state, a)), withinCapacity(state, a)), (a) => queue(applyApplication(state, a, now())));
  command(signOff, (s) => (refuseIf(checkSignOff(state, s)), withinCapacity(state, s)), (s) => queue(applySignOff(state, s, now(), telling)));
  command(recordSupplement, (s) => (refuseIf(checkSupplement(state, s)), withinCapacity(state, s)), (s) => queue(applySupplement(state, s, now())));
  command(withdraw, (w) => refuseIf(checkWithdrawal(state, w)), (w) => queue(applyWithdrawal(state, w, now())));

  if (!longRunning) return foundationLoop(state, outbox);

  const policy = state.policy;
  if (!policy) throw ApplicationFailure.nonRetryable('a new project needs its policy in the workflow input');
  command(
    assignAgent,
    (a) => (refuseIf(agentAssignmentForbidden(state, a), FORBIDDEN), refuseIf(checkAgent(state, a)), withinCapacity(state, a)),
    (a) => queue(applyAgent(state, a, now(), telling)),
  );
  command(
    setReportCadence,
    (c) => (refuseIf(agentForbidden(state, c.by), FORBIDDEN), refuseIf(checkCadence(state, c)), withinCapacity(state, c)),
    (c) => queue(applyCadence(state, c, now())),
  );
  // A campaign's message that changes nothing (sent again) answers without a trail entry.
  const unchanged = (): CommandResult => ({ seq: state.trail.length, at: state.trail[state.trail.length - 1]?.at ?? now() });
  command(
    joinCampaign,
    (c) => (refuseIf(checkCampaignJoin(state, c)), withinCapacity(state, c)),
    (c) => {
      const notices = applyCampaignJoin(state, c, now());
      return notices ? queue(notices) : unchanged();
    },
  );
  command(
    leaveCampaign,
    () => undefined,
    (c) => {
      const notices = applyCampaignLeave(state, c, now());
      return notices ? queue(notices) : unchanged();
    },
  );
  command(enterGreenChannel, (g) => (refuseIf(checkGreenChannel(state)), withinCapacity(state, g)), (g) => queue(applyGreenChannel(state, g, now(), telling)));
  // The operators' repairs. Registering a handler adds nothing to history, so older runs get them too.
  command(retryPush, (r) => (refuseIf(checkPushRetry(state, r)), withinCapacity(state, r)), (r) => queue(applyPushRetry(state, r, now())));
  command(
    remindPending,
    (r) => (refuseIf(checkReminder(state, r)), withinCapacity(state, r)),
    (r) => {
      ops.reminders.push(applyReminder(state, r, now()));
      return queue([]);
    },
  );
  command(noteOperation, (n) => (refuseIf(checkOperationNote(state, n)), withinCapacity(state, n)), (n) => queue(applyOperationNote(state, n, now())));
  command(acknowledgeNotice, (a) => (refuseIf(checkAcknowledgement(state, a)), withinCapacity(state, a)), (a) => queue(applyAcknowledgement(state, a, now())));
  setHandler(heldCommand, (held) => {
    ops.held.push(held);
  });
  // Every handler is set: now wait, if this is a new registration, for its seal to be checked.
  await awaitAdmission().catch((err: unknown) => {
    refused = err;
    throw err;
  });
  if (!since(OPERATIONS_PATCH)) return longRunningLoop(input, policy, state, outbox, ops, queue, telling, changes);
  // A cancellation requested in Temporal (the most prominent button of its UI) must not break the
  // project: the run goes on out of the cancellation's reach, and the loop records it as a withdrawal.
  CancellationScope.current().cancelRequested.catch(() => {
    ops.cancelRequested = true;
  });
  return CancellationScope.nonCancellable(() => longRunningLoop(input, policy, state, outbox, ops, queue, telling, changes));
}

/** The behaviour of projects started before LONG_RUNNING_PATCH; kept unchanged so their histories replay. */
async function foundationLoop(state: ProjectState, outbox: Outgoing[]): Promise<ProjectState> {
  let lastStage: Stage = state.currentStage as Stage;
  let seen = state.trail.length;
  for (;;) {
    await condition(() => state.trail.length !== seen);
    seen = state.trail.length;
    lastStage = state.currentStage ?? lastStage;
    upsertSearchAttributes([
      { key: ProjectStage, value: lastStage },
      { key: ProjectStatus, value: overallStatus(state) },
      { key: ProjectLocality, value: state.project.locality },
      { key: ProjectCategory, value: state.project.category },
      { key: ProjectMajor, value: state.project.major },
    ]);
    while (outbox.length > 0) await notify(addressed(state, outbox.shift() as Outgoing));
    if (state.status !== 'active' && state.trail.length === seen) break;
  }
  await condition(allHandlersFinished);
  return state;
}

async function longRunningLoop(
  input: ProjectApprovalInput,
  policy: Policy,
  state: ProjectState,
  outbox: Outgoing[],
  ops: Operations,
  queue: (notices: Notice[]) => CommandResult,
  telling: AgentTelling,
  changes: ChangeTrace,
): Promise<ProjectState> {
  const { pushToUtility } = proxyActivities<Activities>({
    // The HTTP call has its own shorter timeout; a company that keeps failing is given up after
    // policy.pushAttempts, marked failed in the project's state, and the window is told.
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: policy.pushAttempts },
  });
  const id = state.project.id;
  // Projects started after PUBLIC_RECORD_PATCH keep the public record and count in working days.
  const recording = since(PUBLIC_RECORD_PATCH);
  let calendar: WorkingCalendar | undefined;
  let calendarStale = recording;
  setHandler(calendarChanged, () => {
    calendarStale = recording;
  });
  const hardened = since(HARDENING_PATCH);
  const batchedNotices = since(NOTICE_BATCH_PATCH);
  let recorded = -1;
  const record = async () => {
    if (hardened || !recording || snapshotVersion(state) === recorded) return;
    const version = snapshotVersion(state);
    await recordProject({ state, at: Date.now() });
    recorded = version;
  };
  // Hardened: the record is written beside the main loop, one write at a time, always the latest state.
  let recordFailure: RecordHealth['failure'] = null;
  const recordCaughtUp = () => !recording || snapshotVersion(state) === recorded || (hardened && recordFailure?.version === snapshotVersion(state));
  setHandler(recordHealthQuery, () => ({ recordedVersion: recorded, currentVersion: snapshotVersion(state), failure: recordFailure }));
  if (hardened && recording) {
    void (async () => {
      for (;;) {
        await condition(() => !recordCaughtUp());
        const version = snapshotVersion(state);
        try {
          if (since(LEAN_RECORD_PATCH)) {
            // A small state goes with the write (STATE_IN_HISTORY). Otherwise the writer reads the latest
            // snapshot itself, so this change's history holds no copy of the state; it answers the version
            // it wrote (this one or, if more happened meanwhile, a later one).
            const small = stateForHistory(state, workflowInfo().historySize) !== undefined;
            const written = await changes.within(() => recordBeside(small ? { state, at: Date.now() } : { latest: true }));
            recorded = Math.max(version, written.version);
          } else {
            await changes.within(() => recordBeside({ state, at: Date.now() }));
            recorded = version;
          }
          recordFailure = null;
        } catch (err) {
          const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
          recordFailure = { version, message: cause, at: new Date().toISOString() };
        }
      }
    })();
  }
  const inFlight = new Set<string>();
  let settled = 0; // bumped when a push settles, so the loop wakes to record it

  const startPushes = () => {
    for (const push of state.pushes.filter((p) => p.status === 'pending' && !inFlight.has(p.company))) {
      inFlight.add(push.company);
      // After an admin's retry the window hears of the outcome either way (each retry its own notice).
      const retry = push.retries ? `/${push.retries}` : '';
      void pushToUtility({ company: push.company, key: push.key, project: state.project, permitApprovedAt: push.startedAt })
        .then(() => {
          settle(push, 'delivered');
          if (retry) {
            outbox.push({
              key: `${id}/utility-push/${push.company}/delivered${retry}`,
              to: 'window',
              subject: `${id}: push to ${push.company} delivered on retry ${push.retries}`,
              message: { t: 'push-delivered', company: push.company, retries: push.retries ?? 0 },
            });
          }
        })
        .catch((err: unknown) => {
          const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
          settle(push, 'failed', cause);
          const again = push.retries ? ` again (retry ${push.retries})` : '';
          outbox.push({
            key: `${id}/utility-push/${push.company}/failed${retry}`,
            to: 'window',
            subject: `${id}: push to ${push.company} failed${again}: ${cause}`,
            message: { t: 'push-failed', company: push.company, error: cause, again: Boolean(push.retries) },
          });
        });
    }
  };
  const settle = (push: UtilityPush, status: 'delivered' | 'failed', error?: string) => {
    push.status = status;
    push.settledAt = new Date().toISOString();
    if (error !== undefined) push.error = error;
    inFlight.delete(push.company);
    settled++;
  };

  // The starter set the first search attributes, and continue-as-new carries them over.
  let listed = JSON.stringify(searchAttributes(state));
  const syncSearchAttributes = () => {
    const current = searchAttributes(state);
    if (JSON.stringify(current) === listed) return;
    listed = JSON.stringify(current);
    upsertSearchAttributes([
      { key: ProjectStage, value: current.stage },
      { key: ProjectStatus, value: current.status },
      { key: ProjectLocality, value: current.locality },
      { key: ProjectCategory, value: current.category },
      { key: ProjectMajor, value: current.major },
    ]);
  };
  // What is queued while a batch is out goes in the next one.
  const drain = async () => {
    if (batchedNotices) while (outbox.length > 0) await notifyAll(outbox.splice(0).map((n) => addressed(state, n)));
    else while (outbox.length > 0) await notify(addressed(state, outbox.shift() as Outgoing));
  };

  // The operators' side: a cancellation becomes a withdrawal, held commands are applied (or refused and
  // their sender told), reminders are delivered.
  let cancellationHandled = false;
  const operationsDue = () => (ops.cancelRequested && !cancellationHandled) || ops.held.length > 0 || ops.reminders.length > 0;
  const handleOperations = async () => {
    if (ops.cancelRequested && !cancellationHandled) {
      cancellationHandled = true;
      if (state.status === 'active') {
        const info = workflowInfo();
        const asked = await cancellationRequest({ workflowId: info.workflowId, runId: info.runId }).catch(() => ({ identity: null, reason: null }));
        const by: Actor = { id: asked.identity ? `temporal:${asked.identity}` : 'temporal', role: 'system', name: 'Temporal operator (cancellation request)' };
        const reason = `cancellation requested in Temporal${asked.identity ? ` by ${asked.identity}` : ''}${asked.reason ? `: ${asked.reason}` : ''}`;
        queue(applyWithdrawal(state, { by, reason }, new Date().toISOString()));
      }
    }
    for (let held = ops.held.shift(); held; held = ops.held.shift()) await applyHeld(held);
    for (let reminder = ops.reminders.shift(); reminder; reminder = ops.reminders.shift()) {
      await remind({ projectId: id, projectName: state.project.name, locality: state.project.locality, ...reminder });
    }
  };
  const applyHeld = async (held: HeldCommand) => {
    const known = ops.commands.get(held.name);
    if (!known || ops.applied.has(held.updateId)) return;
    // Sealed as held (not as the Update it stands for), so an Update's seal copied out of history cannot
    // be sent as a held command; and a held command applies once, in this run and the next.
    const command = { kind: 'held' as const, workflowId: workflowInfo().workflowId, name: held.name, id: held.updateId, args: [held.input] };
    const { problem } = await verifyHeldSeal({ seal: held.seal ?? null, command });
    if (problem) {
      log.warn('held command ignored', { name: held.name, problem });
      return;
    }
    const by = (held.input as { by: Actor }).by;
    const tell = (subject: string, refused: string | null) =>
      outbox.push({ key: `${id}/held/${held.updateId}`, to: `principal:${by.id}`, subject, message: { t: 'held', action: held.name, refused } });
    try {
      known.validate(held.input as never);
    } catch (err) {
      tell(`${id} ${state.project.name}: your ${held.name}, sent while the project was not making progress, was refused: ${(err as Error).message}`, (err as Error).message);
      return;
    }
    ops.applied.set(held.updateId, known.apply(held.input as never));
    state.heldApplied = [...(state.heldApplied ?? []), held.updateId].slice(-LIMITS.heldInState);
    tell(`${id} ${state.project.name}: your ${held.name}, sent while the project was not making progress, has been applied`, null);
  };

  // Timers for the next report or escalation. One is started only when nothing already pending would
  // ring by then, and none is ever cancelled: an early ring just makes the loop look again. This keeps
  // history small (no start/cancel pair on every action).
  const ringing = new Set<number>();
  let rang = false;
  const armFor = (due: number) => {
    if ([...ringing].some((t) => t <= due)) return;
    ringing.add(due);
    void sleep(Math.max(due - Date.now(), 1)).then(() => {
      ringing.delete(due);
      rang = true;
    });
  };

  // What the loop has handled; anything that changes after this (even while it is busy delivering)
  // wakes it again.
  let seenTrail = state.trail.length;
  let seenSettled = settled;
  for (;;) {
    startPushes();
    if (calendarStale) {
      calendarStale = false;
      calendar = new WorkingCalendar(await workingCalendar());
    }
    await record();
    const before = Date.now();
    const plannedReport = nextReportAt(state);
    // Only a project that joined a campaign asks the patch: older histories never reach this.
    const campaignStart = campaignStartDue(state);
    const campaignTimer = campaignStart !== null && since(CAMPAIGNS_PATCH) ? campaignStart : null;
    const due = [plannedReport, nextEscalationAt(state, policy, before, calendar), campaignTimer].filter((t): t is number => t !== null);
    if (due.length > 0) armFor(Math.min(...due));
    await condition(() => rang || calendarStale || state.trail.length !== seenTrail || settled !== seenSettled || outbox.length > 0 || operationsDue());
    rang = false;
    // Awaited only when due: an idle await would shift this loop's commands against the recorder's.
    if (operationsDue()) await handleOperations();
    seenTrail = state.trail.length;
    seenSettled = settled;

    const at = Date.now();
    // The start date reached: biweekly again, before the report due now is composed.
    if (campaignTimer !== null) {
      const started = applyCampaignStart(state, at);
      if (started) queue(started);
    }
    const reportAt = nextReportAt(state);
    if (reportAt !== null && reportAt <= at) {
      // Its timer rang: dated when it was due. Made overdue by a cadence switch: sent and dated now.
      const when = reportAt === plannedReport && reportAt > before ? reportAt : at;
      // Hardened: composed here (a pure function), so only the report enters history, not the state.
      // Counted in working days, as the stage clocks are, once the notices change applies.
      const report = hardened ? composeReport(state, when, telling.agentNotices ? calendar : undefined) : await produceReport({ state: { ...state, trail: [] }, at: when });
      if (hardened) {
        await deliverReport({ project: { id, name: state.project.name, locality: state.project.locality }, report });
        // The live state keeps the latest reports; every one is in the public record.
        state.reportCount = reportsSent(state) + 1;
        state.reports = [...state.reports, report].slice(-LIMITS.reportsInState);
      } else state.reports.push(report);
    }
    // One rung at a time, looking again after each delivery: a sign-off or a correction that arrives
    // meanwhile stops the rungs still to come. (Histories from before PUBLIC_RECORD_PATCH climbed the
    // rungs due when the loop woke, and must replay that way.)
    const rungs = recording ? undefined : dueEscalations(state, policy, at, calendar);
    const nextRung = () => (rungs ? rungs.shift() : dueEscalations(state, policy, Date.now(), calendar)[0]);
    for (let rung = nextRung(); rung; rung = nextRung()) {
      // Recorded before delivery, so a rung is never climbed twice.
      const escalation = { ...rung, notified: [] as string[] };
      state.escalations.push(escalation);
      const { notified } = await escalate({
        projectId: id,
        projectName: state.project.name,
        locality: state.project.locality,
        ...rung,
      });
      escalation.notified = notified;
    }
    syncSearchAttributes();
    await changes.within(drain);

    const closed = state.status !== 'active';
    const info = workflowInfo();
    // Hardened projects also start afresh well before Temporal's 10 MB history-size warning, whatever
    // the server suggests (the test server suggests nothing).
    const tooLarge = hardened && info.historySize >= HISTORY_BYTES_CAP;
    if (closed || info.continueAsNewSuggested || info.historyLength >= policy.historyEventCap || tooLarge) {
      // Nothing may be lost at the boundary: finish every handler, push and notice first.
      for (;;) {
        startPushes();
        await condition(() => allHandlersFinished() && inFlight.size === 0);
        syncSearchAttributes();
        if (operationsDue()) await handleOperations();
        if (outbox.length === 0 && state.pushes.every((p) => p.status !== 'pending') && recordCaughtUp() && !operationsDue()) break;
        await drain();
        if (hardened) await condition(() => recordCaughtUp() || outbox.length > 0 || !allHandlersFinished());
        else await record();
      }
      if (state.status !== 'active') return state;
      return continueAsNew<typeof projectApproval>({
        project: input.project,
        plan: input.plan,
        policy,
        carried: state,
      });
    }
  }
}

function searchAttributes(state: ProjectState) {
  return {
    stage: listedStage(state),
    status: overallStatus(state),
    locality: state.project.locality,
    category: state.project.category,
    major: state.project.major,
  };
}
