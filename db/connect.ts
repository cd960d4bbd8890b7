// One way to reach the record over the network: a Kysely instance over `pg` for the PostgreSQL that
// DATABASE_URL names. (The embedded default runs PGlite in this process instead: db/embedded.ts.)
//
// Two kinds of connection: the owner's, which runs the migrations (DATABASE_MIGRATION_URL, or else
// DATABASE_URL), and the service's, which switches every new connection to APP_ROLE — a role that may read
// and write the record but only append to the audit log, and may not truncate or alter any table.
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

/** The role the service acts as (created by migration 0002); the migrations' login owns the tables. */
export const APP_ROLE = 'one_window_app';

// timestamptz and date arrive as strings we pass on unchanged: the record is read back as ISO text.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Kysely<Database>;

export interface ConnectOptions {
  /** Pool size (default 10). */
  max?: number;
  /** The role every new connection switches to (default APP_ROLE); null keeps the login's own (the owner's, for migrations). */
  role?: string | null;
}

/**
 * A pg client that switches to `role` as part of connecting: a login that may not take the role never
 * hands out a connection (the pool drops it), so nothing runs as the login by mistake.
 */
function clientActingAs(role: string): typeof pg.Client {
  return class extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // A connection dropped while it is still being set up (between connecting and the pool taking it)
      // emits 'error' with nobody listening, which would crash the process; the caller sees the failure anyway.
      this.on('error', () => undefined);
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error | null, client?: pg.Client) => void): void;
    override connect(callback?: (err: Error | null, client?: pg.Client) => void): Promise<pg.Client> | void {
      const connected = super
        .connect()
        .then(() => this.query(`set role "${role}"`))
        .then(
          () => this as pg.Client,
          async (err: unknown) => {
            await this.end().catch(() => undefined);
            throw err;
          },
        );
      if (!callback) return connected;
      connected.then((client) => callback(null, client), callback);
    }
  };
}

export function connectDb(url: string, { max = 10, role = APP_ROLE }: ConnectOptions = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max, ...(role !== null && { Client: clientActingAs(role) }) });
  // An idle connection the network or the server drops is removed from the pool, which then emits 'error':
  // unheard, that event would crash the process. The next query opens a new connection (or fails, and the
  // caller — an activity Temporal retries, a request — sees that).
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Applies every migration not yet applied; throws with the failing migration's name. */
export async function migrate(db: Kysely<unknown> | Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}

/** Fails at start, naming the fix, when the service's login cannot take APP_ROLE. */
export async function checkServiceRole(db: Db): Promise<void> {
  try {
    await sql`select current_user`.execute(db);
  } catch (err) {
    throw new Error(`the login of DATABASE_URL cannot act as ${APP_ROLE} (GRANT ${APP_ROLE} TO that login): ${(err as Error).message}`);
  }
}

/**
 * The record named by DATABASE_URL, migrated by the owner (DATABASE_MIGRATION_URL, or DATABASE_URL's own
 * login), then served by a pool acting as APP_ROLE; processes started on their own need it.
 */
export async function openConfiguredDb(config: { DATABASE_URL?: string | undefined; DATABASE_MIGRATION_URL?: string | undefined }): Promise<Db> {
  if (config.DATABASE_URL === undefined) {
    throw new Error('DATABASE_URL is required (npm start runs an embedded database; a separate worker or API needs its URL)');
  }
  const owner = connectDb(config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL, { max: 1, role: null });
  try {
    await migrate(owner);
  } finally {
    await owner.destroy();
  }
  const db = connectDb(config.DATABASE_URL);
  await checkServiceRole(db).catch(async (err: unknown) => {
    await db.destroy();
    throw err;
  });
  return db;
}
