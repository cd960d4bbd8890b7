// The liaison directory in the record, over real HTTP against the suite's dev server and database: seeded
// from the shipped file, read by the window, leaders and admins, changed by admins as new versions, and
// followed at once by the notices of projects already running.
//
// The suite shares one directory: this file changes only the planning department's liaison (one person
// for one, so nobody's count of notices changes) and caojing's project liaison (no other test reads
// either), and puts each back as it was before it ends.
import { join } from 'node:path';
import { ROOT } from '../config/env';
import { loadLiaisons, postsOf } from '../config/liaisons';
import type { Person } from '../domain/directory';
import type { ProjectView } from '../domain/project';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('directory');
});
afterAll(async () => {
  await service?.stop();
});

const call = apiCaller(() => service.port);
const shipped = postsOf(loadLiaisons(join(ROOT, 'config', 'liaisons.dev.json')));
const seeded = (post: string) => shipped.find(([p]) => p === post)![1];
const put = (post: string, body: unknown, token = 'dev-admin') => call('PUT', `/api/directory/posts/${post}`, token, body);

/** Changes the posts for the length of `run`, then puts back what they held. */
async function changing(posts: Record<string, Person[]>, run: () => Promise<void>): Promise<void> {
  const before = (await call('GET', '/api/directory', 'dev-admin')).body.posts as Record<string, { people: Person[] }>;
  try {
    for (const [post, people] of Object.entries(posts)) expect((await put(post, { people, reason: '测试 test change' })).status).toBe(200);
    await run();
  } finally {
    for (const post of Object.keys(posts)) await put(post, { people: before[post]!.people, reason: '测试结束 restored' });
  }
}

test('the directory starts from the shipped file: every post with its people, read by the window, leaders and admins', async () => {
  const res = await call('GET', '/api/directory', 'dev-leader');
  expect(res.status).toBe(200);
  expect(res.body.version).toBeGreaterThanOrEqual(1);
  expect(Object.keys(res.body.posts).sort()).toEqual(shipped.map(([post]) => post).sort());
  // Posts no test changes are as the file has them (language defaults to zh); the console's admin test
  // (console-admin-config) edits locality:jinshanwei for a moment and restores it.
  expect(res.body.posts['party:gas/main']).toEqual({ version: 1, people: [{ name: '燃气公司 主要领导', email: 'gas.main@jinshan.example', language: 'zh' }] });
  expect(res.body.posts['window'].people).toEqual([{ name: '区综合窗口', principalId: 'window-01', email: 'window@jinshan.example', language: 'zh' }]);
  expect(res.body.posts['agent-station'].people[0]).toMatchObject({ email: 'agent-station@jinshan.example', phone: expect.any(String) });
  for (const [post, people] of shipped.filter(([p]) => !['party:planning/liaison', 'locality:caojing', 'locality:jinshanwei'].includes(p))) expect(res.body.posts[post].people).toEqual(people);

  expect((await call('GET', '/api/directory', 'dev-window')).status).toBe(200);
  for (const token of ['dev-agent', 'dev-planning', 'dev-gas']) expect((await call('GET', '/api/directory', token)).status).toBe(403);
  expect((await call('GET', '/api/directory')).status).toBe(401);

  const history = await call('GET', '/api/directory/history?limit=500', 'dev-admin');
  expect(history.body.versions.at(-1)).toMatchObject({ version: 1, by: 'seed', post: null, reason: expect.stringContaining('liaisons.dev.json') });
  expect((await call('GET', '/api/directory/history', 'dev-leader')).status).toBe(403);
});

test('a change is refused with the field named (400), for others than admins (403), and for an unknown post (404)', async () => {
  const person = { name: '测试 联络员', email: 'someone@jinshan.example' };
  const issues = async (body: unknown) => {
    const res = await put('locality:caojing', body);
    expect(res.status).toBe(400);
    return [...new Set((res.body.issues as { path: string }[]).map((i) => i.path))];
  };
  expect(await issues({ people: [{ ...person, email: 'not an address' }] })).toEqual(['body.people.0.email']);
  expect(await issues({ people: [person, { ...person, webhook: 'ftp://hooks.example/x' }] })).toEqual(['body.people.1.webhook']);
  expect(await issues({ people: [{ ...person, principalId: 'nobody-at-all' }] })).toEqual(['body.people.0.principalId']);
  expect(await issues({ people: [{ ...person, name: '   ' }] })).toEqual(['body.people.0.name']);
  expect(await issues({ people: [{ ...person, language: 'fr' }] })).toEqual(['body.people.0.language']);
  expect(await issues({ people: [{ ...person, extra: 1 }] })).toEqual(['body.people.0']);
  expect(await issues({ people: [] })).toEqual(['body.people']);
  expect(await issues({ people: Array.from({ length: 21 }, (_, i) => ({ ...person, email: `p${i}@jinshan.example` })) })).toEqual(['body.people']);
  expect(await issues({})).toEqual(['body.people']);

  expect((await put('locality:caojing', { people: [person] }, 'dev-leader')).status).toBe(403);
  expect((await put('locality:caojing', { people: [person] }, 'dev-window')).status).toBe(403);
  const unknown = await put('party:nowhere/liaison', { people: [person] });
  expect(unknown.status).toBe(404);
  expect(unknown.body.message).toMatch(/no directory post party:nowhere\/liaison/);
  expect((await put('party:planning', { people: [person] })).status).toBe(404);
  // Encoded or not, a post id with a slash names the post.
  expect((await put('party%3Aplanning%2Fdeputy', { people: [{ ...person, email: 'bad' }] })).body.issues[0].path).toBe('body.people.0.email');
  // Nothing of it was kept.
  expect((await call('GET', '/api/directory', 'dev-admin')).body.posts['locality:caojing'].people).toEqual(seeded('locality:caojing'));
});

test("a change reaches a running project's next reminder with no restart; it is versioned with who, and audited", async () => {
  const created = await call('POST', '/api/projects', 'dev-window', {
    name: '漕泾镇 联络名单测试厂房',
    applicant: { name: '上海漕泾某某机械有限公司', uscc: '91350100M000100Y43' },
    category: 'general',
    locality: 'caojing',
    utilities: ['power'],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);

  // `expected`: how many people the reminder reaches; the activity tells them one after another.
  const remind = async (reason: string, expected: number) => {
    const res = await call<ProjectView>('POST', `/api/projects/${id}/stages/design/reminders`, 'dev-admin', { reason });
    expect(res.status).toBe(200);
    const seq = res.body.trail.filter((t) => t.action === 'reminder').at(-1)!.seq;
    const prefix = `${id}/reminder/${seq}/`;
    const notices = await eventually(() => service.sink.read(), (n) => n.filter((d) => d.key.startsWith(prefix)).length >= expected);
    return notices.filter((d) => d.key.startsWith(prefix)).map((d) => d.to);
  };

  // Design: planning, construction and water are pending; each liaison and caojing's liaison are told.
  expect(await remind('第一次催办', 4)).toEqual(expect.arrayContaining(['区规划资源局 联络员 <planning.liaison@jinshan.example>', '漕泾镇 属地项目联络员 <caojing.liaison@jinshan.example>']));

  const newLiaison = { name: '新联络员 王芳', email: 'wang.fang@planning.example', phone: '+86 21 5792 0000', language: 'zh' as const };
  const townPeople = [
    { name: '漕泾镇 项目联络员 李强', email: 'li.qiang@caojing.example', principalId: 'leader-01', language: 'zh' as const },
    { name: 'Caojing duty officer', email: 'duty@caojing.example', webhook: 'https://hooks.caojing.example/notices', language: 'en' as const },
  ];
  const { version: before } = (await call('GET', '/api/directory', 'dev-admin')).body as { version: number };
  await changing({ 'party:planning/liaison': [newLiaison], 'locality:caojing': townPeople }, async () => {
    const directory = (await call('GET', '/api/directory', 'dev-window')).body;
    expect(directory.version).toBeGreaterThanOrEqual(before + 2);
    expect(directory.posts['locality:caojing'].people).toEqual(townPeople);

    const told = await remind('联络人已更换 第二次催办', 5);
    expect(told).toEqual(expect.arrayContaining(['新联络员 王芳 <wang.fang@planning.example>', '漕泾镇 项目联络员 李强 <li.qiang@caojing.example>', 'Caojing duty officer <duty@caojing.example>']));
    expect(told.join()).not.toMatch(/planning\.liaison@|caojing\.liaison@/);
    // The workflow records who was told, as `name <email>`.
    const trail = (await call<ProjectView>('GET', `/api/projects/${id}`, 'dev-admin')).body.trail.filter((t) => t.action === 'reminder');
    expect(trail).toHaveLength(2);

    // The history says who changed which post, why, and what it held before.
    const history = (await call('GET', '/api/directory/history?limit=50', 'dev-admin')).body.versions as { version: number; by: string; post: string; reason: string; before: Person[]; after: Person[] }[];
    const planning = history.find((v) => v.post === 'party:planning/liaison' && v.version > before);
    expect(planning).toMatchObject({ by: 'admin-01', reason: '测试 test change', before: seeded('party:planning/liaison'), after: [newLiaison] });
    // Paged by cursor, newest first, without overlap.
    const first = await call('GET', '/api/directory/history?limit=1', 'dev-admin');
    const next = await call('GET', `/api/directory/history?limit=1&cursor=${first.body.nextCursor}`, 'dev-admin');
    expect(next.body.versions[0].version).toBe(first.body.versions[0].version - 1);
    expect((await call('GET', '/api/directory/history?cursor=abc', 'dev-admin')).body.issues[0].path).toBe('query.cursor');

    const audit = await service.db.selectFrom('audit_log').select(['principal_id', 'outcome', 'detail']).where('path', '=', '/api/directory/posts/locality:caojing').where('outcome', '=', 'accepted').execute();
    expect(audit).toEqual(expect.arrayContaining([{ principal_id: 'admin-01', outcome: 'accepted', detail: expect.stringMatching(/^directory locality:caojing version \d+: 漕泾镇 属地项目联络员 <caojing\.liaison@jinshan\.example> → .*li\.qiang@caojing\.example.*; reason: 测试 test change$/) }]));
  });

  // Put back: the next reminder reaches the seeded people again.
  const directory = (await call('GET', '/api/directory', 'dev-admin')).body;
  expect(directory.posts['party:planning/liaison'].people).toEqual(seeded('party:planning/liaison'));
  expect(await remind('第三次催办', 4)).toEqual(expect.arrayContaining(['区规划资源局 联络员 <planning.liaison@jinshan.example>', '漕泾镇 属地项目联络员 <caojing.liaison@jinshan.example>']));
}, 90_000);

test('GET /api/agents: every agent of the principals file by id and name, for the console to pick from; others are not listed', async () => {
  const answer = await call('GET', '/api/agents', 'dev-window');
  expect(answer.status).toBe(200);
  expect(answer.body.agents).toEqual(
    expect.arrayContaining([
      { id: 'agent-01', name: '代办员 李娜' },
      { id: 'agent-02', name: '工业区代办员 周洁' },
    ]),
  );
  const ids = answer.body.agents.map((a: { id: string }) => a.id);
  expect(ids).not.toContain('window-01');
  expect(ids).toEqual([...ids].sort());
  // A utility company's machine caller has no use for it.
  expect((await call('GET', '/api/agents', 'dev-gas')).status).toBe(403);
});
