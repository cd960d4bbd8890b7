// Every notice is a row in the record, and each person reads the ones addressed to them — their
// department, their role, the projects they follow — unread first; read and taken charge of per person.
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { apiCaller, registerProject } from './support/http';
import { startService, TEST_PUBLIC_URL } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('inbox');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);
type Notice = { id: string; kind: string; projectId: string; subject: string; lines: string[]; link: string | null; address: string; readAt: string | null; acknowledgedAt: string | null };
const mine = (token: string, id: string, query = '') =>
  call<{ notices: Notice[]; unread: number; language: string }>('GET', `/api/inbox?project=${id}${query}`, token);

test('a department reads its notices, marks them read and takes charge of a correction; nobody reads another inbox', async () => {
  const id = await registerProject(call, { name: '金山卫镇 收件箱测试' }, { design: true });

  // The application asks planning to sign: its reviewer's inbox has it, unread.
  const planning = await eventually(() => mine('dev-planning', id), (r) => r.body.notices.length > 0);
  // In Chinese by default: the project by name and locality, what is asked, by when in working days, the link.
  expect(planning.body.notices).toEqual([
    expect.objectContaining({
      projectId: id,
      address: 'party:planning',
      kind: 'notice',
      readAt: null,
      subject: '【一口受理】金山卫镇 收件箱测试（金山卫镇）：设计方案审查（第 1 次申报）待您签署',
      link: `${TEST_PUBLIC_URL}/projects/${id}`,
    }),
  ]);
  const [, , , due] = planning.body.notices[0]?.lines ?? [];
  expect(due).toMatch(/^时限：15 个工作日，已用 0 个，截止 \d{4}-\d{2}-\d{2}（剩余 15 个工作日）$/);
  // The same notice in English for whoever asks (the console's switch; the directory's choice otherwise).
  const english = await mine('dev-planning', id, '&lang=en');
  expect(english.body).toMatchObject({ language: 'en', notices: [{ subject: '[One Window] 金山卫镇 收件箱测试 (Jinshanwei): design scheme review (application 1) awaits your sign-off' }] });
  expect(english.body.notices[0]?.lines).toContain(`Open the project: ${TEST_PUBLIC_URL}/projects/${id}`);
  expect(planning.body.unread).toBeGreaterThanOrEqual(1);
  // Another department has its own; the window and an unrelated company have none of these.
  expect((await eventually(() => mine('dev-water', id), (r) => r.body.notices.length > 0)).body.notices[0]?.address).toBe('party:water');
  expect((await mine('dev-gas', id)).body.notices).toEqual([]);
  const notice = planning.body.notices[0] as Notice;
  expect((await call('POST', `/api/inbox/${notice.id}/read`, 'dev-gas', {})).status).toBe(404);
  expect((await call('POST', `/api/inbox/${notice.id}/read`, 'dev-window', {})).status).toBe(404);

  const read = await call('POST', `/api/inbox/${notice.id}/read`, 'dev-planning', {});
  expect(read).toMatchObject({ status: 200, body: { id: notice.id, readAt: expect.any(String), acknowledgedAt: null } });
  expect((await mine('dev-planning', id, '&unread=true')).body.notices).toEqual([]);
  // Reading is per person: water's copy of its own notice is still unread.
  expect((await mine('dev-water', id, '&unread=true')).body.notices).toHaveLength(1);
  // An ordinary notice is read, not taken charge of.
  // The refusal names its code and the notice's kind, for the console to say it in the reader's language.
  expect((await call('POST', `/api/inbox/${notice.id}/acknowledge`, 'dev-planning', {})).body).toMatchObject({
    error: 'refused',
    refusal: { code: 'notice-not-acknowledgeable', params: { kind: notice.kind } },
  });

  // Planning asks for a correction: the window takes charge of it.
  const corrected = await call<ProjectView>('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'correction', items: ['总平面图'] });
  expect(corrected.status).toBe(200);
  const window = await eventually(() => mine('dev-window', id, '&kind=correction'), (r) => r.body.notices.length > 0);
  const correction = window.body.notices[0] as Notice;
  expect(correction).toMatchObject({ kind: 'correction', address: 'window', subject: expect.stringContaining('区规划资源局要求补正设计方案审查') });
  expect(correction.lines).toContain('请办理：请一次性收齐补正材料：总平面图。');
  const taken = await call('POST', `/api/inbox/${correction.id}/acknowledge`, 'dev-window', {});
  expect(taken).toMatchObject({ status: 200, body: { kind: 'correction', acknowledgedAt: expect.any(String), readAt: expect.any(String), onProject: 'recorded' } });
  // Taking charge is recorded on the project, once: who, when, of what.
  const trail = (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-window')).body.trail;
  expect(trail.filter((t) => t.action === 'acknowledgement')).toEqual([
    expect.objectContaining({ by: expect.objectContaining({ id: 'window-01' }), stage: 'design', party: 'planning', detail: `took charge of the correction planning (notice ${correction.id})` }),
  ]);
  expect((await call('POST', `/api/inbox/${correction.id}/acknowledge`, 'dev-window', {})).body).toMatchObject({ onProject: 'already', acknowledgedAt: taken.body.acknowledgedAt });
  expect((await mine('dev-window', id, '&kind=correction')).body.notices[0]).toMatchObject({ acknowledgedAt: taken.body.acknowledgedAt });
  // The audit log names who took charge.
  const audited = await service.db.selectFrom('audit_log').select(['principal_id', 'detail']).where('path', '=', `/api/inbox/${correction.id}/acknowledge`).execute();
  expect(audited).toEqual(Array(2).fill({ principal_id: 'window-01', detail: `acknowledged notice ${correction.id} (correction, project ${id})` }));

  expect((await call('GET', '/api/inbox?kind=gossip', 'dev-window')).body.issues[0].path).toBe('query.kind');
  expect((await call('POST', '/api/inbox/abc/read', 'dev-window', {})).body.issues[0].path).toBe('params.id');
}, 60_000);
