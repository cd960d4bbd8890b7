// /metrics as a scraper reads it, against the suite's dev server and record: how long each route took, by
// its pattern and status, and the business gauges — open projects by stage and light, stuck cases by
// kind, notices still being delivered (here a mail server that refuses keeps them pending).
import { smtpMailer } from '../activities/channels';
import { apiCaller } from './support/http';
import { eventually } from './support/eventually';
import { startService } from './support/service';
import { startSmtpServer } from './support/smtp';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  smtp = await startSmtpServer({ accepting: false });
  service = await startService('metrics', { channels: { mailer: smtpMailer(smtp.url, 'one-window <noreply@one-window.localhost>') } });
});

afterAll(async () => {
  await service?.stop();
  await smtp?.stop();
});

const call = apiCaller(() => service.port);
/** The value of one series on the page, or undefined when it is not there. */
const sample = (page: string, series: string): number | undefined => {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const scrape = async () => (await call('GET', '/metrics')).body as string;

test('/metrics times each route by its pattern and status, and counts open projects by stage and light, stuck cases and notices pending delivery', async () => {
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: '金山卫镇 指标测试',
    applicant: { name: '上海金山卫某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
  });
  const id = registered.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'maybe' })).status).toBe(400);

  const page = await eventually(scrape, (p) => (sample(p, 'one_window_open_projects{stage="design",light="green"}') ?? 0) >= 1);
  // Routes by pattern, never by id; a refusal under its own status.
  expect(sample(page, 'one_window_http_request_duration_seconds_count{method="POST",route="/api/projects/:id/stages/:stage/application",status="200"}')).toBeGreaterThanOrEqual(1);
  expect(sample(page, 'one_window_http_request_duration_seconds_count{method="POST",route="/api/projects/:id/stages/:stage/sign-offs",status="400"}')).toBeGreaterThanOrEqual(1);
  expect(sample(page, 'one_window_http_request_duration_seconds_count{method="POST",route="/api/projects",status="201"}')).toBeGreaterThanOrEqual(1);
  expect(page).not.toContain(id);
  // The open projects the record counts, as the record has them.
  const active = await service.db.selectFrom('projects').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
  const gauged = page
    .split('\n')
    .filter((l) => l.startsWith('one_window_open_projects{'))
    .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
  expect(gauged).toBeGreaterThan(0);
  expect(gauged).toBeLessThanOrEqual(Number(active.n) + 50);
  expect(page).toContain('# TYPE one_window_stuck_cases gauge');
  // The three liaisons' e-mails wait for the mail server: pending delivery.
  const pending = await eventually(scrape, (p) => (sample(p, 'one_window_notices_pending_delivery') ?? 0) >= 1);
  expect(sample(pending, 'one_window_notices_pending_delivery')).toBeGreaterThanOrEqual(1);
  smtp.accept();
}, 60_000);
