// The OpenAPI document's answers are the real ones: real answers of the endpoints the console reads are
// parsed with the schemas the document is built from (api/responses.ts), and carry no field the schema
// leaves out — so the console's generated types (web/src/api/schema.d.ts) describe what it receives.
import type { z } from 'zod';
import { calendarYearSchema, escalationsSchema, meSchema, projectPageSchema, projectSchema, registeredSchema } from '../api/responses';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('openapi-responses');
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

/** Parses an answer with its schema and lists the top-level fields the schema does not name. */
function undocumented(schema: z.ZodObject, body: unknown): string[] {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`the answer does not match its schema: ${parsed.error.message}\n${JSON.stringify(body, null, 2)}`);
  return Object.keys(body as object).filter((key) => !(key in schema.shape));
}

test('registration, the project, its list page and the principal answer as the document says', async () => {
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: '漕泾镇 文档校验项目',
    applicant: { name: '上海漕泾某某有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'small',
    locality: 'caojing',
    utilities: ['power', 'gas'],
    agent: 'agent-01',
  });
  expect(registered.status).toBe(201);
  expect(undocumented(registeredSchema, registered.body)).toEqual([]);
  const id = registered.body.id as string;

  const applied = await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', { note: '材料齐全' });
  expect(applied.status).toBe(200);
  const corrected = await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'correction', items: ['总平面图', '日照分析报告'], comment: '一次性告知' });
  expect(corrected.status).toBe(200);
  await call('POST', `/api/projects/${id}/stages/design/supplements`, 'dev-window', { note: '已补齐' });
  const signed = await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-construction', { decision: 'approve', comment: '同意' });
  // The heldApplied bookkeeping is the workflow's own (which held commands it applied), not for readers.
  for (const answer of [applied, corrected, signed, await call('GET', `/api/projects/${id}`, 'dev-agent')]) {
    expect(undocumented(projectSchema, answer.body).filter((k) => k !== 'heldApplied')).toEqual([]);
  }
  const design = projectSchema.parse(signed.body).stages[0];
  expect(design?.attempts[0]?.corrections[0]).toMatchObject({ items: ['总平面图', '日照分析报告'], supplementNote: '已补齐' });
  expect(design?.clock).toMatchObject({ limitDays: 15, light: 'green' });

  // The list reads the record, which follows the workflow by a moment.
  const page = await eventually(
    () => call('GET', '/api/projects?locality=caojing&stage=design&limit=500', 'dev-leader'),
    (answer) => answer.body.projects.some((p: { id: string; status: string }) => p.id === id && p.status === 'under-review'),
  );
  expect(undocumented(projectPageSchema, page.body)).toEqual([]);
  expect(page.body.projects.find((p: { id: string }) => p.id === id)).toMatchObject({ stage: 'design', status: 'under-review', clock: { limitDays: 15, light: 'green' } });

  expect(undocumented(meSchema, (await call('GET', '/api/me', 'dev-gas')).body)).toEqual([]);
});

test("the admin pages' answers — a calendar year, shipped and loaded, and a project's escalations — are as the document says", async () => {
  // Shipped: the days named in both languages.
  const shipped = await call('GET', '/api/calendar/2026', 'dev-window');
  expect(undocumented(calendarYearSchema, shipped.body)).toEqual([]);
  expect(shipped.body.names['2026-10-01']).toEqual({ zh: '国庆节', en: 'National Day' });
  // Loaded (a year no other test uses): who and when, and how far running projects have been told.
  const loaded = await call('PUT', '/api/calendar/2089', 'dev-admin', { holidays: ['2089-01-01'], workdays: [] });
  expect(loaded.status).toBe(202);
  expect(undocumented(calendarYearSchema, loaded.body)).toEqual([]);
  expect(calendarYearSchema.parse(loaded.body)).toMatchObject({ source: 'admin', loadedBy: 'admin-01', propagation: { jobId: expect.any(String) } });
  expect(calendarYearSchema.parse(loaded.body).names).toBeUndefined();
  expect(undocumented(calendarYearSchema, (await call('GET', '/api/calendar/2089', 'dev-leader')).body)).toEqual([]);

  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: `金山卫镇 文档校验重大项目 ${Date.now().toString(36)}`,
    applicant: { name: '上海金山卫某某有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'industrial',
    major: true,
    locality: 'jinshanwei',
    utilities: ['power'],
    agent: 'agent-01',
  });
  expect(registered.status).toBe(201);
  const escalations = await call('GET', `/api/projects/${registered.body.id}/escalations`, 'dev-admin');
  expect(undocumented(escalationsSchema, escalations.body)).toEqual([]);
  expect(escalationsSchema.parse(escalations.body)).toMatchObject({ major: true, greenChannel: { by: { id: 'window-01' } }, escalations: [], acknowledgements: [] });
});
