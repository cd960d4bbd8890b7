// On the time-skipping server: a sign-off left pending past its stage's time limit is listed as
// overdue-sign-off from the first working day after the limit (not on the deadline, nor on a day off in
// between), with the working days over; housekeeping's daily digest, run at the server's time, lists it.
// The worker writes to a record of the test's own, so housekeeping sees only this test's project.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { DIGEST_TO } from '../activities/operations';
import { FileNotificationSink } from '../activities/notification-sink';
import { startProject } from '../api/project-client';
import { loadCalendar } from '../db/calendar';
import { readProjectRecord } from '../db/record';
import { shanghaiDate, startOfShanghaiDay } from '../domain/calendar';
import { DEFAULT_POLICY } from '../domain/policy';
import { registrationInput, type Actor } from '../domain/project';
import { findStuck } from '../operations/stuck';
import { createWorker } from '../worker/worker';
import { signOff, submitApplication, workflowIdFor } from '../workflows/messages';
import { eventually } from './support/eventually';
import { ownRecord, type OwnRecord } from './support/record-db';
import { bundle, createTimeSkippingEnv, tempFile, testSeal, uniqueTaskQueue } from './support/temporal';

let env: TestWorkflowEnvironment;
let record: OwnRecord;
let workflowBundle: WorkflowBundle;
beforeAll(async () => {
  [env, record, workflowBundle] = await Promise.all([createTimeSkippingEnv(), ownRecord(), bundle()]);
});
afterAll(async () => {
  await env?.teardown();
  await record?.close();
});

const WINDOW: Actor = { id: 'window-01', role: 'window' };
const reviewer = (party: 'planning' | 'construction'): Actor => ({ id: `reviewer-${party}`, role: 'reviewer', party });
const HOUR = 60 * 60 * 1000;

test('a sign-off pending past its limit is overdue from the next working day, and the daily digest lists it', async () => {
  const taskQueue = uniqueTaskQueue('stuck-overdue');
  const sink = new FileNotificationSink(tempFile('notifications.jsonl'));
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle,
    activities: { sink, db: record.service, utilityEndpoints: {}, pushTimeoutMs: 1_000, sealKeys: testSeal().keys, client: env.client },
  });
  await worker.runUntil(async () => {
    const at = new Date(await env.currentTimeMs()).toISOString();
    const input = registrationInput(
      { name: '枫泾镇 仓库', applicant: { name: '上海枫泾某某仓储有限公司', uscc: '91310000MA1FL4B24G' }, category: 'industrial', major: false, locality: 'fengjing', utilities: ['gas'] },
      randomUUID(),
      WINDOW,
      at,
      DEFAULT_POLICY,
    );
    const id = input.project.id;
    const handle = await startProject(env.client, taskQueue, input);
    await handle.executeUpdate(submitApplication, { args: [{ stage: 'design', by: WINDOW }] });
    for (const party of ['planning', 'construction'] as const) {
      await handle.executeUpdate(signOff, { args: [{ stage: 'design', party, decision: 'approve', by: reviewer(party) }] });
    }
    const calendar = await loadCalendar(record.service);
    const recorded = await eventually(() => readProjectRecord(record.service, id), (s) => s?.stages[0]?.attempts[0]?.signOffs.length === 2);
    const attempt = recorded?.stages[0]?.attempts[0];
    const limit = attempt?.limitDays as number;
    const deadline = calendar.deadline(shanghaiDate(attempt?.submittedAt as string), limit);
    const overdueFrom = calendar.deadline(deadline, 1);

    const listAt = async (date: string) => {
      const target = startOfShanghaiDay(date) + 12 * HOUR;
      await env.sleep(target - (await env.currentTimeMs()));
      const now = await env.currentTimeMs();
      return findStuck({ db: record.service, client: env.client, calendar, now }, { kind: 'overdue-sign-off' });
    };
    // Every day from the deadline up to the first working day after it (a weekend or holiday in between
    // does not count), nothing is overdue.
    for (let day = deadline; day < overdueFrom; day = shanghaiDate(startOfShanghaiDay(day) + 36 * HOUR)) {
      expect({ day, entries: (await listAt(day)).entries }).toEqual({ day, entries: [] });
    }
    const overdue = await listAt(overdueFrom);
    expect(overdue.entries).toEqual([
      expect.objectContaining({
        projectId: id,
        kind: 'overdue-sign-off',
        locality: 'fengjing',
        stage: 'design',
        since: new Date(startOfShanghaiDay(overdueFrom)).toISOString(),
        evidence: expect.objectContaining({ party: 'water', limitDays: limit, usedDays: limit + 1, daysOver: 1, deadline }),
        expected: expect.objectContaining({ actor: 'party:water' }),
        repairs: [{ action: 'remind', method: 'POST', path: `/api/projects/${id}/stages/design/reminders` }],
      }),
    ]);
    expect(overdue.counts.byKind).toEqual({ 'overdue-sign-off': 1 });
    // The department filter keeps only its own cases.
    expect((await findStuck({ db: record.service, calendar, now: await env.currentTimeMs() }, { department: 'planning' })).entries).toEqual([]);

    // Housekeeping, at the server's time (a working day): the digest to leaders and admins lists the case.
    const result = await env.client.workflow.execute('housekeeping', { taskQueue, workflowId: `housekeeping-${randomUUID()}`, args: [{}] });
    expect(result.digest).toMatchObject({ date: overdueFrom, sent: true });
    const digests = (await sink.read()).filter((d) => d.key.startsWith(`digest/${overdueFrom}`));
    expect(digests.map((d) => d.to).sort()).toEqual([...DIGEST_TO].sort());
    for (const d of digests) {
      expect(d.subject).toContain('overdue-sign-off 1');
      expect(d.subject).toContain('fengjing 1');
      expect(d.subject).toMatch(new RegExp(`1\\. ${id} .*overdue-sign-off water \\+1 working days`));
    }
    // Terminated behind the record's back: the next run reconciles it, and sends no second digest that day.
    await env.client.workflow.getHandle(workflowIdFor(id)).terminate('test over');
    const again = await env.client.workflow.execute('housekeeping', { taskQueue, workflowId: `housekeeping-${randomUUID()}`, args: [{}] });
    // (Waiting for it lets the server skip ahead, so it may run on a later day; either way no second digest
    // is sent for the same date.)
    expect(again.digest.sent && again.digest.date === overdueFrom).toBe(false);
    expect((await sink.read()).filter((d) => d.key.startsWith(`digest/${overdueFrom}`))).toHaveLength(DIGEST_TO.length);
    expect(again.reconciled.reconciled).toEqual([{ projectId: id, outcome: expect.objectContaining({ outcome: 'terminated', termination: expect.objectContaining({ reason: 'test over' }) }) }]);
  });
}, 120_000);
