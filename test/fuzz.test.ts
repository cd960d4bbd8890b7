// Property: whatever arrives at a write endpoint — any JSON, any principal — the API never answers 5xx,
// never hangs, and an answer of 4xx changes nothing (the project's state and its record stay as they were).
import fc from 'fast-check';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { eventually } from './support/eventually';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('fuzz');
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

const TOKENS = ['dev-window', 'dev-admin', 'dev-agent', 'dev-leader', 'dev-planning', 'dev-water', 'dev-power', 'dev-gas', 'nobody', ''];
const FIELDS = ['name', 'applicant', 'uscc', 'category', 'major', 'locality', 'utilities', 'agent', 'note', 'party', 'decision', 'comment', 'items', 'proxy', 'reference', 'reason', 'cadence', 'holidays', 'workdays'];

/** Strings an attacker tries: lone surrogates, invisible characters, control characters, huge ones. */
const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom('\ud800', 'a\udfff', '\u200b\u3000', '\u0000', 'x'.repeat(5_000), '9999-12-31', '+010000-01-01', 'approve', 'correction', 'reject', 'planning', 'design', 'weekly', 'gas', 'agent-01', '91310000MA1FL4B24G', '../../etc', '{"$ne":1}'),
  fc.string({ unit: 'binary' }),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string()), tie('v'), { maxKeys: 4 }),
  ),
})).v;
const body = fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string()), value, { maxKeys: 8 }), value);

test('no 5xx, no hang, and a 4xx changes nothing, over random bodies and principals on every write endpoint', async () => {
  const reg = await call('POST', '/api/projects', 'dev-window', {
    name: '漕泾镇 化工配套仓库',
    applicant: { name: '上海漕泾某某化工有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'caojing',
    utilities: ['gas'],
    agent: 'agent-01',
  });
  const id = reg.body.id as string;
  await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {});
  const routes: [string, string][] = [
    ['POST', '/api/projects'],
    ['POST', `/api/projects/${id}/stages/design/application`],
    ['POST', `/api/projects/${id}/stages/design/sign-offs`],
    ['POST', `/api/projects/${id}/stages/permit/sign-offs`],
    ['POST', `/api/projects/${id}/stages/design/supplements`],
    ['POST', `/api/projects/${id}/withdrawal`],
    ['PUT', `/api/projects/${id}/agent`],
    ['PUT', `/api/projects/${id}/report-cadence`],
    ['POST', `/api/projects/${id}/green-channel`],
    ['POST', `/api/projects/${id}/pushes/gas/retry`],
    ['POST', `/api/projects/${id}/stages/design/reminders`],
    ['PUT', '/api/calendar/2092'],
    ['POST', '/api/calendar/2092/notice'],
    ['POST', `/api/projects/not-a-uuid/withdrawal`],
    ['POST', `/api/projects/${id}/stages/nowhere/sign-offs`],
  ];
  // Keys in one order: a read served from the record's snapshot (jsonb) lists an object's keys in
  // another order than one served by a query, with the same content.
  const canonical = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
  const snapshot = async () => {
    const state = await call('GET', `/api/projects/${id}`, 'dev-admin');
    const record = await service.db.selectFrom('projects').select('version').where('id', '=', id).executeTakeFirst();
    const year = await call('GET', '/api/calendar/2092', 'dev-admin');
    return canonical([state.body.trail, state.body.stages, state.body.agent, state.body.cadence, record?.version, year.status, year.body.holidays]);
  };
  // The record follows the workflow a moment later; compare once it has caught up.
  const settled = async () => {
    const live = (await call('GET', `/api/projects/${id}`, 'dev-admin')).body.trail.length as number;
    await eventually(
      () => service.db.selectFrom('projects').select('state').where('id', '=', id).executeTakeFirst(),
      (r) => (r?.state as { trail?: unknown[] } | undefined)?.trail?.length === live,
    );
    return snapshot();
  };
  let before = await settled();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...routes), fc.constantFrom(...TOKENS), body, async ([method, path], token, payload) => {
      const res = await call(method, path, token || undefined, JSON.stringify(payload));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      if (res.status >= 400) {
        expect(await snapshot()).toBe(before);
      } else before = await settled();
    }),
    { numRuns: 250, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  // The runs reached past authentication and validation, not only the front door.
  expect([...statuses.keys()].some((s) => s === 400)).toBe(true);
  expect([...statuses.keys()].some((s) => s === 403)).toBe(true);
}, 240_000);
