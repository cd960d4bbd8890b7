// The figures people ask the service for, as Prometheus gauges read at each scrape: open projects by
// stage and light (from the record, the light decided in SQL as the lists decide it), stuck cases by kind
// (the operations stuck list, at most once a minute: it scans Temporal), and notices still being
// delivered by e-mail or webhook (their delivery workflows running in Temporal). A source that does not
// answer leaves its gauge empty for that scrape rather than failing the whole /metrics page.
import type { Client } from '@temporalio/client';
import { Gauge, type Registry } from 'prom-client';
import { cachedCalendar } from '../db/calendar';
import type { Db } from '../db/connect';
import { listedLight } from '../db/list-filters';
import { findStuck, type StuckList, type StuckOptions } from '../operations/stuck';

export interface BusinessMetricsDeps {
  db: Db;
  client: Client;
  stuck?: Partial<StuckOptions>;
  /** How long a stuck-list scan serves the gauge (it describes workflows in Temporal). */
  stuckTtlMs?: number;
  /** Told when a source fails (the gauge stays empty for that scrape). */
  onError?: (gauge: string, err: unknown) => void;
}

export function registerBusinessMetrics(registry: Registry, { db, client, stuck, stuckTtlMs = 60_000, onError }: BusinessMetricsDeps): void {
  const guarded = async (name: string, gauge: Gauge, read: () => Promise<void>) => {
    gauge.reset();
    try {
      await read();
    } catch (err) {
      gauge.reset();
      onError?.(name, err);
    }
  };

  const open: Gauge = new Gauge({
    name: 'one_window_open_projects',
    help: 'Open (active) projects by the stage they are listed at and the light of its clock (none: no clock runs)',
    labelNames: ['stage', 'light'],
    registers: [registry],
    collect: () =>
      guarded('one_window_open_projects', open, async () => {
        const now = Date.now();
        const light = listedLight(await cachedCalendar(db), now);
        const rows = await db
          .selectFrom('projects')
          .select(['listed_stage', light.as('light'), (eb) => eb.fn.countAll<string>().as('n')])
          .where('status', '=', 'active')
          .groupBy(['listed_stage', 'light'])
          .execute();
        for (const r of rows) open.set({ stage: r.listed_stage, light: r.light ?? 'none' }, Number(r.n));
      }),
  });

  let scanned: { at: number; list: Promise<StuckList> } | undefined;
  const stuckCases: Gauge = new Gauge({
    name: 'one_window_stuck_cases',
    help: 'Cases on the operations stuck list, by kind (scanned at most once a minute)',
    labelNames: ['kind'],
    registers: [registry],
    collect: () =>
      guarded('one_window_stuck_cases', stuckCases, async () => {
        if (!scanned || Date.now() - scanned.at > stuckTtlMs) {
          const list = cachedCalendar(db).then((calendar) => findStuck({ db, client, calendar, now: Date.now(), ...(stuck && { options: stuck }) }));
          scanned = { at: Date.now(), list };
          list.catch(() => (scanned = undefined));
        }
        const { counts } = await scanned.list;
        for (const [kind, n] of Object.entries(counts.byKind)) stuckCases.set({ kind }, n ?? 0);
      }),
  });

  const pending: Gauge = new Gauge({
    name: 'one_window_notices_pending_delivery',
    help: 'Notices whose e-mail or webhook delivery is still under way (their noticeDelivery workflows running)',
    registers: [registry],
    collect: () =>
      guarded('one_window_notices_pending_delivery', pending, async () => {
        const { count } = await client.workflow.count(`WorkflowType = 'noticeDelivery' AND ExecutionStatus = 'Running'`);
        pending.set(count);
      }),
  });
}
