// The audit log's integrity on a record of each test's own (see support/record-db.ts), on the backend the
// suite runs on: what the service's role may do to it, what even the owner may not, and the hash chain that
// shows what an owner changed anyway — recomputed by db/audit.ts, GET /api/audit/verify and `npm run ops`.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { Kysely, sql } from 'kysely';
import pino from 'pino';
import { createApp } from '../api/app';
import { listen } from '../api/listen';
import { ROOT } from '../config/env';
import { loadPrincipals } from '../config/principals';
import { GENESIS, appendAudit, auditHash, auditRow, verifyAuditChain, type AuditEntry } from '../db/audit';
import { connectDb, migrate, openConfiguredDb, type Db } from '../db/connect';
import { openEmbeddedDb } from '../db/embedded';
import { PGliteDialect } from '../db/pglite-dialect';
import type { Database } from '../db/schema';
import { DEFAULT_POLICY } from '../domain/policy';
import { apiCaller } from './support/http';
import { BACKEND, ownRecord, type OwnRecord } from './support/record-db';
import { devServerClient, tempFile } from './support/temporal';

const entry = (n: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 5, 2, 0, 0, n)).toISOString(),
  principalId: `window-0${n % 3}`,
  principalRole: 'window',
  method: 'POST',
  path: `/api/projects/0b7e0c55-5d6c-4a38-9a0b-3f3e0f0f${String(1000 + n).padStart(4, '0')}/withdrawal`,
  projectId: `0b7e0c55-5d6c-4a38-9a0b-3f3e0f0f${String(1000 + n).padStart(4, '0')}`,
  outcome: 'accepted',
  status: 200,
  detail: null,
  ...overrides,
});

/** Appends one at a time, so the chain's order is the order given. */
async function appendAll(db: Db, entries: AuditEntry[]): Promise<void> {
  for (const e of entries) await appendAudit(db, e);
}

/** The owner, past the append-only trigger, as someone with the table's ownership could be. In one
 *  transaction, so no other caller of the session meets the triggers off (db/pglite-dialect.ts Lease). */
async function asOwnerBypassingTriggers(owner: Db, change: (db: Db) => Promise<unknown>): Promise<void> {
  await owner.transaction().execute(async (conn) => {
    await sql`alter table audit_log disable trigger user`.execute(conn);
    try {
      await change(conn);
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(conn);
    }
  });
}

let record: OwnRecord | undefined;
afterEach(async () => {
  await record?.close();
  record = undefined;
});

test(`an intact log verifies, and the database and the verifier hash alike (${BACKEND})`, async () => {
  record = await ownRecord();
  const { service } = record;
  await appendAll(service, [
    entry(1),
    entry(2, { principalId: null, principalRole: null, projectId: null, outcome: 'invalid', status: 415, detail: 'send the body as\nContent-Type: application/json' }),
    entry(3, { path: '/api/projects/朱泾镇/…', outcome: 'not-found', status: 404, detail: 'no project «朱泾镇»' }),
    entry(4, { detail: '' }),
  ]);
  // Whatever an insert says about its place in the chain, the trigger decides it.
  await service.insertInto('audit_log').values({ ...auditRow(entry(5)), seq: '99', prev_hash: 'f'.repeat(64), hash: 'e'.repeat(64) }).execute();

  const verification = await verifyAuditChain(service, { batch: 2 });
  expect(verification).toMatchObject({ intact: true, checked: 5, head: { seq: '5' } });
  const rows = await service.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  expect(rows.map((r) => r.seq)).toEqual(['1', '2', '3', '4', '5']);
  expect(rows[0]?.prev_hash).toBe(GENESIS);
  // Each link as the database computed it equals the verifier's own computation.
  rows.reduce((prev, r) => {
    expect(r.prev_hash).toBe(prev);
    expect(r.hash).toBe(auditHash(prev, r));
    return r.hash;
  }, GENESIS);
  expect(rows[1]).toMatchObject({ principal_id: null, detail: 'send the body as\nContent-Type: application/json' });
  expect(await verifyAuditChain(service)).toEqual(verification);
});

test(`the service may only append; TRUNCATE is refused even to the owner (${BACKEND})`, async () => {
  record = await ownRecord();
  const { owner, service } = record;
  await appendAll(service, [entry(1), entry(2)]);
  const refusals: [Db, string, RegExp][] = [
    [service, 'truncate audit_log', /permission denied/],
    [service, 'alter table audit_log add column note text', /must be owner/],
    [service, 'alter table audit_log disable trigger audit_log_append_only', /must be owner/],
    [service, 'drop trigger audit_log_chain on audit_log', /must be owner/],
    [service, "update audit_log set detail = 'x'", /permission denied/],
    [service, 'delete from audit_log', /permission denied/],
    [service, 'truncate projects', /permission denied/],
    [service, 'drop table calendar_years', /must be owner/],
    [owner, 'truncate audit_log', /append-only/],
    [owner, "update audit_log set detail = 'x'", /append-only/],
    [owner, 'delete from audit_log', /append-only/],
  ];
  for (const [db, statement, refusal] of refusals) {
    await expect(sql.raw(statement).execute(db)).rejects.toThrow(refusal);
  }
  // The rest of the record stays writable for the service.
  await sql`insert into calendar_years (year, holidays, workdays, loaded_by, loaded_at) values (2031, '[]', '[]', 'admin-01', now())`.execute(service);
  await sql`delete from calendar_years where year = 2031`.execute(service);
  expect(await verifyAuditChain(service)).toMatchObject({ intact: true, checked: 2 });
  expect((await sql<{ user: string }>`select current_user as user`.execute(service)).rows[0]?.user).toBe('one_window_app');
});

test(`whatever the owner changes behind the triggers' back, the verifier and GET /api/audit/verify find (${BACKEND})`, async () => {
  record = await ownRecord();
  const { owner, service } = record;
  await appendAll(service, [1, 2, 3, 4, 5, 6].map((n) => (n === 3 ? entry(n, { outcome: 'refused', status: 409, detail: 'project is at stage design' }) : entry(n))));
  const original = await owner.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const restore = () =>
    asOwnerBypassingTriggers(owner, async (db) => {
      await db.deleteFrom('audit_log').execute();
      await db.insertInto('audit_log').values(original).execute();
    });

  // A refused command made to look accepted.
  await asOwnerBypassingTriggers(owner, (db) => db.updateTable('audit_log').set({ outcome: 'accepted', status: 200 }).where('seq', '=', '3').execute());
  expect(await verifyAuditChain(service)).toMatchObject({ intact: false, checked: 3, broken: { seq: '3', problem: expect.stringMatching(/changed after it was written/) } });

  // Through the API too: admins only.
  const client: Client = await devServerClient();
  const app = createApp({ client, taskQueue: 'unused', principals: loadPrincipals({ NODE_ENV: 'test', PRINCIPALS_FILE: undefined }), policy: DEFAULT_POLICY, db: service, logger: pino({ level: 'silent' }) });
  const server = await listen(app, 0, '127.0.0.1');
  const call = apiCaller(() => server.port);
  try {
    expect(await call('GET', '/api/audit/verify', 'dev-admin')).toMatchObject({ status: 200, body: { intact: false, broken: { seq: '3' } } });
    expect((await call('GET', '/api/audit/verify', 'dev-window')).status).toBe(403);
    await restore();
    expect(await call('GET', '/api/audit/verify', 'dev-admin')).toMatchObject({ status: 200, body: { intact: true, checked: 6, head: { seq: '6' } } });
  } finally {
    await server.close();
    await client.connection.close();
  }

  // An entry removed from the middle.
  await asOwnerBypassingTriggers(owner, (db) => db.deleteFrom('audit_log').where('seq', '=', '4').execute());
  expect(await verifyAuditChain(service)).toMatchObject({ intact: false, broken: { seq: '5', problem: expect.stringMatching(/entry 4 is missing/) } });
  await restore();

  // An entry rewritten with its own hash recomputed: the next entry's link no longer fits.
  await asOwnerBypassingTriggers(owner, (db) =>
    sql`update audit_log set detail = 'nothing happened',
          hash = audit_log_hash(prev_hash, seq, at, principal_id, principal_role, method, path, project_id, outcome, status, 'nothing happened')
        where seq = 2`.execute(db),
  );
  expect(await verifyAuditChain(service)).toMatchObject({ intact: false, checked: 3, broken: { seq: '3', problem: expect.stringMatching(/prev_hash .* is not the hash of the entry before it/) } });
  await restore();
  expect(await verifyAuditChain(service)).toMatchObject({ intact: true, checked: 6 });
});

test(`entries written before the chain existed start it, in the order of their ids (${BACKEND})`, async () => {
  record = await ownRecord({ upTo: '0001_public_record' });
  const { owner, service } = record;
  // Written by the service of the time (no role, no chain yet), one of them at a sub-millisecond time.
  await appendAll(owner, [entry(1), entry(2), entry(3, { at: '2026-01-05T02:00:00.003456Z' })]);
  await migrate(owner);
  expect(await verifyAuditChain(service)).toMatchObject({ intact: true, checked: 3 });
  const rows = await service.selectFrom('audit_log').select(['id', 'seq', 'at']).orderBy('id').execute();
  expect(rows.map((r) => r.seq)).toEqual(['1', '2', '3']);
  expect(new Date(rows[2]?.at ?? 0).toISOString()).toBe('2026-01-05T02:00:00.003Z');
  await appendAudit(service, entry(4));
  expect(await verifyAuditChain(service)).toMatchObject({ intact: true, checked: 4, head: { seq: '4' } });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run ops -- audit-verify`, as an operator types it. */
function opsAuditVerify(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'ops', '--', 'audit-verify'],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const tamper = (owner: Db) => asOwnerBypassingTriggers(owner, (db) => db.updateTable('audit_log').set({ principal_id: 'someone-else' }).where('seq', '=', '2').execute());

if (BACKEND === 'PostgreSQL') {
  test('production logins: the migration login owns, the service login only acts as one_window_app once granted it (PostgreSQL)', async () => {
    record = await ownRecord();
    const login = `one_window_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await sql`create role ${sql.id(login)} login`.execute(record.owner);
    const serviceUrl = new URL(record.url as string);
    serviceUrl.username = login;
    const config = { DATABASE_URL: serviceUrl.toString(), DATABASE_MIGRATION_URL: record.url };
    try {
      // Not yet a member: the process stops at start, naming the grant.
      await expect(openConfiguredDb(config)).rejects.toThrow(/GRANT one_window_app TO/);
      await sql`grant one_window_app to ${sql.id(login)}`.execute(record.owner);
      const db = await openConfiguredDb(config);
      try {
        await appendAudit(db, entry(1));
        expect((await sql<{ user: string; login: string }>`select current_user as user, session_user as login`.execute(db)).rows[0]).toEqual({ user: 'one_window_app', login });
        await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/permission denied/);
        // Even back as itself, the login owns nothing and holds only what the role gives it.
        await expect(sql`reset role; truncate audit_log`.execute(db)).rejects.toThrow(/permission denied/);
        expect(await verifyAuditChain(db)).toMatchObject({ intact: true, checked: 1 });
      } finally {
        await db.destroy();
      }
    } finally {
      await record.close();
      record = undefined;
      const server = connectDb(process.env.TEST_DATABASE_URL as string, { max: 1, role: null });
      await sql`drop role if exists ${sql.id(login)}`.execute(server);
      await server.destroy();
    }
  });

  test('npm run ops -- audit-verify checks the record DATABASE_URL names (PostgreSQL)', async () => {
    record = await ownRecord();
    await appendAll(record.service, [entry(1), entry(2), entry(3)]);
    const env = { DATABASE_URL: record.url as string };
    const intact = await opsAuditVerify(env);
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringMatching(/checked 3 audit log entries\naudit log intact \(last entry: seq 3, hash [0-9a-f]{64}\)/) });
    await tamper(record.owner);
    expect(await opsAuditVerify(env)).toMatchObject({ code: 1, stdout: expect.stringMatching(/checked 2 audit log entries\naudit log broken at seq 2 \(id \d+\): .*changed after it was written/) });
  });
} else {
  test('npm run ops -- audit-verify checks the embedded database, and refuses while the service has it open (PGlite)', async () => {
    const dataDir = tempFile('data');
    const files = join(dataDir, 'pgdata');
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    let embedded = await openEmbeddedDb({ dataDir: files });
    try {
      await appendAll(embedded.db, [entry(1), entry(2), entry(3)]);
      // `npm start` would hold it the same way.
      const refused = await opsAuditVerify(env);
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining(`in use by process ${process.pid}`) });
    } finally {
      await embedded.close();
    }
    expect(existsSync(`${files}.lock`)).toBe(false);
    expect(await opsAuditVerify(env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/checked 3 audit log entries\naudit log intact/) });

    embedded = await openEmbeddedDb({ dataDir: files });
    try {
      await tamper(new Kysely<Database>({ dialect: new PGliteDialect(embedded.session, null) }));
    } finally {
      await embedded.close();
    }
    expect(await opsAuditVerify(env)).toMatchObject({ code: 1, stdout: expect.stringMatching(/checked 2 audit log entries\naudit log broken at seq 2/) });
  });
}
