// Statistics at volume: a fresh database on a PostgreSQL server, migrated, seeded with N decided stage
// attempts (a quarter as many projects, each through the four stages, each attempt with its parties'
// sign-offs) spread over this year, then GET /api/stats timed through the API as a leader asks it.
import { Client } from '@temporalio/client';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../../api/app';
import { listen } from '../../api/listen';
import { loadPrincipals } from '../../config/principals';
import { connectDb, migrate } from '../../db/connect';
import { LOCALITIES } from '../../domain/codes';
import { DEFAULT_POLICY } from '../../domain/policy';
import { Timings } from './common';

export interface StatsFigures {
  attempts: number;
  signOffs: number;
  seedSeconds: number;
  timings: Timings;
}

export async function statsAtVolume(serverUrl: string, attempts: number): Promise<StatsFigures> {
  const name = `one_window_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const owner = connectDb(url.toString(), { max: 2, role: null });
  const service = connectDb(url.toString(), { max: 4 });
  try {
    await migrate(owner);
    const started = Date.now();
    const projects = Math.ceil(attempts / 4);
    const year = new Date().getFullYear();
    const localities = sql.raw(`array[${LOCALITIES.map((l) => `'${l}'`).join(',')}]`);
    // Each project registered at a point of this year; its stages decided one after another within it.
    await sql`insert into projects (id, name, applicant_name, applicant_uscc, category, locality, major, status, overall_status,
        current_stage, listed_stage, registered_by, registered_at, closed_at, version, state, updated_at)
      select md5('bench' || g)::uuid, '基准项目 ' || g, '上海基准有限公司', '91310000MA1FL4B24G', (array['general','industrial','small'])[1 + g % 3],
        (${localities})[1 + g % ${LOCALITIES.length}], false, 'completed', 'completed', null, 'connection', 'window-01',
        make_date(${year}, 1, 1) + (g % 300) * interval '1 day', null, 1, '{}'::jsonb, now()
      from generate_series(1, ${projects}) g`.execute(owner);
    await sql`insert into stage_attempts (project_id, stage, attempt, submitted_by, submitted_at, outcome, decided_at, limit_days, paused_working_days, working_days_used, deadline)
      select md5('bench' || g)::uuid, (array['design','permit','acceptance','connection'])[s], 1, 'window-01',
        make_date(${year}, 1, 1) + (g % 300) * interval '1 day' + (s - 1) * interval '10 days',
        case when (g + s) % 10 = 0 then 'rejected' else 'approved' end,
        make_date(${year}, 1, 1) + (g % 300) * interval '1 day' + (s - 1) * interval '10 days' + interval '7 days',
        (array[15, 10, 5, 3])[s], 0, 1 + (g * 7 + s * 3) % 20, null
      from generate_series(1, ${projects}) g, generate_series(1, 4) s
      limit ${attempts}`.execute(owner);
    // Each sign-off's working days as the writer keeps them: the party signed p.n days before the decision.
    await sql`insert into sign_offs (project_id, stage, attempt, party, decision, comment, by_id, at, working_days)
      select a.project_id, a.stage, a.attempt, p.party, case when a.outcome = 'rejected' and p.n = 1 then 'reject' else 'approve' end, null,
        'reviewer-' || p.party, a.decided_at - (p.n * interval '1 day'), greatest(0, a.working_days_used - p.n)
      from stage_attempts a, (values (1, 'planning'), (2, 'construction'), (3, 'water')) as p(n, party)`.execute(owner);
    await sql`analyze`.execute(owner);
    const seedSeconds = (Date.now() - started) / 1000;
    const signOffs = Number((await sql<{ n: string }>`select count(*) as n from sign_offs`.execute(owner)).rows[0]?.n ?? 0);

    // The API as it runs, on this database; statistics need no Temporal, so the client never connects.
    const app = createApp({ client: new Client(), taskQueue: 'unused', principals: loadPrincipals({ NODE_ENV: 'development', PRINCIPALS_FILE: undefined }), policy: DEFAULT_POLICY, db: service, logger: pino({ level: 'silent' }) });
    const api = await listen(app, 0, '127.0.0.1');
    const timings = new Timings();
    try {
      const ask = async (kind: string, query: string) => {
        const res = await timings.time(kind, () => fetch(`http://127.0.0.1:${api.port}/api/stats?${query}`, { headers: { authorization: 'Bearer dev-leader' } }));
        if (!res.ok) throw new Error(`stats: HTTP ${res.status} ${await res.text()}`);
        await res.json();
      };
      await ask('warm-up', `from=${year}-01-01&to=${year}-12-31`);
      for (let i = 0; i < 20; i++) {
        await ask('stats, the year', `from=${year}-01-01&to=${year}-12-31`);
        await ask('stats, one locality', `from=${year}-01-01&to=${year}-12-31&locality=zhujing`);
      }
    } finally {
      await api.close();
    }
    return { attempts, signOffs, seedSeconds, timings };
  } finally {
    await owner.destroy();
    await service.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
