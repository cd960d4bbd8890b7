// The project list's name search (GET /api/projects?name=), which the console's search boxes use: a
// case-insensitive substring, with LIKE's wildcards taken as the characters they are.
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('list-search');
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

test('a name search finds the projects whose name contains the text, wildcards matched literally', async () => {
  const tag = `search${Date.now().toString(36)}`;
  const names = [`朱泾镇 ${tag} 甲`, `朱泾镇 ${tag}x乙`, `朱泾镇 ${tag}_丙`];
  const ids: string[] = [];
  for (const name of names) {
    const { body } = await call('POST', '/api/projects', 'dev-window', { name, applicant: { name: '上海朱泾某某有限公司', uscc: '91310000MA1FL4B24G' }, category: 'general', locality: 'zhujing', utilities: ['power'] });
    ids.push(body.id);
  }
  const found = async (text: string) => ((await call('GET', `/api/projects?name=${encodeURIComponent(text)}`, 'dev-leader')).body.projects as { name: string }[]).map((p) => p.name).sort();
  expect(await eventually(() => found(tag), (list) => list.length === 3)).toEqual([...names].sort());
  expect(await found(tag.toUpperCase())).toEqual([...names].sort());
  expect(await found(`${tag}_`)).toEqual([names[2]]);
  expect(await found(`${tag}%`)).toEqual([]);
  expect(await found(`${tag} 甲`)).toEqual([names[0]]);
  // It combines with the other filters; an empty search is refused as any empty text is.
  expect((await call('GET', `/api/projects?name=${tag}&pending=me`, 'dev-planning')).body.projects).toEqual([]);
  expect((await call('GET', '/api/projects?name=', 'dev-leader')).status).toBe(400);
});
