// What every test file shares: one Temporal dev server (in memory, search attributes registered) and one
// fresh database for the public record — a new database on the PostgreSQL that TEST_DATABASE_URL names,
// or else the embedded default (PGlite served on a local socket). Each test uses its own task queue and
// project ids, so files can share both in parallel.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { connectDb, migrate } from '../db/connect';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { generateSealKeys } from '../temporal/command-seal';

declare global {
  var __devServer: DevServer | undefined;
  var __embeddedPostgres: EmbeddedPostgres | undefined;
  var __dropDatabase: (() => Promise<void>) | undefined;
}

async function freshPostgresDatabase(serverUrl: string): Promise<string> {
  const name = `one_window_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  globalThis.__dropDatabase = async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function globalSetup(): Promise<void> {
  process.env.TEST_TMP_ROOT = mkdtempSync(join(tmpdir(), 'one-window-test-'));
  // The suite's command seal: test clients sign as the API does, test workers trust its public key.
  process.env.TEST_SEAL_PRIVATE_KEY = generateSealKeys().pem;
  const [server, databaseUrl] = await Promise.all([
    startDevServer(),
    (async () => {
      if (process.env.TEST_DATABASE_URL) return freshPostgresDatabase(process.env.TEST_DATABASE_URL);
      globalThis.__embeddedPostgres = await startEmbeddedPostgres();
      return globalThis.__embeddedPostgres.url;
    })(),
  ]);
  globalThis.__devServer = server;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  const db = connectDb(databaseUrl);
  await migrate(db);
  await db.destroy();
  process.env.TEST_DB_URL = databaseUrl;
  console.log(`\ntests use ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'the embedded PGlite'} for the record`);
}
