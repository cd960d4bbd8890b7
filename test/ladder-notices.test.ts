// A major project's escalation ladder reaches people. On the time-skipping server, with the real API and a
// real SMTP server: the water bureau's liaison, deputy and main leader are e-mailed and find the escalation
// in their inbox on the working day each rung is due, in Chinese, with the project's name, locality, time
// limit and console link; the deputy takes charge from the inbox, the project records it, and the ladder
// still climbs when the sign-off does not come.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import pino from 'pino';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { startProject } from '../api/project-client';
import { loadPrincipals } from '../config/principals';
import { loadCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { shanghaiDate, startOfShanghaiDay } from '../domain/calendar';
import { DEFAULT_POLICY } from '../domain/policy';
import type { ProjectState } from '../domain/project';
import { stateQuery } from '../workflows/messages';
import { projectInput } from './support/fixtures';
import { apiCaller } from './support/http';
import { eventually } from './support/eventually';
import { TEST_PUBLIC_URL } from './support/service';
import { startSmtpServer } from './support/smtp';
import { bundle, createTimeSkippingEnv, startWorker, testDb, uniqueTaskQueue } from './support/temporal';

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundle;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let worker: Awaited<ReturnType<typeof startWorker>>;
let api: Awaited<ReturnType<typeof listen>>;
let db: Db;
let taskQueue: string;

beforeAll(async () => {
  [env, workflowBundle, smtp] = await Promise.all([createTimeSkippingEnv(), bundle(), startSmtpServer()]);
  taskQueue = uniqueTaskQueue('ladder-notices');
  db = testDb();
  const mailer = smtp.mailer();
  worker = await startWorker(env.nativeConnection, workflowBundle, taskQueue, { client: env.client, channels: { mailer, publicUrl: TEST_PUBLIC_URL } });
  const principals = loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined });
  api = await listen(createApp({ client: env.client, taskQueue, principals, policy: DEFAULT_POLICY, db, logger: pino({ level: 'silent' }), publicUrl: TEST_PUBLIC_URL }), 0, '127.0.0.1');
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await smtp?.stop();
  await db?.destroy();
  await env?.teardown();
});

const call = apiCaller(() => api.port);
const HOUR = 60 * 60 * 1000;
type Notice = { id: string; kind: string; subject: string; lines: string[]; link: string | null; deliveries: { channel: string; to: string }[]; acknowledgedAt: string | null };

test("a major project's ladder reaches the liaison, deputy and main leader by e-mail and inbox on the working day due; the deputy takes charge", async () => {
  const input = projectInput({ name: '山阳镇 化工仓储扩建', locality: 'shanyang', major: true, agent: 'agent-01', utilities: ['power'] }, DEFAULT_POLICY, new Date(await env.currentTimeMs()));
  const h = await startProject(env.client, taskQueue, input);
  const { id } = input.project;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' })).status).toBe(200);
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-construction', { decision: 'approve' })).status).toBe(200);
  // Water does not sign. A major project's rungs: more than 2, 4, 6 working days pending.
  const calendar = await loadCalendar(db);
  const state = (await h.query(stateQuery)) as ProjectState;
  const acceptedOn = shanghaiDate(state.stages[0]!.attempts[0]!.submittedAt);
  const due = (n: number) => startOfShanghaiDay(calendar.deadline(acceptedOn, n + 1));
  const sleepUntil = async (t: number) => env.sleep(Math.max(t - (await env.currentTimeMs()), 1));
  const escalationMails = () => smtp.received.filter((m) => m.text.includes(`/projects/${id}`) && m.subject.includes('提级至'));
  const inboxOf = (token: string) => call<{ notices: Notice[] }>('GET', `/api/inbox?project=${id}&kind=escalation`, token);

  const rungs = [
    { days: 2, tier: '联络员', person: 'water.liaison@jinshan.example', token: 'dev-water', pending: 3 },
    { days: 4, tier: '分管领导', person: 'water.deputy@jinshan.example', token: 'dev-water-deputy', pending: 5 },
    { days: 6, tier: '主要领导', person: 'water.main@jinshan.example', token: 'dev-water-main', pending: 7 },
  ];
  const told: string[][] = [];
  for (const [i, rung] of rungs.entries()) {
    // Not before its working day begins...
    await sleepUntil(due(rung.days) - HOUR);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(escalationMails()).toHaveLength(told.flat().length);
    expect((await inboxOf(rung.token)).body.notices).toEqual([]);
    // ...and on it: to the party's people at this tier and the locality's liaison (at the main tier, also
    // the coordination group), exactly the directory's.
    await sleepUntil(due(rung.days) + HOUR);
    const recipients = [rung.person, 'shanyang.liaison@jinshan.example', ...(rung.days === 6 ? ['coordination@jinshan.example'] : [])];
    const mails = await eventually(
      async () => escalationMails(),
      (m) => m.length >= told.flat().length + recipients.length,
      200,
    );
    const fresh = mails.slice(told.flat().length);
    expect(fresh.flatMap((m) => m.to).sort()).toEqual([...recipients].sort());
    told.push(fresh.flatMap((m) => m.to));
    const mail = fresh.find((m) => m.to.includes(rung.person))!;
    expect(mail.subject).toBe(`【一口受理】山阳镇 化工仓储扩建（山阳镇）：区水务局已 ${rung.pending} 个工作日未签署设计方案审查（第 1 次申报），提级至${rung.tier}`);
    expect(mail.text).toContain(`查看项目：${TEST_PUBLIC_URL}/projects/${id}`);
    expect(mail.text).toMatch(/时限：\d+ 个工作日，已用 \d+ 个，截止 \d{4}-\d{2}-\d{2}/);
    // The same in the person's inbox.
    const inbox = (await inboxOf(rung.token)).body.notices;
    expect(inbox).toEqual([expect.objectContaining({ kind: 'escalation', subject: mail.subject, link: `${TEST_PUBLIC_URL}/projects/${id}`, acknowledgedAt: null })]);
    expect(Date.parse((await h.query(stateQuery)).escalations[i]!.at)).toBeGreaterThanOrEqual(due(rung.days));
    // The record says it was delivered to them, by e-mail.
    const delivered = await eventually(() => inboxOf(rung.token), (r) => (r.body.notices[0]?.deliveries.length ?? 0) > 0);
    expect(delivered.body.notices[0]?.deliveries).toEqual([{ channel: 'email', to: `区水务局 ${rung.tier} <${rung.person}>`, at: expect.any(String) }]);

    if (rung.days === 4) {
      // The deputy takes charge: recorded on the project, shown with its escalations.
      const taken = await call('POST', `/api/inbox/${inbox[0]!.id}/acknowledge`, 'dev-water-deputy', {});
      expect(taken).toMatchObject({ status: 200, body: { kind: 'escalation', onProject: 'recorded', acknowledgedAt: expect.any(String) } });
      const escalations = await call('GET', `/api/projects/${id}/escalations`, 'dev-water-deputy');
      expect(escalations.body.acknowledgements).toEqual([
        expect.objectContaining({ action: 'acknowledgement', by: expect.objectContaining({ id: 'water-deputy-01', name: '区水务局 分管领导 陈刚' }), stage: 'design', party: 'water', detail: `took charge of the escalation water deputy (notice ${inbox[0]!.id})` }),
      ]);
      // Nobody else reads or takes charge of it.
      expect((await call('POST', `/api/inbox/${inbox[0]!.id}/acknowledge`, 'dev-water', {})).status).toBe(404);
    }
  }
  // Taking charge did not stop the ladder: without the sign-off, the main leader was told too.
  expect((await h.query(stateQuery)).escalations.map((e) => `${e.tier}:${e.party}`)).toEqual(['liaison:water', 'deputy:water', 'main:water']);
}, 120_000);
