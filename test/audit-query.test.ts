// The audit log read across projects (GET /api/audit) over real HTTP, on the suite's service and record
// database: newest first, each entry with who (and their name), what, on which project and the outcome;
// filtered by actor, action, project, outcome and Shanghai dates, a page at a time; bad filters are 400s
// naming the field. Other test files write to the same log meanwhile, so every look is narrowed to this
// file's project.
import { auditPageSchema } from '../api/audit-log';
import { auditActionOf } from '../domain/audit-actions';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('audit-query');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);

interface Entry {
  seq: string;
  at: string;
  principalId: string | null;
  principalName: string | null;
  principalRole: string | null;
  method: string;
  path: string;
  action: string | null;
  projectId: string | null;
  projectName: string | null;
  outcome: string;
  status: number;
  detail: string | null;
}
const audit = (query: string) => call<{ entries: Entry[]; nextCursor?: string; message?: string; issues?: { path: string }[] }>('GET', `/api/audit?${query}`, 'dev-admin');

test('the log across projects: newest first, who by name, what, the outcome; filters and pages', async () => {
  const created = await call('POST', '/api/projects', 'dev-window', {
    name: `山阳镇 审计查询测试 ${Date.now().toString(36)}`,
    applicant: { name: '上海山阳某某制造有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'shanyang',
    utilities: ['power'],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  // A sign-off for a party the planning reviewer is not: refused, and recorded as refused.
  const refused = await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { party: 'water', decision: 'approve' });
  expect(refused.status).toBe(403);
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { party: 'planning', decision: 'approve' })).status).toBe(200);

  const all = await audit(`project=${id}`);
  expect(all.status).toBe(200);
  // The answer is what the OpenAPI document (and through it the console's client) says it is.
  expect(auditPageSchema.safeParse(all.body).error).toBeUndefined();
  expect(all.body.entries.map((e) => [e.action, e.principalId, e.outcome])).toEqual([
    ['sign-off', 'reviewer-planning', 'accepted'],
    ['sign-off', 'reviewer-planning', 'forbidden'],
    ['application', 'window-01', 'accepted'],
    ['registration', 'window-01', 'accepted'],
  ]);
  expect(all.body.entries[3]).toMatchObject({ projectName: expect.stringContaining('审计查询测试'), principalName: '综合窗口 张敏', principalRole: 'window', method: 'POST', path: '/api/projects', projectId: id, status: 201 });
  expect(all.body.entries[1]?.detail).toMatch(/planning|water/);
  const seqs = all.body.entries.map((e) => BigInt(e.seq));
  expect([...seqs].sort((a, b) => (a > b ? -1 : 1))).toEqual(seqs);
  expect(all.body.nextCursor).toBeUndefined();

  // Each filter narrows.
  expect((await audit(`project=${id}&actor=window-01`)).body.entries.map((e) => e.action)).toEqual(['application', 'registration']);
  expect((await audit(`project=${id}&action=sign-off&outcome=accepted`)).body.entries).toHaveLength(1);
  expect((await audit(`project=${id}&outcome=forbidden`)).body.entries.map((e) => e.principalId)).toEqual(['reviewer-planning']);
  expect((await audit(`project=${id}&action=withdrawal`)).body.entries).toEqual([]);
  // Dates are Shanghai days, both ends inclusive: today holds them all, yesterday none.
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
  expect((await audit(`project=${id}&from=${today}&to=${today}`)).body.entries).toHaveLength(4);
  expect((await audit(`project=${id}&to=${yesterday}`)).body.entries).toEqual([]);

  // A page at a time: the cursor leads to the older entries, none twice.
  const first = await audit(`project=${id}&limit=3`);
  expect(first.body.entries).toHaveLength(3);
  expect(first.body.nextCursor).toBe(first.body.entries[2]?.seq);
  const second = await audit(`project=${id}&limit=3&cursor=${first.body.nextCursor}`);
  expect(second.body.entries.map((e) => e.action)).toEqual(['registration']);
  expect(second.body.nextCursor).toBeUndefined();
});

test.each([
  ['action=delete-everything', 'query.action'],
  ['outcome=maybe', 'query.outcome'],
  ['project=not-a-uuid', 'query.project'],
  ['from=2026-13-01', 'query.from'],
  ['to=yesterday', 'query.to'],
  ['from=2026-03-02&to=2026-03-01', 'query.to'],
  ['limit=0', 'query.limit'],
  ['cursor=abc', 'query.cursor'],
  ['actor=', 'query.actor'],
])('a bad filter (%s) is a 400 naming %s', async (query, field) => {
  const res = await audit(query);
  expect(res.status).toBe(400);
  expect(res.body.issues?.map((i) => i.path)).toContain(field);
});

test('an unknown filter is named too; only admins read the log across projects', async () => {
  const res = await audit('who=me');
  expect(res.status).toBe(400);
  expect(res.body.message).toMatch(/query/);
  expect((await call('GET', '/api/audit', 'dev-agent')).status).toBe(403);
  expect((await call('GET', '/api/audit', 'dev-leader')).body.message).toMatch(/audit log/);
});

test('each kind of command is named from its method and path, and nothing else is', () => {
  const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
  expect(auditActionOf('POST', '/api/projects')).toBe('registration');
  expect(auditActionOf('POST', `/api/projects/${id}/stages/permit/sign-offs`)).toBe('sign-off');
  expect(auditActionOf('POST', `/api/projects/${id}/pushes/gas/retry`)).toBe('push-retry');
  expect(auditActionOf('POST', `/api/operations/projects/${id}/reset`)).toBe('reset');
  expect(auditActionOf('PUT', '/api/directory/posts/party:planning/liaison')).toBe('directory');
  expect(auditActionOf('PUT', `/api/projects/${id}/agent`)).toBe('agent-assignment');
  // The method matters, and a path no route serves is no known action.
  expect(auditActionOf('DELETE', '/api/projects')).toBeUndefined();
  expect(auditActionOf('POST', `/api/projects/${id}/pushes/gas/retry/again`)).toBeUndefined();
});
