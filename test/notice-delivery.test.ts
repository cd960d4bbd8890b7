// Notices reach people by e-mail: a real local SMTP server receives what the directory's people are sent
// when a project's design stage is applied for, each from its own delivery workflow (retried by Temporal
// while the mail server is away, without holding up the project).
import { randomUUID } from 'node:crypto';
import { channelActivities } from '../activities/channel-delivery';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../activities/channels';
import { RecordNotificationSink, type Delivery } from '../activities/notification-sink';
import { calendarData as loadCalendarData } from '../db/calendar';
import { WorkingCalendar } from '../domain/calendar';
import { findStuck } from '../operations/stuck';
import { eventually } from './support/eventually';
import { apiCaller, registerProject } from './support/http';
import { startService, TEST_PUBLIC_URL } from './support/service';
import { startSmtpServer } from './support/smtp';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  // Down at first: the deliveries are retried until it takes them.
  smtp = await startSmtpServer({ accepting: false });
  service = await startService('notice-delivery', { channels: { mailer: smtp.mailer() } });
});

afterAll(async () => {
  await service?.stop();
  await smtp.stop();
});

const call = apiCaller(() => service.port);

test("an application's notices are e-mailed to the liaisons the directory names, retried while the mail server refuses", async () => {
  // The project does not wait for the mail server: the action answers at once.
  const id = await registerProject(call, { name: '金山卫镇 邮件测试' }, { design: true });
  const directory = (await call('GET', '/api/directory', 'dev-admin')).body;
  const liaisons = ['planning', 'construction', 'water'].flatMap((p) => directory.posts[`party:${p}/liaison`].people.map((person: { email: string }) => person.email));

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(smtp.received.filter((m) => m.raw.includes(id))).toEqual([]);
  // Its inbox has them meanwhile.
  expect((await call('GET', `/api/inbox?project=${id}`, 'dev-planning')).body.notices).toHaveLength(1);

  // A delivery that keeps failing is on the operators' stuck list (here from its second attempt).
  const calendar = new WorkingCalendar(await loadCalendarData(service.db));
  const stuck = await eventually(
    () => findStuck({ db: service.db, client: service.client, calendar, now: Date.now(), options: { activityRetryAttempts: 2 } }, { kind: 'notice-failing' }),
    (list) => list.entries.some((e) => e.projectId === id),
    300,
  );
  expect(stuck.entries.find((e) => e.projectId === id)).toMatchObject({
    kind: 'notice-failing',
    name: '金山卫镇 邮件测试',
    evidence: { notice: expect.stringContaining(id), to: expect.stringMatching(/^party:/), attempt: expect.any(Number), error: expect.stringMatching(/451/) },
    expected: { actor: 'admin' },
  });

  smtp.accept();
  const mails = await eventually(
    async () => smtp.received.filter((m) => m.raw.includes(id)),
    (m) => m.length >= liaisons.length,
    400,
  );
  expect(mails.flatMap((m) => m.to).sort()).toEqual([...liaisons].sort());
  expect(mails[0]?.raw).toMatch(/^Subject: /m);
}, 90_000);

test('each person is sent a notice in their language, by the channels they chose for each kind: e-mail and a signed webhook', async () => {
  smtp.accept();
  const post = 'party:archives/deputy';
  const before = (await call('GET', '/api/directory', 'dev-admin')).body.posts[post].people;
  // A group robot's webhook, a real local HTTP server that checks the signature.
  const secret = 'robot-secret';
  const posted: { ok: boolean; body: Record<string, unknown> }[] = [];
  const robot = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      posted.push({ ok: verifyWebhook(secret, req.headers, raw), body: JSON.parse(raw) as Record<string, unknown> });
      res.end();
    });
  });
  robot.listen(0, '127.0.0.1');
  await once(robot, 'listening');
  const webhook = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot`;
  // An English-reading deputy who wants escalations by e-mail and reminders on the group robot (the inbox
  // has every notice).
  const deputy = { name: 'Archives Deputy', email: 'archives.deputy.en@jinshan.example', webhook, language: 'en', channels: { email: ['escalation'], webhook: ['reminder'] } };
  const changed = await call('PUT', `/api/directory/posts/${post}`, 'dev-admin', { people: [deputy], reason: '测试 test change' });
  expect(changed.status).toBe(200);
  try {
    expect((await call('GET', '/api/directory', 'dev-admin')).body.posts[post].people).toEqual([deputy]);
    const project = { id: randomUUID(), name: '金山卫镇 档案馆测试', locality: 'jinshanwei' as const };
    const to = `${deputy.name} <${deputy.email}>`;
    const sink = new RecordNotificationSink(service.db);
    const { sendToChannels } = channelActivities({ db: service.db, mailer: smtp.mailer(), webhookSecret: secret, publicUrl: TEST_PUBLIC_URL });
    const escalation: Delivery = {
      key: `${project.id}/escalation/acceptance/1/archives/deputy/0`,
      to,
      subject: 'escalated',
      message: { t: 'escalation', stage: 'acceptance', attempt: 1, party: 'archives', tier: 'deputy', pendingDays: 5 },
      project,
    };
    const reminder: Delivery = { key: `${project.id}/reminder/9/0`, to, subject: 'reminded', message: { t: 'reminder', stage: 'acceptance', attempt: 1, parties: ['archives'], reason: '请尽快签署' }, project };
    for (const d of [escalation, reminder]) await sink.deliver(d);

    expect(await sendToChannels(reminder)).toEqual({ emailed: [], webhooks: 1 });
    expect(posted).toEqual([
      {
        ok: true,
        body: {
          key: reminder.key,
          kind: 'reminder',
          to: deputy.name,
          language: 'en',
          title: '[One Window] 金山卫镇 档案馆测试 (Jinshanwei): reminder: Urban Construction Archives still to sign the completion acceptance (application 1)',
          text: expect.stringContaining('Asked: 请尽快签署'),
          link: `${TEST_PUBLIC_URL}/projects/${project.id}`,
          projectId: project.id,
        },
      },
    ]);
    expect(await sendToChannels(escalation)).toEqual({ emailed: [deputy.email], webhooks: 0 });
    const mails = smtp.received.filter((m) => m.text.includes(project.id));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to: [deputy.email],
      subject: '[One Window] 金山卫镇 档案馆测试 (Jinshanwei): Urban Construction Archives has not signed the completion acceptance (application 1) for 5 working days — escalated to the deputy leader',
    });
    expect(mails[0]?.text).toContain(`Open the project: ${TEST_PUBLIC_URL}/projects/${project.id}`);
    // Anyone else reads the record's words in Chinese, the default.
    const row = await service.db.selectFrom('notices').select('subject').where('key', '=', escalation.key).executeTakeFirstOrThrow();
    expect(row.subject).toBe('【一口受理】金山卫镇 档案馆测试（金山卫镇）：城建档案馆已 5 个工作日未签署竣工验收（第 1 次申报），提级至分管领导');
  } finally {
    await call('PUT', `/api/directory/posts/${post}`, 'dev-admin', { people: before, reason: '测试结束 restored' });
    robot.close();
  }
}, 60_000);
