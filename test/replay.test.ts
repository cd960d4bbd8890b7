// Saved histories (test/fixtures/histories, recorded by `npm run record-histories`) replay with the
// current workflow code: a change that would break running projects fails here first.
import { defaultPayloadConverter } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type ReplayResult, type WorkflowBundle } from '@temporalio/worker';
import { CAMPAIGNS_PATCH, HARDENING_PATCH, LEAN_RECORD_PATCH, NOTICE_BATCH_PATCH, NOTICES_PATCH, OPERATIONS_PATCH } from '../workflows/messages';
import { STATE_IN_HISTORY } from '../domain/limits';
import { LONG_RUNNING_PATCH, PUBLIC_RECORD_PATCH } from '../workflows/project-approval';
import { BASELINE_PATCH } from '../workflows/patches';
import { savedHistories } from './support/histories';
import { bundle } from './support/temporal';
import { workflowSpanSinks } from '../tracing/temporal';

const histories = savedHistories();
let current: WorkflowBundle;
let changed: WorkflowBundle;

beforeAll(async () => {
  [current, changed] = await Promise.all([bundle(), bundle(require.resolve('./fixtures/incompatible-workflows'))]);
});

/** The patch ids a history recorded (the SDK writes each as a core_patch marker). */
const patchesIn = (history: (typeof histories)[number]['history']): string[] =>
  (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => {
      const payload = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0];
      return payload ? (JSON.parse(Buffer.from(payload.data as Uint8Array).toString()) as { id: string }).id : '';
    })
    .filter((id, i, all) => all.indexOf(id) === i);

test('saved histories from before and after the long-running change are both replayed', () => {
  const names = histories.map((h) => h.name);
  expect(names).toEqual(
    expect.arrayContaining([
      // Recorded by the foundation code, before LONG_RUNNING_PATCH: they must keep replaying on the old path.
      'pre-patch-general-four-stages',
      'pre-patch-small-simplified-acceptance',
      'pre-patch-withdrawn-during-permit',
      // Recorded after it but before PUBLIC_RECORD_PATCH (calendar-day escalations, no record).
      'pre-record-continued-as-new',
      'pre-record-green-channel-ladder',
      'pre-record-utility-push',
      // Recorded after it but before HARDENING_PATCH (the record awaited in the main loop, full reports in state).
      'pre-hardening-general-four-stages',
      'pre-hardening-long-running-reports',
      'pre-hardening-continued-as-new',
      // Recorded after it but before OPERATIONS_PATCH (a cancellation from Temporal would have cancelled the run).
      'pre-operations-general-four-stages',
      'pre-operations-utility-push',
      'pre-operations-continued-as-new',
      // Recorded after it but before NOTICES_PATCH (agents not told of hand-overs and corrections, reports
      // counted in calendar days).
      'pre-notices-general-four-stages',
      'pre-notices-long-running-reports',
      'pre-notices-green-channel-ladder',
      'pre-notices-utility-push',
      'pre-notices-continued-as-new',
      'pre-notices-withdrawn-during-permit',
      // Recorded before notices carried their facts (messages) and before the acknowledgement Update.
      'pre-messages-green-channel-ladder',
      // Recorded before LEAN_RECORD_PATCH (every record write carried the whole state in history).
      'pre-lean-record-general-four-stages',
      'pre-lean-record-long-running-reports',
      'pre-lean-record-continued-as-new',
      'pre-lean-record-utility-push',
      // Recorded before NOTICE_BATCH_PATCH (each notice an activity of its own).
      'pre-notice-batch-general-four-stages',
      'pre-notice-batch-long-running-reports',
      'pre-notice-batch-continued-as-new',
      'pre-notice-batch-utility-push',
      'pre-notice-batch-green-channel-ladder',
      // Recorded before BASELINE_PATCH (a marker, and a search-attribute upsert, for every change asked).
      'pre-baseline-general-four-stages',
      'pre-baseline-long-running-reports',
      'pre-baseline-continued-as-new',
      'pre-baseline-utility-push',
      'pre-baseline-green-channel-ladder',
      'pre-baseline-campaign',
      // Recorded by the current code, including a run that ended by continuing as new, and one with the
      // operators' repairs (a push retried, a reminder, a held sign-off, a cancellation become a withdrawal).
      'general-four-stages',
      'long-running-reports',
      'green-channel-ladder',
      'utility-push',
      'continued-as-new',
      // A project that joined a 集中开工 campaign (its start-date timer behind CAMPAIGNS_PATCH).
      'campaign',
      // The operators' workflows.
      'ops-housekeeping',
      'ops-batch-renotify',
    ]),
  );
  for (const { name, history } of histories) {
    // The operators' workflows (housekeeping, batches) have no patches yet.
    const expected = name.startsWith('pre-patch-') || name.startsWith('ops-')
      ? []
      : name.startsWith('pre-record-')
        ? [LONG_RUNNING_PATCH]
        : name.startsWith('pre-hardening-')
          ? [LONG_RUNNING_PATCH, PUBLIC_RECORD_PATCH]
          : name.startsWith('pre-operations-')
            ? [HARDENING_PATCH, LONG_RUNNING_PATCH, PUBLIC_RECORD_PATCH]
            : name.startsWith('pre-notices-')
              ? [HARDENING_PATCH, LONG_RUNNING_PATCH, OPERATIONS_PATCH, PUBLIC_RECORD_PATCH]
              : name.startsWith('pre-lean-record-') || name.startsWith('pre-messages-')
                ? [HARDENING_PATCH, LONG_RUNNING_PATCH, NOTICES_PATCH, OPERATIONS_PATCH, PUBLIC_RECORD_PATCH]
                : name.startsWith('pre-notice-batch-')
                  ? [HARDENING_PATCH, LEAN_RECORD_PATCH, LONG_RUNNING_PATCH, NOTICES_PATCH, OPERATIONS_PATCH, PUBLIC_RECORD_PATCH]
                  : name.startsWith('pre-baseline-')
                    ? [HARDENING_PATCH, LEAN_RECORD_PATCH, LONG_RUNNING_PATCH, NOTICE_BATCH_PATCH, NOTICES_PATCH, OPERATIONS_PATCH, PUBLIC_RECORD_PATCH, ...(name === 'pre-baseline-campaign' ? [CAMPAIGNS_PATCH] : [])]
                    : // Every change before the baseline applies; its marker stands for them all.
                      [BASELINE_PATCH];
    expect([name, patchesIn(history).sort()]).toEqual([name, [...expected].sort()]);
  }
  // Someone took charge of a rung from their inbox: an Update the current ladder recording holds.
  const ladder = histories.find((h) => h.name === 'green-channel-ladder')?.history.events ?? [];
  expect(ladder.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'acknowledgeNotice')).toBe(true);
  // The campaign recording: declared by an Update, the run continued as new while it prepared.
  const campaign = histories.find((h) => h.name === 'campaign')?.history.events ?? [];
  expect(campaign.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'joinCampaign')).toBe(true);
  expect(campaign.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  const last = histories.find((h) => h.name === 'continued-as-new')?.history.events?.at(-1);
  expect(last?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
  const repaired = histories.find((h) => h.name === 'utility-push')?.history.events ?? [];
  expect(repaired.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
  expect(repaired.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'heldCommand')).toBe(true);
  expect(repaired.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
  // The agent was told of its project at registration, in the current recordings only.
  const scheduled = (name: string, activity: string) =>
    (histories.find((h) => h.name === name)?.history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity)
      .map((e) => defaultPayloadConverter.fromPayload(e.activityTaskScheduledEventAttributes?.input?.payloads?.[0] ?? {}));
  // Each notice its own activity before NOTICE_BATCH_PATCH; a change's notices in one after it.
  const toAgent = (name: string) => [...scheduled(name, 'notify'), ...scheduled(name, 'notifyAll')].some((input) => /您已成为本项目代办员/.test(JSON.stringify(input)));
  expect([toAgent('withdrawn-during-permit'), toAgent('pre-notices-withdrawn-during-permit')]).toEqual([true, false]);
  for (const name of ['general-four-stages', 'pre-notice-batch-general-four-stages']) {
    const batches = scheduled(name, 'notifyAll') as unknown[][];
    expect([name, scheduled(name, 'notify').length === 0, batches.length > 0, batches.some((b) => b.length > 1)]).toEqual([name, name === 'general-four-stages', name === 'general-four-stages', name === 'general-four-stages']);
  }
  // The record's writes carried the whole state before LEAN_RECORD_PATCH; now none does.
  const recordInputs = (name: string) =>
    (histories.find((h) => h.name === name)?.history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordProject')
      .map((e) => defaultPayloadConverter.fromPayload(e.activityTaskScheduledEventAttributes?.input?.payloads?.[0] ?? {}) as object);
  expect(recordInputs('pre-lean-record-general-four-stages').every((input) => 'state' in input)).toBe(true);
  expect(recordInputs('pre-notice-batch-general-four-stages').every((input) => !('state' in input))).toBe(true);
  // Now a write carries the state while it is small (STATE_IN_HISTORY), and reads it by query past that.
  const inputs = recordInputs('general-four-stages');
  expect(inputs.some((input) => 'state' in input)).toBe(true);
  for (const input of inputs) if ('state' in input) expect(Buffer.byteLength(JSON.stringify(input.state))).toBeLessThanOrEqual(STATE_IN_HISTORY.stateBytes);
});

// One replay worker for every history (a worker per history cost about two seconds each): each history
// replays under its own name as workflow id, and its outcome is kept for its own test below. The run is
// shared as a promise: a test that waited for it past its timeout must not start a second one beside it.
let replayed: Promise<Map<string, ReplayResult['error'] | null>> | undefined;
function replayAll(): Promise<Map<string, ReplayResult['error'] | null>> {
  replayed ??= (async () => {
    const outcomes = new Map<string, ReplayResult['error'] | null>();
    const results = Worker.runReplayHistories(
      { workflowBundle: current, sinks: workflowSpanSinks() },
      histories.map(({ name, history }) => ({ workflowId: name, history })),
    );
    for await (const { workflowId, error } of results) outcomes.set(workflowId, error ?? null);
    return outcomes;
  })();
  return replayed;
}

// The first test waits for every history's replay: about 20 s on a quiet two-core machine, more than
// a minute under the whole suite's load.
test.each(histories.map((h) => h.name))(
  '%s replays with the current code',
  async (name) => {
    const outcomes = await replayAll();
    expect(outcomes.has(name)).toBe(true);
    const error = outcomes.get(name);
    if (error) throw error;
  },
  180_000,
);

test('an incompatible change fails replay with a determinism error', async () => {
  const history = histories.find((h) => h.name === 'general-four-stages')?.history;
  const err = await Worker.runReplayHistory({ workflowBundle: changed }, history).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeterminismViolationError);
});
