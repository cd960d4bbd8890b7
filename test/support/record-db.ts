// Record databases of a test's own, for what the shared one cannot show (roles, tampering, a migration
// over old rows): a fresh database on the PostgreSQL that TEST_DATABASE_URL names, or else an in-memory
// PGlite in this process — the backend the suite runs on. Each gives the owner's view and the service's.
import { randomUUID } from 'node:crypto';
import { Kysely, Migrator } from 'kysely';
import pg from 'pg';
import { APP_ROLE, connectDb, type Db } from '../../db/connect';
import { createPGlite } from '../../db/embedded';
import { migrationProvider } from '../../db/migrations';
import { PGliteDialect, PGliteSession } from '../../db/pglite-dialect';
import type { Database } from '../../db/schema';

export const BACKEND = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/** A new database on the server `serverUrl` names; drop() removes it. */
export async function freshPostgresDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `one_window_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      // A pool's end() resolves before its sockets have closed; a forced drop meanwhile kills them, and a
      // killed client of an ended pool raises an unhandled error in whichever test runs then. So wait
      // (boundedly) for the database's last session to go, and force only what is left after that.
      for (let i = 0; i < 100; i++) {
        const { rows } = await c.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]?.n === '0') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface OwnRecord {
  /** The tables' owner (the migrations' login). */
  owner: Db;
  /** The service's view: APP_ROLE. */
  service: Db;
  /** Where a child process can reach it (PostgreSQL only; an in-process PGlite is reachable from nowhere else). */
  url?: string;
  close(): Promise<void>;
}

/** A record of the test's own, migrated up to `upTo` (default: every migration). */
export async function ownRecord({ upTo }: { upTo?: string } = {}): Promise<OwnRecord> {
  let record: OwnRecord;
  if (process.env.TEST_DATABASE_URL) {
    const database = await freshPostgresDatabase(process.env.TEST_DATABASE_URL);
    const owner = connectDb(database.url, { max: 2, role: null });
    const service = connectDb(database.url, { max: 4 });
    record = {
      owner,
      service,
      url: database.url,
      async close() {
        await owner.destroy();
        await service.destroy();
        await database.drop();
      },
    };
  } else {
    const pglite = await createPGlite();
    const session = new PGliteSession(pglite);
    record = {
      owner: new Kysely<Database>({ dialect: new PGliteDialect(session, null) }),
      service: new Kysely<Database>({ dialect: new PGliteDialect(session, APP_ROLE) }),
      close: () => pglite.close(),
    };
  }
  const migrator = new Migrator({ db: record.owner, provider: migrationProvider });
  const { error } = await (upTo ? migrator.migrateTo(upTo) : migrator.migrateToLatest());
  if (error) {
    await record.close();
    throw error;
  }
  return record;
}
