// `npm run bench`: one-window side by side with raw Temporal on this machine, and at volume. Sections:
//   latency  — at concurrency 1 and 20, on one dev server (SQLite file, as `npm start`): the raw baseline
//              (start, Update with a validator, query, from the client) and one-window over HTTP
//              (registration, design application, sign-off, project read); then the CPU each action
//              costs this process and the dev server
//   scale    — open projects (10,000) in one process with the worker's cache bounded; memory, cold reads,
//              lists and statistics before and after
//   burst    — 1,000 projects' progress reports falling due at once (time-skipping server)
//   history  — the longest realistic project: history size per run, replay time
//   stats    — statistics over 100,000 decided stage attempts in PostgreSQL (BENCH_DATABASE_URL)
// and a closing table of the goals, met or not. Options: --short (a few minutes: smaller counts),
// --only=latency,scale,… ; --projects=N (scale), --cache=N (worker cache; default 250, the service's WORKER_CACHED_WORKFLOWS).
// A script, not a test: figures are for reading, and vary with the machine. It runs compiled, as `npm start`
// runs the service: under tsx, Node's source-map support is on, and the SDK's promise hook, which takes a
// stack for every promise a workflow makes, would consult the source maps each time.
import { parseArgs } from 'node:util';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { openEmbeddedDb } from '../db/embedded';
import { reportBurst } from './bench/burst';
import { mb, ms, pool, printTable, Timings, type Goal } from './bench/common';
import { cpuPerAction } from './bench/cpu';
import { latencyLevel, type LevelFigures } from './bench/latency';
import { longestProject } from './bench/longest-project';
import { openProjects, recordReads } from './bench/scale';
import { memoryMap } from './bench/memory-map';
import { registration, seedDevDirectory, startStack } from './bench/stack';
import { statsAtVolume } from './bench/stats-volume';

const SECTIONS = ['latency', 'scale', 'burst', 'history', 'stats'] as const;
const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    only: { type: 'string' },
    projects: { type: 'string' },
    cache: { type: 'string' },
  },
});
const short = values.short === true;
const only = new Set(values.only ? values.only.split(',') : SECTIONS);
for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (one of ${SECTIONS.join(', ')})`);
const counts = {
  latency: { 1: short ? 30 : 150, 20: short ? 100 : 400 } as Record<number, number>,
  cpu: short ? 60 : 150,
  scale: Number(values.projects ?? (short ? 1_000 : 10_000)),
  cache: Number(values.cache ?? 250),
  burst: short ? 200 : 1_000,
  stats: short ? 20_000 : 100_000,
};
const goals: Goal[] = [];
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function latencyAndScale(): Promise<void> {
  const stack = await startStack({ cachedWorkflows: counts.cache });
  try {
    if (only.has('latency')) {
      // Warm both paths first (bundles loaded, connections open, the record's statements prepared).
      await latencyLevel(stack, 4, 8);
      const levels: LevelFigures[] = [];
      for (const c of [1, 20]) {
        console.log(`latency at concurrency ${c} (${counts.latency[c]} of each)…`);
        levels.push(await latencyLevel(stack, c, counts.latency[c] as number));
      }
      console.log('\nLatency (ms), raw Temporal vs one-window, same server, same run');
      const rows: string[][] = [];
      for (const { concurrency: c, timings: t, rawStartRate, registrationRate } of levels) {
        const row = (what: string, raw: string, ours: string) => {
          rows.push([`c=${c} ${what}`, ms(t.p(raw, 50)), ms(t.p(raw, 99)), ms(t.p(ours, 50)), ms(t.p(ours, 99)), ratio(t.p(ours, 50), t.p(raw, 50)), ratio(t.p(ours, 99), t.p(raw, 99))]);
        };
        row('registration vs start', 'raw start', 'registration');
        row('design application vs Update', 'raw update', 'design application');
        row('sign-off vs Update', 'raw update', 'sign-off');
        row('project read vs query', 'raw query', 'project read');
        rows.push([`c=${c} starts / registrations per s`, rawStartRate.toFixed(0), '', registrationRate.toFixed(0), '', ratio(registrationRate, rawStartRate), '']);
        goals.push({ goal: `sign-off p50 ≤ 1.5× raw Update (c=${c})`, measured: ratio(t.p('sign-off', 50), t.p('raw update', 50)), met: t.p('sign-off', 50) <= 1.5 * t.p('raw update', 50) });
        goals.push({ goal: `sign-off p99 ≤ 1.5× raw Update (c=${c})`, measured: ratio(t.p('sign-off', 99), t.p('raw update', 99)), met: t.p('sign-off', 99) <= 1.5 * t.p('raw update', 99) });
        goals.push({ goal: `design application p50 ≤ sign-off p50 (c=${c})`, measured: `${ms(t.p('design application', 50))} vs ${ms(t.p('sign-off', 50))} ms`, met: t.p('design application', 50) <= t.p('sign-off', 50) });
        if (c === 20) goals.push({ goal: 'registrations/s ≥ 0.7× raw starts/s (c=20)', measured: ratio(registrationRate, rawStartRate), met: registrationRate >= 0.7 * rawStartRate });
      }
      printTable(['', 'raw p50', 'raw p99', 'ours p50', 'ours p99', 'p50 ×', 'p99 ×'], rows);

      console.log(`\nCPU per action (${counts.cpu} of each at concurrency 10, each kind alone)…`);
      const perAction = await cpuPerAction(stack, counts.cpu, 10);
      const cost = (kind: string) => perAction.get(kind) ?? { ours: NaN, server: NaN };
      const total = (kind: string) => cost(kind).ours + cost(kind).server;
      // Each kind against the raw action it stands beside.
      const kinds: [kind: string, raw?: string][] = [['raw start'], ['raw update'], ['registration', 'raw start'], ['design application', 'raw update'], ['sign-off', 'raw update']];
      printTable(
        ['', 'this process ms', 'dev server ms', 'total ms', '× raw'],
        kinds.map(([kind, raw]) => [kind, ms(cost(kind).ours), ms(cost(kind).server), ms(total(kind)), raw ? ratio(total(kind), total(raw)) : '']),
      );
    }
    if (only.has('scale')) {
      const timings = new Timings();
      // The list is read a page of 50 at a time: compared full page with full page, over the projects
      // there are before (at least a page's worth) and over the whole caseload after.
      const listed = await stack.call<{ projects: unknown[] }>('GET', '/api/projects?locality=zhujing&limit=50', 'dev-leader');
      await pool(50 - listed.projects.length, 10, () => stack.call('POST', '/api/projects', 'dev-window', registration('page')));
      await recordReads(stack, timings, 'before');
      console.log(`\nopening ${counts.scale} projects (worker cache ${counts.cache} workflows)…`);
      const scale = await openProjects(stack, counts.scale, timings);
      await recordReads(stack, timings, 'after');
      console.log(`\nScale: ${scale.projects} open projects in ${scale.seconds.toFixed(0)} s (${(scale.projects / scale.seconds).toFixed(0)}/s), one process (API, worker, embedded database)`);
      console.log(`  busy answers sent again: ${stack.busy.retries}`);
      const passes = stack.vacuumPasses;
      console.log(`  embedded autovacuum: ${passes.length} passes did work, ${passes.reduce((n, p) => n + p.vacuumed.length, 0)} tables vacuumed, the longest pass ${Math.max(0, ...passes.map((p) => p.ms))} ms`);
      console.log(`  RSS peak ${mb(scale.peakRss)}, after ${mb(scale.rssAfter)}; reads served by ${Object.entries(scale.servedBy).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
      // Node does not count the embedded database's WebAssembly memory, the workflow threads' heaps or
      // Temporal's core (Rust) in its figures: they are the rest.
      const { rss, heapUsed, arrayBuffers, external } = scale.memoryAfter;
      console.log(`  after: main thread's JS heap ${mb(heapUsed)}, ArrayBuffers ${mb(arrayBuffers)}, other external ${mb(external - arrayBuffers)}, the rest (embedded database, workflow threads, Temporal core, code) ${mb(rss - heapUsed - external)}`);
      const map = memoryMap();
      if (map) console.log(`  by mapping: JavaScript heaps (all threads) ${map.v8Heaps} MB, native allocations ${map.native} MB, WebAssembly and code range ${map.large} MB, other ${map.other} MB, code and files ${map.files} MB`);
      printTable(
        ['', 'p50 ms', 'p99 ms'],
        ['cold read c1', 'cold read c20', 'list before', 'list after', 'stats before', 'stats after'].map((k) => [k, ms(timings.p(k, 50)), ms(timings.p(k, 99))]),
      );
      goals.push({ goal: `${scale.projects} open projects: RSS ≤ 1 GB`, measured: mb(scale.peakRss), met: scale.peakRss <= 1024 ** 3 });
      goals.push({ goal: 'project read p99 ≤ 100 ms, cache cold (c=1)', measured: `${ms(timings.p('cold read c1', 99))} ms`, met: timings.p('cold read c1', 99) <= 100 });
      goals.push({ goal: 'list p50 unaffected by the caseload (≤ 1.5× before)', measured: `${ms(timings.p('list before', 50))} → ${ms(timings.p('list after', 50))} ms`, met: timings.p('list after', 50) <= 1.5 * timings.p('list before', 50) });
      goals.push({ goal: 'statistics p50 unaffected by the caseload (≤ 1.5× before)', measured: `${ms(timings.p('stats before', 50))} → ${ms(timings.p('stats after', 50))} ms`, met: timings.p('stats after', 50) <= 1.5 * timings.p('stats before', 50) });
    }
  } finally {
    await stack.stop();
  }
}

async function burstAndHistory(): Promise<void> {
  const embedded = await openEmbeddedDb();
  try {
    await seedDevDirectory(embedded.db);
    if (only.has('burst')) {
      console.log(`\nreport burst: ${counts.burst} projects whose reports fall due at once…`);
      let shown = '';
      const burst = await reportBurst(embedded.db, counts.burst, (step, n) => {
        // Each step on its own line: registering the projects takes minutes of its own.
        process.stdout.write(`${shown && shown !== step ? '\n' : '\r'}  ${step} ${n}/${counts.burst}`);
        shown = step;
      });
      console.log(`\nReport burst: ${burst.delivered}/${burst.projects} delivered in ${burst.seconds.toFixed(1)} s wall-clock; workflow task timeouts ${burst.taskTimeouts}, failures ${burst.taskFailures}`);
      goals.push({ goal: `${burst.projects} reports due at once: all delivered, no task timeouts`, measured: `${burst.delivered} in ${burst.seconds.toFixed(0)} s, ${burst.taskTimeouts} timeouts`, met: burst.delivered === burst.projects && burst.taskTimeouts === 0 });
    }
    if (only.has('history')) {
      // Temporal's warnings: 10 MB or 10,240 events per run; 512 KB per payload.
      const began = Date.now();
      const longest = await longestProject(embedded.db, (step) => console.log(`  ${((Date.now() - began) / 1000).toFixed(0)} s: ${step}`));
      const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
      console.log('\nLongest realistic project (two years, 3 attempts per stage, corrections by every party, weekly reports, the ladder):');
      for (const [i, run] of longest.runs.entries()) console.log(`  run ${i + 1}: ${run.events} events, ${kb(run.bytes)} of history, largest event ${kb(run.largestEvent)}`);
      console.log(`  final state ${kb(longest.stateBytes)}; replaying every run took ${longest.replayMs.toFixed(0)} ms`);
      const events = Math.max(...longest.runs.map((r) => r.events));
      const bytes = Math.max(...longest.runs.map((r) => r.bytes));
      goals.push({ goal: 'longest project: each run ≤ 10% of 10,240 events and 10 MB', measured: `${events} events, ${kb(bytes)}`, met: events <= 1_024 && bytes <= 1024 * 1024 });
    }
  } finally {
    await embedded.close();
  }
}

async function stats(): Promise<void> {
  const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  console.log(`\nstatistics: seeding ${counts.stats} decided stage attempts in a fresh database on ${new URL(server).host}…`);
  const figures = await statsAtVolume(server, counts.stats);
  console.log(`Statistics over ${figures.attempts} decided stage attempts and ${figures.signOffs} sign-offs (seeded in ${figures.seedSeconds.toFixed(0)} s):`);
  printTable(
    ['', 'p50 ms', 'p99 ms'],
    ['stats, the year', 'stats, one locality'].map((k) => [k, ms(figures.timings.p(k, 50)), ms(figures.timings.p(k, 99))]),
  );
  goals.push({ goal: `statistics over ${figures.attempts} attempts ≤ 200 ms (p50)`, measured: `${ms(figures.timings.p('stats, the year', 50))} ms`, met: figures.timings.p('stats, the year', 50) <= 200 });
}

async function main(): Promise<void> {
  // The SDK's warnings (slow workflow tasks under load) would bury the figures; errors still show.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } } });
  console.log(`one-window benchmark${short ? ' (short)' : ''} on ${process.platform} with Node ${process.version}: ${[...only].join(', ')}`);
  if (only.has('latency') || only.has('scale')) await latencyAndScale();
  if (only.has('burst') || only.has('history')) await burstAndHistory();
  if (only.has('stats')) await stats();
  console.log('\nGoals');
  printTable(['goal', 'measured', ''], goals.map((g) => [g.goal, g.measured, g.met ? 'met' : 'NOT MET']));
}

// The API's timers (rate-limit windows, caches) would keep the process alive after the last figure.
main().then(() => process.exit(0), (err: unknown) => {
  console.error('benchmark failed:', err);
  process.exit(1);
});
