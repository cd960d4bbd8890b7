// Autovacuum for the embedded database. PGlite is PostgreSQL as one session with no background processes,
// so its autovacuum launcher never runs: nothing reclaims the dead row versions every record write leaves
// (the files grow for as long as projects change, and every scan of `projects` reads them), and nothing
// analyzes the tables, so the planner keeps its guesses for empty ones (with 10,000 open projects the
// statistics' open part joined them by 10,000 index lookups instead of one hash). This does what the
// launcher would: every `autovacuum_naptime`, the tables whose changes since their last vacuum or analyze
// pass PostgreSQL's own thresholds (the `autovacuum_*` settings, read from the database) are vacuumed or
// analyzed, one table per lease so that the service's queries get the session in between.
import type { Lease, Session } from './pglite-dialect';

export interface VacuumPass {
  /** Tables vacuumed (and analyzed with it). */
  vacuumed: string[];
  /** Tables only analyzed. */
  analyzed: string[];
  ms: number;
}

interface Candidate {
  name: string;
  vacuum: boolean;
  analyze: boolean;
}

// PostgreSQL's autovacuum conditions (autovacuum.c, relation_needs_vacanalyze) on the counters PGlite
// keeps; an insert threshold of -1 turns insert-driven vacuums off, as it does there.
const CANDIDATES = `
  with settings as (
    select current_setting('autovacuum_vacuum_threshold')::float8 as vac_base,
      current_setting('autovacuum_vacuum_scale_factor')::float8 as vac_scale,
      current_setting('autovacuum_vacuum_insert_threshold')::float8 as ins_base,
      current_setting('autovacuum_vacuum_insert_scale_factor')::float8 as ins_scale,
      current_setting('autovacuum_analyze_threshold')::float8 as anl_base,
      current_setting('autovacuum_analyze_scale_factor')::float8 as anl_scale)
  select format('%I.%I', s.schemaname, s.relname) as name,
    s.n_dead_tup > vac_base + vac_scale * greatest(c.reltuples, 0)
      or (ins_base >= 0 and s.n_ins_since_vacuum > ins_base + ins_scale * greatest(c.reltuples, 0)) as vacuum,
    s.n_mod_since_analyze > anl_base + anl_scale * greatest(c.reltuples, 0) as analyze
  from pg_stat_user_tables as s join pg_class as c on c.oid = s.relid, settings
  order by s.relname`;

/** One pass: the tables past the thresholds now, vacuumed or analyzed. */
export async function vacuumPass(session: Session): Promise<VacuumPass> {
  const started = performance.now();
  const candidates = await asOwner(session, async (owner) => {
    // The counters are kept per backend and published in batches; this one backend must publish its own.
    await owner.query('select pg_stat_force_next_flush()');
    return (await owner.query<Candidate>(CANDIDATES)).rows;
  });
  const pass: VacuumPass = { vacuumed: [], analyzed: [], ms: 0 };
  for (const table of candidates) {
    if (!table.vacuum && !table.analyze) continue;
    // VACUUM cannot run in a transaction block: the simple protocol, one statement.
    await asOwner(session, (owner) => owner.exec(`${table.vacuum ? 'vacuum (analyze)' : 'analyze'} ${table.name}`));
    (table.vacuum ? pass.vacuumed : pass.analyzed).push(table.name);
  }
  pass.ms = Math.round(performance.now() - started);
  return pass;
}

async function asOwner<T>(session: Session, work: (owner: Lease) => Promise<T>): Promise<T> {
  const lease = await session.lease(null);
  try {
    return await work(lease);
  } finally {
    await lease.end();
  }
}

export interface Vacuuming {
  /** Stops the passes; resolves once a running one has finished, so the database can then be closed. */
  stop(): Promise<void>;
}

/**
 * Runs vacuumPass every `autovacuum_naptime` (or `everyMs`), the first one at once: a record that was
 * never vacuumed (every one before this) is caught up when the service starts. A failed pass is reported
 * and the next one runs as planned.
 */
export async function startVacuuming(
  session: Session,
  { everyMs, onPass = () => undefined, onError = () => undefined }: { everyMs?: number; onPass?: (pass: VacuumPass) => void; onError?: (err: unknown) => void } = {},
): Promise<Vacuuming> {
  const interval = everyMs ?? (await asOwner(session, async (owner) => (await owner.query<{ s: number }>(`select extract(epoch from current_setting('autovacuum_naptime')::interval)::float8 as s`)).rows[0]?.s ?? 60)) * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = vacuumPass(session)
      .then(onPass)
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(run, interval).unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
