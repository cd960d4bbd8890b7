// One way to reach the record: a Kysely instance over `pg`, whether DATABASE_URL names the city's
// PostgreSQL or the embedded PGlite served on a local socket (db/embedded.ts).
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

// timestamptz and date arrive as strings we pass on unchanged: the record is read back as ISO text.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Kysely<Database>;

export function connectDb(url: string, max = 10): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max }) }) });
}

/** Applies every migration not yet applied; throws with the failing migration's name. */
export async function migrate(db: Db): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}

/** The record named by DATABASE_URL, migrated; processes started on their own need it. */
export async function openConfiguredDb(config: { DATABASE_URL?: string | undefined }): Promise<Db> {
  if (config.DATABASE_URL === undefined) {
    throw new Error('DATABASE_URL is required (npm start runs an embedded database; a separate worker or API needs its URL)');
  }
  const db = connectDb(config.DATABASE_URL);
  await migrate(db);
  return db;
}
