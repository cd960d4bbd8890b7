// The embedded default: PGlite (PostgreSQL compiled to WebAssembly) inside this process, in a thread of
// its own (db/pglite-thread.ts), keeping its files under data/. It listens on nothing: no other process
// and no local user can reach it. PGlite is one session, so the service gets one connection — an
// exclusive lease per Kysely connection (db/pglite-dialect.ts).
//
// Only one process may have the files open: a lock file beside them holds its pid. `npm start` takes it
// for as long as it runs, and `npm run ops` takes it or refuses while the service runs.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { APP_ROLE, checkServiceRole, migrate, type Db } from './connect';
import { startVacuuming, type VacuumPass } from './embedded-vacuum';
import { PGliteDialect, type Session } from './pglite-dialect';
import { openPGliteThread, type PGliteSettings, type ThreadSession } from './pglite-thread';
import type { Database } from './schema';

export interface EmbeddedDb {
  /** The service's view: acts as APP_ROLE. */
  db: Db;
  /** The session under it, for whoever needs another role on it (the tests act as the owner). */
  session: Session;
  close(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(`the embedded database is in use by process ${pid} (npm start?): stop it first (or, if no such process is one-window, delete ${lockFile})`);
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes `<dataDir>.lock` for this process, or throws DataDirInUseError; a lock left by a dead process is taken over. */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataDirInUseError(lockFile, pid);
      rmSync(lockFile, { force: true });
    }
  }
}

/** How the embedded PGlite is opened: values read back as over `pg` (bigint as text: ids; date as
 *  'YYYY-MM-DD'), and a 32 MB buffer cache — PGlite's default, 160 MB, fills as the record grows and stays
 *  in this process's memory; the files it reads are in the operating system's cache as well. */
export const pgliteSettings = (dataDir?: string): PGliteSettings => ({ ...(dataDir !== undefined && { dataDir }), sharedBuffers: '32MB', asText: [types.INT8, types.DATE] });

/** A PGlite in this process (`dataDir` omitted: in memory), opened as the service opens its own. */
export function createPGlite(dataDir?: string): Promise<PGlite> {
  const { sharedBuffers, asText } = pgliteSettings(dataDir);
  return PGlite.create({
    ...(dataDir !== undefined && { dataDir }),
    parsers: Object.fromEntries(asText.map((oid) => [oid, (v: string) => v])),
    postgresqlconf: [`shared_buffers=${sharedBuffers}`],
  });
}

/**
 * Creates the database files in `dataDir` if they are not there yet, in a child process. PGlite's initdb
 * is a WebAssembly module of its own, and a process that ran it keeps about 500 MB more resident memory
 * for as long as it lives, even after closing it (measured: 805 MB against about 300 MB for a process
 * that only opens files initdb made); `npm start` on a new machine would carry that for ever.
 */
async function initializeDataDir(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const pglite = JSON.stringify(require.resolve('@electric-sql/pglite'));
  try {
    await promisify(execFile)(process.execPath, ['-e', `require(${pglite}).PGlite.create({ dataDir: process.argv[1] }).then((db) => db.close())`, dataDir]);
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`could not create the embedded database in ${dataDir}: ${stderr?.trim() || String(err)}`);
  }
}

export interface OpenOptions {
  /** In memory when omitted. */
  dataDir?: string;
  /** Vacuums and analyzes it as PostgreSQL's autovacuum would (db/embedded-vacuum.ts), for as long as it
   *  is open: for the service, which runs for months; a command that opens it for a moment leaves it out. */
  vacuuming?: { onPass?: (pass: VacuumPass) => void; onError?: (err: unknown) => void; everyMs?: number };
}

/**
 * Opens the embedded database, applies the migrations as its owner, and returns the service's view of
 * it. The same function serves `npm start`, `npm run ops` and the tests.
 */
export async function openEmbeddedDb({ dataDir, vacuuming }: OpenOptions = {}): Promise<EmbeddedDb> {
  const unlock = dataDir === undefined ? () => undefined : lockDataDir(dataDir);
  let session: ThreadSession | undefined;
  try {
    if (dataDir !== undefined) await initializeDataDir(dataDir);
    // In a thread of its own, so that its work does not hold up this thread's (db/pglite-thread.ts).
    session = await openPGliteThread(pgliteSettings(dataDir));
    await migrate(new Kysely<Database>({ dialect: new PGliteDialect(session, null) }));
    const db = new Kysely<Database>({ dialect: new PGliteDialect(session, APP_ROLE) });
    await checkServiceRole(db);
    const vacuum = vacuuming && (await startVacuuming(session, vacuuming));
    const opened = session;
    return {
      db,
      session,
      async close() {
        try {
          await vacuum?.stop();
          await db.destroy();
          await opened.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    await session?.close().catch(() => undefined);
    unlock();
    throw err;
  }
}
