// Notices reach people by e-mail: a real local SMTP server receives what the directory's people are sent
// when a project's design stage is applied for, each from its own delivery workflow (retried by Temporal
// while the mail server is away, without holding up the project).
import { smtpMailer } from '../activities/channels';
import { calendarData as loadCalendarData } from '../db/calendar';
import { WorkingCalendar } from '../domain/calendar';
import { findStuck } from '../operations/stuck';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { startSmtpServer } from './support/smtp';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  // Down at first: the deliveries are retried until it takes them.
  smtp = await startSmtpServer({ accepting: false });
  service = await startService('notice-delivery', { channels: { mailer: smtpMailer(smtp.url, 'one-window <noreply@one-window.localhost>') } });
});

afterAll(async () => {
  await service?.stop();
  await smtp.stop();
});

const call = apiCaller(() => service.port);

test("an application's notices are e-mailed to the liaisons the directory names, retried while the mail server refuses", async () => {
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: '金山卫镇 邮件测试',
    applicant: { name: '上海金山卫某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
  });
  const id = registered.body.id as string;
  // The project does not wait for the mail server: the action answers at once.
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
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
