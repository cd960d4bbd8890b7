// Replays a caseload through the real system on the time-skipping test server: real workflows, a real
// worker and activities, the public record in an embedded PostgreSQL, reviewer bots signing through the
// same Updates the API sends. Then reads the statistics from the record.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { SingleBar } from 'cli-progress';
import express from 'express';
import { createActivities } from '../activities';
import { FileNotificationSink } from '../activities/notification-sink';
import { devUtilityInbox } from '../api/dev-utility-inbox';
import { listen } from '../api/listen';
import { startProject } from '../api/project-client';
import { stageStatistics, type StageStats } from '../api/stats';
import { loadCalendar, saveYear } from '../db/calendar';
import { openEmbeddedDb } from '../db/embedded';
import { ROOT } from '../config/env';
import { loadLiaisons, postsOf } from '../config/liaisons';
import { seedDirectory } from '../db/directory';
import { shanghaiDate, startOfShanghaiDay, type WorkingCalendar } from '../domain/calendar';
import { UTILITIES, type Party, type Stage } from '../domain/codes';
import { DEFAULT_POLICY } from '../domain/policy';
import { registrationInput, type Actor } from '../domain/project';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { generateSealKeys } from '../temporal/command-seal';
import { sealedTimeSkippingEnv } from '../temporal/time-skipping';
import { bundleWorkflows } from '../worker/bundle';
import { workflowSpanSinks } from '../tracing/temporal';
import { recordSupplement, signOff, submitApplication } from '../workflows/messages';
import type { projectApproval } from '../workflows/project-approval';
import type { StageCase } from './jinshan-2021';

type Handle = WorkflowHandle<typeof projectApproval>;

const HOUR = 60 * 60 * 1000;
const window: Actor = { id: 'window-sim', role: 'window', name: '模拟 综合窗口' };
const bot = (party: Party, stage: Stage): Actor =>
  stage === 'connection' ? { id: `bot-${party}`, role: 'utility', party } : { id: `bot-${party}`, role: 'reviewer', party };

// The project a case belongs to: small projects keep the acceptance quick; connection needs one company.
const PARTIES: Record<Exclude<Stage, 'connection'>, Party[]> = {
  design: ['planning', 'construction', 'water'],
  permit: ['construction', 'planning', 'water', 'civil-defense'],
  acceptance: ['construction', 'planning', 'civil-defense', 'water', 'greening', 'archives'],
};
const ORDER: Stage[] = ['design', 'permit', 'acceptance', 'connection'];
const LOCALITIES = ['zhujing', 'fengjing', 'tinglin', 'shanyang', 'industrial-zone', 'jinshanwei'] as const;

export interface SimulationResult {
  from: string;
  to: string;
  stages: StageStats[];
  projects: number;
  events: number;
  /** Counted cases whose review spanned a weekday holiday, and those paused for a correction. */
  overHolidays: number;
  paused: number;
}

interface Event {
  at: number;
  run: () => Promise<unknown>;
}

/** 10:00 in Shanghai on the Nth working day after `day` (the window opens at ten). */
const atTen = (calendar: WorkingCalendar, day: string, n: number) => startOfShanghaiDay(calendar.deadline(day, n)) + 2 * HOUR;

export async function simulate(cases: StageCase[], { progress = true }: { progress?: boolean } = {}): Promise<SimulationResult> {
  if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });
  // The bots act as the API does: every command sealed, at the test server's (skipped) time.
  const seal = generateSealKeys();
  const env = await sealedTimeSkippingEnv(seal.signer);
  const embedded = await openEmbeddedDb();
  const { db } = embedded;
  const liaisons = join(ROOT, 'config', 'liaisons.dev.json');
  await seedDirectory(db, liaisons, () => postsOf(loadLiaisons(liaisons)));
  const companies = await listen(express().use(express.json()).use('/', devUtilityInbox()), 0, '127.0.0.1');
  const taskQueue = `simulation-${randomUUID()}`;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    await ensureSearchAttributes(env.connection, 'default');
    // Years the shipped schedules do not cover yet get their statutory fixed-date holidays (元旦 1 Jan,
    // 劳动节 1–2 May, 国庆节 1–3 Oct), loaded as an admin would with PUT /api/calendar/:year. The State
    // Council's adjusted days for those years are unknown here: an assumption of this simulation only.
    const firstYear = new Date(await env.currentTimeMs()).getUTCFullYear();
    for (const year of [firstYear, firstYear + 1]) {
      if (!(await loadCalendar(db)).covers(`${year}-01-01`)) {
        const holidays = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'].map((d) => `${year}-${d}`);
        await saveYear(db, year, { holidays, workdays: [] }, 'simulation');
      }
    }
    const calendar = await loadCalendar(db);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflows(seal.keys),
      sinks: workflowSpanSinks(),
      activities: createActivities({
        sink: new FileNotificationSink(join(mkdtempSync(join(tmpdir(), 'one-window-sim-')), 'notifications.jsonl')),
        db,
               utilityEndpoints: Object.fromEntries(UTILITIES.map((u) => [u, `http://127.0.0.1:${companies.port}/${u}`])),
        pushTimeoutMs: 5_000,
        sealKeys: seal.keys,
      }),
    });
    running = worker.run();

    const start = await env.currentTimeMs();
    const day0 = shanghaiDate(start);
    const events: Event[] = [];
    const handles: Handle[] = [];
    for (const [i, c] of cases.entries()) {
      const input = registrationInput(
        { name: `模拟项目 ${i + 1} (${c.stage})`, applicant: { name: '上海模拟建设有限公司', uscc: '91310000MA1FL4B24G' }, category: 'general', major: false, locality: LOCALITIES[i % LOCALITIES.length] as (typeof LOCALITIES)[number], utilities: ['power'] },
        randomUUID(),
        window,
        new Date(start).toISOString(),
        DEFAULT_POLICY,
      );
      const handle = await startProject(env.client, taskQueue, input);
      handles.push(handle);
      const apply = (stage: Stage) => handle.executeUpdate(submitApplication, { args: [{ stage, by: window }] });
      const sign = (stage: Stage, party: Party, decision: 'approve' | 'correction' = 'approve') =>
        handle.executeUpdate(signOff, { args: [{ stage, party, decision, by: bot(party, stage), ...(decision === 'correction' && { items: ['补充材料'] }) }] });
      const parties = (stage: Stage) => (stage === 'connection' ? (['power'] as Party[]) : PARTIES[stage]);

      // Before the window: the stages that come before the counted one, decided on the first day.
      const earlier = ORDER.slice(0, ORDER.indexOf(c.stage));
      events.push({
        at: start,
        run: async () => {
          for (const stage of earlier) {
            await apply(stage);
            for (const party of parties(stage)) await sign(stage, party);
          }
        },
      });
      // The counted case: accepted on its intake day, maybe paused for a correction, decided after
      // exactly `workingDays` working days of review.
      const intake = c.intakeDay === 0 ? start : atTen(calendar, day0, c.intakeDay);
      const acceptedOn = shanghaiDate(intake);
      if (c.stage !== 'connection') events.push({ at: intake, run: () => apply(c.stage) });
      let paused = 0;
      if (c.correction) {
        const [lead] = parties(c.stage);
        events.push({ at: atTen(calendar, acceptedOn, 1), run: () => sign(c.stage, lead as Party, 'correction') });
        events.push({ at: atTen(calendar, acceptedOn, 4), run: () => handle.executeUpdate(recordSupplement, { args: [{ stage: c.stage, by: window }] }) });
        paused = 3;
      }
      events.push({
        at: atTen(calendar, acceptedOn, c.workingDays + paused) + HOUR,
        run: async () => {
          for (const party of parties(c.stage)) await sign(c.stage, party);
        },
      });
    }

    events.sort((a, b) => a.at - b.at);
    const bar = progress ? new SingleBar({ format: 'simulating {bar} {value}/{total} events · {date}', hideCursor: true }) : undefined;
    bar?.start(events.length, 0, { date: day0 });
    for (const event of events) {
      const now = await env.currentTimeMs();
      if (event.at > now) await env.sleep(event.at - now);
      await event.run();
      bar?.increment(1, { date: shanghaiDate(event.at) });
    }
    bar?.stop();

    // Let every workflow write its last change to the record before reading the statistics.
    const decided = () =>
      db.selectFrom('stage_attempts').select(db.fn.countAll<string>().as('n')).where('outcome', '=', 'approved').executeTakeFirstOrThrow();
    const expected = cases.reduce((n, c) => n + ORDER.indexOf(c.stage) + 1, 0);
    for (let i = 0; i < 600 && Number((await decided()).n) < expected; i++) await new Promise((r) => setTimeout(r, 50));

    const from = shanghaiDate(startOfShanghaiDay(day0) + 24 * HOUR);
    const to = shanghaiDate(events[events.length - 1]?.at ?? start);
    const stats = await stageStatistics(db, { from, to });
    const counted = await db
      .selectFrom('stage_attempts')
      .select(['submitted_at', 'decided_at', 'paused_working_days'])
      .where('decided_at', '>=', new Date(startOfShanghaiDay(from)))
      .execute();
    const weekdayHoliday = (a: (typeof counted)[number]) => {
      for (let d = shanghaiDate(a.submitted_at); d <= shanghaiDate(a.decided_at as Date); d = shanghaiDate(startOfShanghaiDay(d) + 36 * HOUR)) {
        const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
        if (weekday !== 0 && weekday !== 6 && !calendar.isWorkingDay(d)) return true;
      }
      return false;
    };
    return {
      from,
      to,
      stages: stats.stages,
      projects: handles.length,
      events: events.length,
      overHolidays: counted.filter(weekdayHoliday).length,
      paused: counted.filter((a) => a.paused_working_days > 0).length,
    };
  } finally {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await companies.close();
    await embedded.close();
    await env.teardown();
  }
}

/** The statistics table next to the seed's, one row per stage. */
export function formatTable(result: SimulationResult, seed: { stage: Stage; cases: number; averageWorkingDays: number }[]): string {
  const rows = seed.map((s) => {
    const got = result.stages.find((r) => r.stage === s.stage);
    const ok = got?.decided === s.cases && got.averageWorkingDays === s.averageWorkingDays;
    return [s.stage, String(got?.decided ?? 0), (got?.averageWorkingDays ?? 0).toFixed(1), String(got?.medianWorkingDays ?? '-'), String(got?.exceeded ?? 0), `${s.cases} / ${s.averageWorkingDays.toFixed(1)}`, ok ? 'yes' : 'NO'];
  });
  const head = ['stage', 'decided', 'avg wd', 'median', 'exceeded', 'seed', 'match'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  const total = result.stages.reduce((n, s) => n + s.decided, 0);
  return [
    `statistics from the record, ${result.from} to ${result.to} (${result.projects} projects, ${result.events} events)`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `total decided: ${total}; ${result.paused} paused for corrections; ${result.overHolidays} spanning a public holiday`,
  ].join('\n');
}
