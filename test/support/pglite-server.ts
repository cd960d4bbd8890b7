// TEST HARNESS ONLY: an in-memory PGlite served over the Postgres wire protocol on a random loopback port,
// so that the suite's jest workers and the child processes some tests spawn (a worker, the API) can share
// one record database the way they would share a real PostgreSQL.
//
// Never the product: @electric-sql/pglite-socket multiplexes every connection onto PGlite's ONE session
// with no authentication — a client's open transaction or SET ROLE is everyone's, and one client's
// statements can interleave with another's. The product runs PGlite in-process (db/embedded.ts). The
// suite tolerates this because its writers are our own code (single statements, no held transactions);
// tests of roles, tampering and concurrency open their own in-process database instead.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PGliteServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPGliteServer(): Promise<PGliteServer> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
