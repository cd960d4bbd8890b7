// The embedded default exactly as `npm start` opens it (openEmbeddedDb): PGlite in this process, in a thread
// of its own, listening on nothing, its one session handed out as exclusive leases — so concurrent writers lose nothing, and a
// transaction another caller holds open (or forgets to close) neither swallows nor rolls back their writes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { appendAudit, verifyAuditChain, type AuditEntry } from '../db/audit';
import { DataDirInUseError, openEmbeddedDb } from '../db/embedded';
import type { VacuumPass } from '../db/embedded-vacuum';
import { PGliteDialect } from '../db/pglite-dialect';
import { tempFile } from './support/temporal';

jest.setTimeout(180_000);

/** Inodes of this process's listening sockets: TCP over IPv4 and IPv6 (state 0A), and Unix (flag __SO_ACCEPTCON). */
function listeningSockets(): Set<string> {
  const mine = new Set(
    readdirSync('/proc/self/fd')
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
        } catch {
          return undefined; // closed meanwhile
        }
      })
      .filter((inode): inode is string => inode !== undefined),
  );
  const table = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.trim().split(/\s+/)) : []);
  const tcp = [...table('/proc/net/tcp'), ...table('/proc/net/tcp6')].filter((f) => f[3] === '0A').map((f) => f[9]);
  const unix = table('/proc/net/unix').filter((f) => (parseInt(f[3] ?? '0', 16) & 0x10000) !== 0).map((f) => f[6]);
  return new Set([...tcp, ...unix].filter((inode): inode is string => inode !== undefined && mine.has(inode)));
}

const entry = (i: number | string): AuditEntry => ({
  at: new Date().toISOString(),
  principalId: `caller-${i}`,
  principalRole: 'window',
  method: 'POST',
  path: `/api/projects/${i}`,
  projectId: null,
  outcome: 'accepted',
  status: 201,
  detail: null,
});

test('the embedded database opens no port and keeps a small buffer cache, in memory or on files', async () => {
  // The probe sees a listening socket of this process when there is one.
  // Jest reuses its worker processes, so a server of an earlier test file may still be closing: what
  // counts is that nothing new listens.
  const newSince = (before: Set<string>) => [...listeningSockets()].filter((inode) => !before.has(inode));
  const before = listeningSockets();
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  expect(newSince(before)).toHaveLength(1);
  probe.close();
  await once(probe, 'close');
  expect(newSince(before)).toEqual([]);

  for (const dataDir of [undefined, join(tempFile('data'), 'pgdata')]) {
    const embedded = await openEmbeddedDb(dataDir === undefined ? {} : { dataDir });
    try {
      await appendAudit(embedded.db, entry('first'));
      expect((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(embedded.db)).rows[0]?.n).toBe('1');
      expect(newSince(before)).toEqual([]);
      // Its buffer cache is kept small (db/embedded.ts): it lives in the service's own memory.
      expect((await sql<{ shared_buffers: string }>`show shared_buffers`.execute(embedded.db)).rows[0]?.shared_buffers).toBe('32MB');
    } finally {
      await embedded.close();
    }
  }
});

test("its work runs beside this thread's, and PostgreSQL's error fields cross over", async () => {
  const embedded = await openEmbeddedDb();
  try {
    // A statement busy for a while: this thread's timers keep firing meanwhile (in this thread, PGlite's
    // WebAssembly would hold them all until it returned).
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await sql`select count(*) from generate_series(1, 4000000) g where g % 7 = 3`.execute(embedded.db);
    const took = performance.now() - started;
    clearInterval(timer);
    expect(took).toBeGreaterThan(150);
    expect(ticks).toBeGreaterThanOrEqual(5);

    // What callers test on an error (db/directory.ts: code 23505) arrives as PostgreSQL said it.
    const owner = new Kysely<unknown>({ dialect: new PGliteDialect(embedded.session, null) });
    try {
      await sql`create table once_only (k text constraint once_only_k primary key)`.execute(owner);
      await sql`insert into once_only values ('a')`.execute(owner);
      const failure = await sql`insert into once_only values ('a')`.execute(owner).then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).toMatchObject({ code: '23505', constraint: 'once_only_k', message: expect.stringContaining('duplicate key') });
      // A parameter that cannot reach the thread is refused at once, holding nothing.
      const lease = await embedded.session.lease(null);
      await expect(lease.query('select $1::int', [() => 1])).rejects.toThrow(/could not be cloned/);
      await lease.end();
      // And the session goes on: the next caller is served.
      expect((await sql<{ n: string }>`select count(*) as n from once_only`.execute(owner)).rows[0]?.n).toBe('1');
    } finally {
      await owner.destroy();
    }
  } finally {
    await embedded.close();
  }
  // Closed, its session answers no more, and says why.
  await expect(embedded.session.lease(null).then((lease) => lease.query('select 1'))).rejects.toThrow('the embedded database is closed');
});

test("the thread's leases: a transaction begun and not awaited is rolled back at the lease's end, a role never carries over, closing answers everyone", async () => {
  const embedded = await openEmbeddedDb();
  const { session } = embedded;
  const owner = await session.lease(null);
  await owner.exec('create table held (k int)');
  await owner.end();

  // A statement not awaited when its lease ends: the end comes after it, and rolls back what it opened.
  const careless = await session.lease(null);
  const begun = careless.query('begin');
  const inserted = careless.query('insert into held values (1)');
  await careless.end();
  await Promise.all([begun, inserted]);
  const next = await session.lease(null);
  expect((await next.query<{ n: string }>('select count(*) as n from held')).rows[0]?.n).toBe('0');
  await expect(careless.query('select 1')).rejects.toThrow(/ended/);
  await next.end();

  // A role that cannot be set: every statement of that lease is refused, none runs as the previous holder.
  const unknown = await session.lease('no_such_role');
  await expect(unknown.query('select current_user')).rejects.toThrow(/no_such_role/);
  await expect(unknown.query('select current_user')).rejects.toThrow(/no_such_role/);
  await unknown.end();

  // Closed while one lease holds a transaction and another waits for it: both are answered.
  const holder = await session.lease(null);
  await holder.query('begin');
  const other = await session.lease(null);
  const waiting = other.query('select 1');
  await embedded.close();
  await expect(waiting).rejects.toThrow('the embedded database is closed');
});

test('2,000 concurrent appends lose nothing, while other callers hold transactions open or leave one open; no session state carries over', async () => {
  const embedded = await openEmbeddedDb();
  const { db } = embedded;
  try {
    const count = async (on: typeof db = db) => Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(on)).rows[0]?.n);
    const firstHalf = Array.from({ length: 1000 }, (_, i) => appendAudit(db, entry(i)));
    // A caller holds a transaction open for a while, then rolls it back: only its own row goes.
    let seenInside: number[] = [];
    const rolledBack = db
      .transaction()
      .execute(async (trx) => {
        await appendAudit(trx, entry('rolled-back'));
        const atStart = await count(trx);
        await new Promise((resolve) => setTimeout(resolve, 300));
        seenInside = [atStart, await count(trx)];
        throw new Error('changed my mind');
      })
      .catch((err: Error) => err.message);
    // Another leaves a transaction open (BEGIN with no COMMIT): the lease's end rolls it back, and nobody
    // else's statements ever run inside it.
    const leftOpen = db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await appendAudit(conn, entry('left-open'));
    });
    // A third commits.
    const committed = db.transaction().execute((trx) => appendAudit(trx, entry('committed')));
    const secondHalf = Array.from({ length: 1000 }, (_, i) => appendAudit(db, entry(1000 + i)));

    await Promise.all([...firstHalf, ...secondHalf, leftOpen, committed]);
    expect(await rolledBack).toBe('changed my mind');
    // Nothing from another caller landed inside the held transaction while it waited.
    expect(seenInside[0]).toBe(seenInside[1]);

    expect(await count()).toBe(2001);
    const principals = (await db.selectFrom('audit_log').select('principal_id').execute()).map((r) => r.principal_id);
    expect(new Set(principals).size).toBe(2001);
    expect(principals).toEqual(expect.arrayContaining(['caller-0', 'caller-999', 'caller-1000', 'caller-1999', 'caller-committed']));
    expect(principals).not.toEqual(expect.arrayContaining(['caller-rolled-back']));
    expect(principals).not.toEqual(expect.arrayContaining(['caller-left-open']));
    expect(await verifyAuditChain(db)).toMatchObject({ intact: true, checked: 2001, head: { seq: '2001' } });

    // Nor does a holder's change of role outlive its lease: the next lease acts as the service again.
    const user = async () => (await sql<{ user: string }>`select current_user as user`.execute(db)).rows[0]?.user;
    await db.connection().execute(async (conn) => {
      await sql`reset role`.execute(conn);
      expect((await sql<{ user: string }>`select current_user as user`.execute(conn)).rows[0]?.user).toBe('postgres');
    });
    expect(await user()).toBe('one_window_app');
    await expect(sql`truncate projects`.execute(db)).rejects.toThrow(/permission denied/);
  } finally {
    await embedded.close();
  }
});

test('vacuumed and analyzed as autovacuum would: tables past PostgreSQL\'s thresholds only, none twice for the same changes; closing waits for a pass', async () => {
  const passes: VacuumPass[] = [];
  const failures: unknown[] = [];
  const embedded = await openEmbeddedDb({ vacuuming: { everyMs: 100, onPass: (pass) => passes.push(pass), onError: (err) => failures.push(err) } });
  const { db, session } = embedded;
  const owner = new Kysely<unknown>({ dialect: new PGliteDialect(session, null) });
  const worked = async (table: string) => {
    const from = passes.length;
    for (let waited = 0; waited < 100; waited++) {
      const pass = passes.slice(from).find((p) => [...p.vacuumed, ...p.analyzed].includes(table));
      if (pass) return pass;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no pass touched ${table}`);
  };
  const activity = async (table: string) =>
    (await sql<{ n_dead_tup: string; n_mod_since_analyze: string; reltuples: number; last_vacuum: Date | null }>`
      select s.n_dead_tup, s.n_mod_since_analyze, c.reltuples, s.last_vacuum from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = ${table}`.execute(owner)).rows[0];
  try {
    // Rows updated over and over: dead versions past 50 + 20 % of the live ones.
    await sql`create table churn (id int primary key, v int)`.execute(owner);
    await sql`insert into churn select g, 0 from generate_series(1, 1000) g`.execute(owner);
    for (let i = 0; i < 3; i++) await sql`update churn set v = v + 1`.execute(owner);
    expect((await worked('public.churn')).vacuumed).toContain('public.churn');
    const churn = await activity('churn');
    expect(churn).toMatchObject({ n_dead_tup: '0', n_mod_since_analyze: '0', reltuples: 1000 });
    // A Date that crossed from the database's thread is made in Node's own realm, not jest's sandbox: compared by its time.
    expect(new Date(churn?.last_vacuum ?? 0).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // An append-only table (the audit log) past the insert threshold (1,000): vacuumed, and the planner
    // learns its size. A few changes more pass no threshold and touch nothing.
    await Promise.all(Array.from({ length: 1100 }, (_, i) => appendAudit(db, entry(i))));
    expect((await worked('public.audit_log')).vacuumed).toContain('public.audit_log');
    expect(await activity('audit_log')).toMatchObject({ n_mod_since_analyze: '0', reltuples: 1100 });
    await sql`update churn set v = v + 1 where id <= 10`.execute(owner);
    const settled = passes.length;
    while (passes.length < settled + 3) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes.slice(settled).flatMap((p) => [...p.vacuumed, ...p.analyzed])).toEqual([]);
    expect(failures).toEqual([]);
  } finally {
    await owner.destroy();
    await embedded.close();
  }
  // Closed at once, its first pass still running: close waits for it instead of pulling the database from under it.
  const brief = await openEmbeddedDb({ vacuuming: { onError: (err) => failures.push(err) } });
  await brief.close();
  expect(failures).toEqual([]);
});

test('one process at a time: the files are locked while open, the lock goes on close, a dead holder\'s lock is taken over', async () => {
  const dataDir = join(tempFile('data'), 'pgdata');
  const lockFile = `${dataDir}.lock`;
  const first = await openEmbeddedDb({ dataDir });
  try {
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    const second = openEmbeddedDb({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(`in use by process ${process.pid}`);
    await appendAudit(first.db, entry('still-works'));
  } finally {
    await first.close();
  }
  expect(existsSync(lockFile)).toBe(false);

  // A holder killed with no chance to clean up.
  const gone = spawn(process.execPath, ['-e', '']);
  const [code] = await once(gone, 'exit');
  expect(code).toBe(0);
  writeFileSync(lockFile, `${gone.pid}\n`);
  const again = await openEmbeddedDb({ dataDir });
  try {
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    expect(await verifyAuditChain(again.db)).toMatchObject({ intact: true, checked: 1 });
  } finally {
    await again.close();
  }
});
