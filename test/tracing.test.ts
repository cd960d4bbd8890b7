// Tracing end to end against real servers: a local OTLP/HTTP receiver, the API over HTTP, the suite's
// Temporal dev server, a real worker and the record. A sign-off sent with a W3C `traceparent` is followed
// from the HTTP request through the Temporal Update into the workflow and to the activity that writes the
// record; with nothing configured nothing is exported.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { startProject } from '../api/project-client';
import { bundleOptions, WORKFLOW_INTERCEPTORS } from '../worker/bundle';
import { loadConfig } from '../config/env';
import { startTracing, type Tracing } from '../tracing/setup';
import { workflowSpanSinks } from '../tracing/temporal';
import { recordHealthQuery, signOff, submitApplication, workflowIdFor } from '../workflows/messages';
import { eventually } from './support/eventually';
import { apiCaller } from './support/http';
import { startService } from './support/service';
import { savedHistories } from './support/histories';
import { projectInput, reviewer, window } from './support/fixtures';
import { startWorker, testSeal, uniqueTaskQueue } from './support/temporal';

// The OTLP messages, as the exporter's own package defines them (protobufjs, generated).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const otlp = require('@opentelemetry/otlp-transformer/build/src/generated/root');
const ExportTraceServiceRequest = otlp.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  kind: number;
  service: string;
  attributes: Record<string, unknown>;
  /** How it arrived: the content type of its request. */
  as: string;
}

const hex = (id: unknown): string => (typeof id === 'string' ? id : Buffer.from(id as Uint8Array).toString('hex'));
const value = (v: any): unknown => v?.stringValue ?? (v?.intValue !== undefined && v?.intValue !== null ? Number(v.intValue) : undefined) ?? v?.boolValue ?? v?.doubleValue;

/** A collector's OTLP/HTTP trace endpoint, protobuf or JSON, keeping every span it is sent. */
async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const requests: { path: string; contentType: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      requests.push({ path: req.url ?? '', contentType });
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks);
      const message = contentType.includes('json') ? JSON.parse(body.toString('utf8')) : ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, defaults: true });
      for (const rs of message.resourceSpans ?? []) {
        const service = String(value(rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value));
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              name: s.name,
              traceId: hex(s.traceId),
              spanId: hex(s.spanId),
              parentSpanId: s.parentSpanId ? hex(s.parentSpanId) : '',
              kind: s.kind,
              service,
              attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, value(a.value)])),
              as: contentType,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': contentType.includes('json') ? 'application/json' : 'application/x-protobuf' }).end(contentType.includes('json') ? '{}' : undefined);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    requests,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let service: Awaited<ReturnType<typeof startService>>;
let tracing: Tracing | undefined;
const call = apiCaller(() => service.port);

beforeAll(async () => {
  receiver = await startReceiver();
  service = await startService('tracing');
});

afterAll(async () => {
  await tracing?.shutdown();
  await service?.stop();
  await receiver?.stop();
});

/** A fresh W3C trace context, as a caller (a browser, a gateway) would send it. */
function traceparent() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: { traceparent: `00-${traceId}-${spanId}-01` } };
}

let projectId: string;
let untracedTraceId: string;

test('with no endpoint configured nothing is traced or exported, and answers carry no trace id', async () => {
  // Settings a deployment might carry without meaning to trace: no endpoint, so off.
  const config = loadConfig({ OTEL_SERVICE_NAME: 'one-window-test', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
  expect(config.tracing).toBeUndefined();
  tracing = startTracing(config.tracing, 'one-window-test');
  expect(tracing.enabled).toBe(false);

  const registered = await call('POST', '/api/projects', 'dev-window', {
    name: `金山卫镇 追踪测试 ${Date.now().toString(36)}`,
    applicant: { name: '上海金山卫某某实业有限公司', uscc: '91310000MA1FL4B24G' },
    category: 'general',
    locality: 'jinshanwei',
    utilities: ['power'],
  });
  expect(registered.status).toBe(201);
  projectId = registered.body.id as string;
  expect((await call('POST', `/api/projects/${projectId}/stages/design/application`, 'dev-window', {})).status).toBe(200);
  const untraced = traceparent();
  const signed = await call('POST', `/api/projects/${projectId}/stages/design/sign-offs`, 'dev-planning', { decision: 'approve' }, untraced.header);
  expect(signed.status).toBe(200);
  expect(signed.headers.get('x-trace-id')).toBeNull();
  await tracing.flush();
  expect(receiver.requests).toEqual([]);
  // Checked again once tracing is on: nothing of this sign-off may arrive late either.
  untracedTraceId = untraced.traceId;
});

/** Signs off `party`'s design with a traceparent; the spans of that trace once all expected have come. */
async function tracedSignOff(token: string) {
  // The record's writer takes a change that comes while a write is waiting into that write, and the
  // change's trace then has no write of its own: signed once the earlier changes are written (the project
  // is read from the record only when no task or activity of it is pending).
  const settled = await eventually(async () => (await call('GET', `/api/projects/${projectId}`, 'dev-window')).headers.get('x-one-window-source'), (from) => from === 'record');
  expect(settled).toBe('record');
  const caller = traceparent();
  const signed = await call('POST', `/api/projects/${projectId}/stages/design/sign-offs`, token, { decision: 'approve' }, caller.header);
  expect(signed.status).toBe(200);
  // The answer names the trace, so the person who waited can quote it.
  expect(signed.headers.get('x-trace-id')).toBe(caller.traceId);
  const ofTrace = () => receiver.spans.filter((s) => s.traceId === caller.traceId);
  const expected = ['POST /api/projects/:id/stages/:stage/sign-offs', 'StartWorkflowUpdate:signOff', 'ValidateUpdate:signOff', 'HandleUpdate:signOff', 'StartActivity:recordProject', 'RunActivity:recordProject'];
  const spans = await eventually(
    async () => {
      await tracing?.flush();
      return ofTrace();
    },
    (got) => expected.every((name) => got.some((s) => s.name === name)),
  );
  expect(expected.filter((name) => !spans.some((s) => s.name === name))).toEqual([]);
  const named = (name: string) => {
    const span = spans.find((s) => s.name === name);
    if (!span) throw new Error(`no span ${name} in the trace; got ${spans.map((s) => s.name).join(', ')}`);
    return span;
  };
  return { caller, spans, named };
}

test('a sign-off is followed from its HTTP request through the Update and the workflow to the activity that writes the record', async () => {
  expect(receiver.requests).toEqual([]);
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }).tracing, 'one-window-test');
  expect(tracing.enabled).toBe(true);

  const { caller, named } = await tracedSignOff('dev-construction');
  const http = named('POST /api/projects/:id/stages/:stage/sign-offs');
  const update = named('StartWorkflowUpdate:signOff');
  const validate = named('ValidateUpdate:signOff');
  const handle = named('HandleUpdate:signOff');
  const schedule = named('StartActivity:recordProject');
  const run = named('RunActivity:recordProject');
  // The caller's span is the request's parent; each step is the child of the one before.
  expect(http).toMatchObject({ parentSpanId: caller.spanId, kind: 2 /* SERVER */, attributes: { 'http.route': '/api/projects/:id/stages/:stage/sign-offs', 'http.response.status_code': 200 } });
  expect(update.parentSpanId).toBe(http.spanId);
  expect(update.attributes).toMatchObject({ temporalWorkflowId: workflowIdFor(projectId) });
  expect(validate.parentSpanId).toBe(update.spanId);
  expect(handle.parentSpanId).toBe(update.spanId);
  expect(schedule.parentSpanId).toBe(handle.spanId);
  expect(run.parentSpanId).toBe(schedule.spanId);
  expect(run.attributes).toMatchObject({ temporalWorkflowId: workflowIdFor(projectId) });
  // Sent as protobuf by default, under the process's name.
  expect(new Set(receiver.spans.map((s) => s.as))).toEqual(new Set(['application/x-protobuf']));
  expect(http.service).toBe('one-window-test');
  // Nothing from the sign-off made while tracing was off.
  expect(receiver.spans.filter((s) => s.traceId === untracedTraceId)).toEqual([]);
});

test('OTLP as JSON when asked, under OTEL_SERVICE_NAME', async () => {
  await tracing?.shutdown();
  const before = receiver.spans.length;
  tracing = startTracing(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'one-window-json' }).tracing, 'one-window-test');
  const { named } = await tracedSignOff('dev-water');
  expect(named('RunActivity:recordProject')).toMatchObject({ as: 'application/json', service: 'one-window-json' });
  expect(receiver.spans.slice(before).every((s) => s.as === 'application/json')).toBe(true);
});

test('a project traced from its start still replays with the workflow bundle', async () => {
  const history = await service.client.workflow.getHandle(workflowIdFor(projectId)).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: service.workflowBundle, sinks: workflowSpanSinks() }, history);
});

test('a project started before tracing existed: its earlier workflow tasks replay as recorded, its new ones are traced', async () => {
  // The bundle as it was before tracing: the seal check alone.
  const before = await bundleWorkflowCode({ ...bundleOptions(testSeal().keys), workflowInterceptorModules: [WORKFLOW_INTERCEPTORS], logger: new DefaultLogger('WARN') });
  const taskQueue = uniqueTaskQueue('tracing-upgrade');
  const old = await startWorker(service.nativeConnection, before, taskQueue, { client: service.client });
  const h = await startProject(service.client, taskQueue, projectInput({ utilities: ['power'] }));
  await h.executeUpdate(submitApplication, { args: [{ stage: 'design', by: window }] });
  await h.executeUpdate(signOff, { args: [{ stage: 'design', party: 'planning', decision: 'approve', by: reviewer('planning') }] });
  // Recorded before the upgrade: a record write still waiting would write the latest snapshot, the
  // traced sign-off's too (LEAN_RECORD_PATCH), and that sign-off would need no record write of its own.
  await eventually(() => h.query(recordHealthQuery), (r) => r.recordedVersion === r.currentVersion);
  await old.stop();
  // Upgraded: the new worker replays those tasks (no tracing then), and takes the next sign-off traced.
  const upgraded = await startWorker(service.nativeConnection, service.workflowBundle, taskQueue, { client: service.client });
  try {
    const expectedAfterUpgrade = ['StartWorkflowUpdate:signOff', 'HandleUpdate:signOff', 'StartActivity:recordProject', 'RunActivity:recordProject'];
    const traceId = await trace.getTracer('test').startActiveSpan('sign-off after the upgrade', async (span) => {
      await h.executeUpdate(signOff, { args: [{ stage: 'design', party: 'construction', decision: 'approve', by: reviewer('construction') }] });
      span.end();
      return span.spanContext().traceId;
    });
    const names = await eventually(
      async () => {
        await tracing?.flush();
        return receiver.spans.filter((s) => s.traceId === traceId).map((s) => s.name);
      },
      // Until every expected span has come: the workflow's (through the sink) may come in a later export.
      (got) => expectedAfterUpgrade.every((name) => got.includes(name)),
    );
    expect(names).toEqual(expect.arrayContaining(expectedAfterUpgrade));
    // The whole history, untraced tasks and traced ones, replays with the current bundle.
    await Worker.runReplayHistory({ workflowBundle: service.workflowBundle, sinks: workflowSpanSinks() }, await h.fetchHistory());
  } finally {
    await upgraded.stop();
  }
});

test('why the flag: a history recorded without tracing fails to replay under the interceptors applied to every task', async () => {
  const ungated = await bundleWorkflowCode({
    ...bundleOptions(testSeal().keys),
    workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'), WORKFLOW_INTERCEPTORS],
    logger: new DefaultLogger('WARN'),
  });
  // Recorded before LEAN_RECORD_PATCH, as every project then running was: the interceptors' extra awaits
  // reorder its record write against its notices. (The current recordings happen to replay either way;
  // nothing promises that of every history, so the flag stays.)
  const history = savedHistories().find((h) => h.name === 'pre-lean-record-general-four-stages')?.history;
  expect(history).toBeDefined();
  await expect(Worker.runReplayHistory({ workflowBundle: ungated, sinks: workflowSpanSinks() }, history)).rejects.toBeInstanceOf(DeterminismViolationError);
  await Worker.runReplayHistory({ workflowBundle: service.workflowBundle, sinks: workflowSpanSinks() }, history);
});

test('the tracing settings: the standard variables, off unless an endpoint or the exporter is named, OTLP over HTTP only', () => {
  expect(loadConfig({}).tracing).toBeUndefined();
  expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toEqual({ url: 'http://localhost:4318/v1/traces', protocol: 'http/protobuf' });
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }).tracing).toEqual({ url: 'http://jaeger:4318/v1/traces', protocol: 'http/protobuf' });
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeUndefined();
  expect(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b.example/otlp/traces', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }).tracing,
  ).toEqual({ url: 'https://b.example/otlp/traces', protocol: 'http/json' });
  expect(() => loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: .*grpc is not supported/);
  expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER: must be otlp or none/);
});
