// Kysely over PGlite, in this process or in a thread of its own (db/pglite-thread.ts). PGlite is ONE
// PostgreSQL session, so a Kysely "connection" here is a lease of that session (Lease below): taken when
// Kysely acquires a connection, held until it releases it. A multi-statement transaction therefore runs
// alone, and nothing from another caller lands inside it.
//
// Why not a package: kysely-pglite-dialect serialises per Kysely instance (two instances over one PGlite —
// the owner's for migrations, the service's — would still interleave), closes PGlite when Kysely is
// destroyed, and does not declare PGlite 0.5; kysely-pglite is mainly a code generator with a CLI's
// dependencies. What we need is the lease below and a role per lease.
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** A statement's rows, and for INSERT, UPDATE and DELETE how many it changed. */
export interface Rows<R> {
  rows: R[];
  affectedRows?: number;
}

/**
 * A hold on PGlite's one session, as one role: nothing of another holder's runs inside its transaction,
 * and its role and an open transaction do not outlast `end`. In this process (PGliteSession) a lease is
 * exclusive from start to end; in the thread (db/pglite-thread.ts) only while its transaction is open —
 * between its statements outside one, another lease's may run, each as its own role. So what else a
 * statement leaves in the session (a setting, a temporary table, a session lock, triggers disabled) is
 * done inside a transaction.
 */
export interface Lease {
  query<R>(sql: string, params?: unknown[]): Promise<Rows<R>>;
  /** Statements in the simple protocol (VACUUM cannot run in the extended one's implicit transaction). */
  exec(sql: string): Promise<void>;
  end(): Promise<void>;
}

/** Where leases come from: PGlite in this process (PGliteSession) or in a thread (db/pglite-thread.ts). */
export interface Session {
  /** A lease as `role` (null: the login, postgres, which owns the tables). */
  lease(role: string | null): Promise<Lease>;
}

/** The statement that makes `role` current. */
export const setRole = (role: string | null): string => (role === null ? 'reset role' : `set role "${role.replace(/"/g, '""')}"`);

/** A PGlite in this process (the tests' record), shared by every Kysely instance over it: hands out
 *  exclusive leases in FIFO order. */
export class PGliteSession implements Session {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly pglite: PGlite) {}

  /**
   * Waits for every earlier lease to end, then runs as `role`. The role is set afresh for every lease — it
   * costs nothing measurable — so whatever a previous holder did to it does not carry over.
   */
  async lease(role: string | null): Promise<Lease> {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => ended);
    await previous;
    const { pglite } = this;
    try {
      await pglite.query(setRole(role));
    } catch (err) {
      end();
      throw err;
    }
    return {
      query: <R>(sql: string, params?: unknown[]) => pglite.query<R>(sql, params),
      exec: async (sql: string) => void (await pglite.exec(sql)),
      async end() {
        try {
          // A holder that left a transaction open must not hand it to the next one: it is rolled back.
          if (pglite.isInTransaction()) await pglite.query('rollback');
        } finally {
          end();
        }
      },
    };
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(readonly lease: Lease) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.lease.query<R>(compiled.sql, [...compiled.parameters]);
    // Kysely reads the count only for INSERT, UPDATE and DELETE.
    return { rows: result.rows, ...(result.affectedRows !== undefined && { numAffectedRows: BigInt(result.affectedRows) }) };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the embedded database');
  }
}

class PGliteDriver implements Driver {
  constructor(
    private readonly session: Session,
    private readonly role: string | null,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PGliteConnection(await this.session.lease(this.role));
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const mode = [settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode].filter(Boolean).join(' ');
    await connection.executeQuery(CompiledQuery.raw(mode ? `start transaction ${mode}` : 'begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).lease.end();
  }

  /** The session outlives any one Kysely instance over it; whoever opened PGlite closes it. */
  async destroy(): Promise<void> {}
}

/** A Kysely dialect whose every connection is an exclusive lease of `session`, running as `role`. */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly session: Session,
    private readonly role: string | null,
  ) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.session, this.role);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
