// A project read is served from the record's snapshot when that is current, and from a workflow query
// when a change is still being written: the same answer either way, and never older than the caller's
// own last action.
import { stateQuery, workflowIdFor } from '../workflows/messages';
import { eventually } from './support/eventually';
import { apiCaller, registerProject } from './support/http';
import { startService } from './support/service';

let service: Awaited<ReturnType<typeof startService>>;
beforeAll(async () => {
  service = await startService('read-source');
});
afterAll(async () => {
  await service?.stop();
});
const call = apiCaller(() => service.port);

test('a settled project is read from the record, with exactly what a query answers; right after an action the read shows it', async () => {
  const id = await registerProject(call, { name: `金山卫镇 读取来源 ${Date.now().toString(36)}`, agent: 'agent-01' }, { design: true });
  // Settled: the record caught up and nothing pending — the snapshot answers.
  const fromRecord = await eventually(
    () => call('GET', `/api/projects/${id}`, 'dev-leader'),
    (r) => r.headers.get('x-one-window-source') === 'record',
  );
  const queried = await service.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  expect(fromRecord.body.trail).toEqual(queried.trail);
  expect(fromRecord.body.stages).toEqual(expect.arrayContaining([expect.objectContaining({ stage: 'design' })]));
  expect(fromRecord.body.project).toEqual(queried.project);

  // A sign-off answered: the very next read shows it, whichever source serves it.
  expect((await call('POST', `/api/projects/${id}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve', comment: '同意' })).status).toBe(200);
  const next = await call('GET', `/api/projects/${id}`, 'dev-leader');
  expect(JSON.stringify(next.body)).toContain('同意');
  // And once settled again, the record serves the same as the query.
  const settled = await eventually(
    () => call('GET', `/api/projects/${id}`, 'dev-leader'),
    (r) => r.headers.get('x-one-window-source') === 'record' && JSON.stringify(r.body).includes('同意'),
  );
  const queriedAgain = await service.client.workflow.getHandle(workflowIdFor(id)).query(stateQuery);
  expect(settled.body.trail).toEqual(queriedAgain.trail);
});
