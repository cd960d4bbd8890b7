// Every notice is a row in the record, and each person reads the ones addressed to them — their
// department, their role, the projects they follow — unread first; read and taken charge of per person.
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('inbox');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);
type Notice = { id: string; kind: string; projectId: string; subject: string; address: string; readAt: string | null; acknowledgedAt: string | null };
const mine = (token: string, id: string, query = '') =>
  call<{ notices: Notice[]; unread: number }>('GET', `/api/inbox?project=${id}${query}`, token);

test('a department reads its notices, marks them read and takes charge of a correction; nobody reads another inbox', async () => {
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: '金山卫镇 收件箱测试',
    applicant: { name: '上海金山卫某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
  });
  const id = registered.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);

  // The application asks planning to sign: its reviewer's inbox has it, unread.
  const planning = await eventually(() => mine('dev-planning', id), (r) => r.body.notices.length > 0);
  expect(planning.body.notices).toEqual([expect.objectContaining({ projectId: id, address: 'party:planning', kind: 'notice', readAt: null, subject: expect.stringContaining('awaits your sign-off') })]);
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
  expect((await call('POST', `/api/inbox/${notice.id}/acknowledge`, 'dev-planning', {})).status).toBe(409);

  // Planning asks for a correction: the window takes charge of it.
  const corrected = await call<ProjectView>('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'correction', items: ['总平面图'] });
  expect(corrected.status).toBe(200);
  const window = await eventually(() => mine('dev-window', id, '&kind=correction'), (r) => r.body.notices.length > 0);
  const correction = window.body.notices[0] as Notice;
  expect(correction).toMatchObject({ kind: 'correction', address: 'window', subject: expect.stringContaining('总平面图') });
  const taken = await call('POST', `/api/inbox/${correction.id}/acknowledge`, 'dev-window', {});
  expect(taken).toMatchObject({ status: 200, body: { kind: 'correction', acknowledgedAt: expect.any(String), readAt: expect.any(String) } });
  expect((await mine('dev-window', id, '&kind=correction')).body.notices[0]).toMatchObject({ acknowledgedAt: taken.body.acknowledgedAt });
  // The audit log names who took charge.
  const audited = await service.db.selectFrom('audit_log').select(['principal_id', 'detail']).where('path', '=', `/api/inbox/${correction.id}/acknowledge`).execute();
  expect(audited).toEqual([{ principal_id: 'window-01', detail: `acknowledged notice ${correction.id} (correction, project ${id})` }]);

  expect((await call('GET', '/api/inbox?kind=gossip', 'dev-window')).body.issues[0].path).toBe('query.kind');
  expect((await call('POST', '/api/inbox/abc/read', 'dev-window', {})).body.issues[0].path).toBe('params.id');
}, 60_000);
