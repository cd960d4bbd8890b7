// `npm run ops -- <command>`: operations on the public record from the command line.
//
//   audit-verify   recomputes the audit log's hash chain; prints how many entries were checked and either
//                  "audit log intact" (exit 0) or the first broken link (exit 1).
//
// The record is the one DATABASE_URL names or, with it unset, the embedded database in data/pgdata — which
// only one process may open: while `npm start` runs, ops refuses (ask the running service instead:
// GET /api/audit/verify). Exit 2: the check could not be made.
import { loadConfig } from '../config/env';
import { verifyAuditChain } from '../db/audit';
import { openConfiguredDb, type Db } from '../db/connect';
import { openEmbeddedDb } from '../db/embedded';

const USAGE = 'usage: npm run ops -- audit-verify';

async function openRecord(): Promise<{ db: Db; close: () => Promise<void> }> {
  const config = loadConfig();
  if (config.DATABASE_URL !== undefined) {
    const db = await openConfiguredDb(config);
    return { db, close: () => db.destroy() };
  }
  const embedded = await openEmbeddedDb({ dataDir: config.embeddedDataDir });
  return { db: embedded.db, close: embedded.close };
}

async function auditVerify(): Promise<number> {
  const { db, close } = await openRecord();
  try {
    const result = await verifyAuditChain(db);
    console.log(`checked ${result.checked} audit log ${result.checked === 1 ? 'entry' : 'entries'}`);
    if (result.intact) {
      console.log(`audit log intact${result.head ? ` (last entry: seq ${result.head.seq}, hash ${result.head.hash})` : ' (empty)'}`);
      return 0;
    }
    const { seq, id, problem } = result.broken;
    console.log(`audit log broken at seq ${seq} (id ${id}): ${problem}`);
    return 1;
  } finally {
    await close();
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'audit-verify' && rest.length === 0) return auditVerify();
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`ops failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
