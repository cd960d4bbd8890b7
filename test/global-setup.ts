// What every test file shares: one Temporal dev server (in memory, search attributes registered) and one
// fresh database for the public record — a new database on the PostgreSQL that TEST_DATABASE_URL names,
// or else an in-memory PGlite served on a loopback socket (test/support/pglite-server.ts: a test harness
// only; the product runs PGlite in-process). Each test uses its own task queue and project ids, so files
// can share both in parallel. Migrations run here as the owner; the tests' pools act as the service's role.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDb, migrate } from '../db/connect';
import { ROOT } from '../config/env';
import { loadLiaisons, postsOf } from '../config/liaisons';
import { seedDirectory } from '../db/directory';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { generateSealKeys } from '../temporal/command-seal';
import { startPGliteServer, type PGliteServer } from './support/pglite-server';
import { freshPostgresDatabase } from './support/record-db';

declare global {
  var __devServer: DevServer | undefined;
  var __pgliteServer: PGliteServer | undefined;
  var __dropDatabase: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.TEST_TMP_ROOT = mkdtempSync(join(tmpdir(), 'one-window-test-'));
  // The suite's command seal: test clients sign as the API does, test workers trust its public key.
  process.env.TEST_SEAL_PRIVATE_KEY = generateSealKeys().pem;
  const [server, databaseUrl] = await Promise.all([
    startDevServer(),
    (async () => {
      if (process.env.TEST_DATABASE_URL) {
        const database = await freshPostgresDatabase(process.env.TEST_DATABASE_URL);
        globalThis.__dropDatabase = database.drop;
        return database.url;
      }
      globalThis.__pgliteServer = await startPGliteServer();
      return globalThis.__pgliteServer.url;
    })(),
  ]);
  globalThis.__devServer = server;
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  const db = connectDb(databaseUrl, { max: 1, role: null });
  await migrate(db);
  const liaisons = join(ROOT, 'config', 'liaisons.dev.json');
  await seedDirectory(db, liaisons, () => postsOf(loadLiaisons(liaisons)));
  await db.destroy();
  process.env.TEST_DB_URL = databaseUrl;
  console.log(`\ntests use ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'the embedded PGlite'} for the record`);
}
