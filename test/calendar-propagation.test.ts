// PUT /api/calendar/:year answers at once and tells running projects in the background through a Temporal
// batch operation on the dev server; its progress is visible on GET, and a running project re-arms.
import { WORKFLOW_TYPE, calendarChanged, stateQuery, workflowIdFor } from '../workflows/messages';
import { calendarPropagation } from '../api/calendar-propagation';
import { startProject } from '../api/project-client';
import { DEFAULT_POLICY } from '../domain/policy';
import { eventually } from './support/eventually';
import { projectInput } from './support/fixtures';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { uniqueTaskQueue } from './support/temporal';

let service: Awaited<ReturnType<typeof startService>>;
const call = apiCaller(() => service.port);
// A year no other test loads (the record database is shared by the suite's files).
const YEAR = 2093;
const schedule = { holidays: ['2093-10-01', '2093-10-02'], workdays: [] };

beforeAll(async () => {
  service = await startService('calendar-propagation');
});

afterAll(async () => {
  await service?.stop();
});

test('the PUT answers before the fan-out completes; progress is on GET; a running project re-arms', async () => {
  // A project served by the worker, waiting for its design review.
  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: '漕泾镇 化工配套仓库',
    applicant: { name: '上海漕泾某某化工有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'industrial',
    locality: 'caojing',
    utilities: ['power'],
  });
  expect(registered.status).toBe(201);
  const id = registered.body.id as string;
  expect((await call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  // And sixty more running projects that no worker serves, so that the fan-out has work to do.
  const idleQueue = uniqueTaskQueue('calendar-idle');
  const idle = await Promise.all(Array.from({ length: 60 }, () => startProject(service.client, idleQueue, projectInput({}, DEFAULT_POLICY))));
  try {
    await eventually(
      () => service.client.workflow.count(`WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND TaskQueue = '${idleQueue}'`),
      (c) => c.count === 60,
    );

    const began = Date.now();
    const put = await call('PUT', `/api/calendar/${YEAR}`, 'dev-admin', schedule);
    const answeredIn = Date.now() - began;
    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({ year: YEAR, source: 'admin', loadedBy: 'admin-01', holidays: schedule.holidays });
    const { propagation } = put.body;
    expect(propagation.jobId).toMatch(new RegExp(`^calendar-${YEAR}-`));
    // Answered while the job was still at work: not every project had been told.
    expect(['starting', 'running']).toContain(propagation.state);
    expect(propagation.completed).toBeLessThan(61);

    // The progress is read back from Temporal until the job is done.
    const done = await eventually(
      () => call('GET', `/api/calendar/${YEAR}`, 'dev-leader'),
      (a) => a.body.propagation?.state === 'completed',
      300,
    );
    expect(done.body.propagation).toMatchObject({ jobId: propagation.jobId, state: 'completed', startedAt: expect.any(String), closedAt: expect.any(String) });
    const { completed, failed, total } = done.body.propagation;
    expect(total).toBeGreaterThanOrEqual(61);
    expect(completed + failed).toBe(total);
    // The answer was back before the job closed (same machine, same clock).
    expect(Date.parse(done.body.propagation.closedAt)).toBeGreaterThan(began + answeredIn);

    // The running project got the signal with the year, then fetched the calendar again (re-armed). Other
    // test files may load other years meanwhile, whose jobs signal this project too: look for ours.
    const handle = service.client.workflow.getHandle(workflowIdFor(id));
    const { payloadConverter } = service.client.options.loadedDataConverter;
    type Events = NonNullable<Awaited<ReturnType<typeof handle.fetchHistory>>['events']>;
    const signalAt = (evs: Events) =>
      evs.findIndex((e) => {
        const signalled = e.workflowExecutionSignaledEventAttributes;
        const payload = signalled?.input?.payloads?.[0];
        return signalled?.signalName === calendarChanged.name && payload !== undefined && payloadConverter.fromPayload(payload) === YEAR;
      });
    const calendarFetchedAfter = (evs: Events, from: number) =>
      evs.slice(from).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'workingCalendar');
    const events = await eventually(
      async () => (await handle.fetchHistory()).events ?? [],
      (evs) => signalAt(evs) >= 0 && calendarFetchedAfter(evs, signalAt(evs)),
    );
    expect(signalAt(events)).toBeGreaterThan(0);
    expect(calendarFetchedAfter(events, signalAt(events))).toBe(true);
    expect((await handle.query(stateQuery)).status).toBe('active');
  } finally {
    await Promise.all(idle.map((h) => h.terminate('test over')));
  }
});

test('GET names the latest propagation of a year, on any instance; a year never loaded here has none', async () => {
  const put = await call('PUT', `/api/calendar/${YEAR}`, 'dev-admin', { ...schedule, workdays: ['2093-10-10'] });
  expect(put.status).toBe(202);
  const latest = await call('GET', `/api/calendar/${YEAR}`, 'dev-window');
  expect(latest.body.propagation.jobId).toBe(put.body.propagation.jobId);
  expect(latest.body.workdays).toEqual(['2093-10-10']);
  // Another API instance, which did not start the job, finds it in Temporal's list of batch operations.
  const elsewhere = calendarPropagation(service.client);
  const found = await eventually(
    () => elsewhere.latest(YEAR),
    (p) => p?.jobId === put.body.propagation.jobId,
  );
  expect(found?.jobId).toBe(put.body.propagation.jobId);
  const shipped = await call('GET', '/api/calendar/2026', 'dev-window');
  expect(shipped.status).toBe(200);
  expect(shipped.body.propagation).toBeUndefined();
});
