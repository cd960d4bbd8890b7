// TEST HARNESS ONLY: an in-memory PGlite served over the Postgres wire protocol on a random loopback port,
// so that the suite's jest workers and the child processes some tests spawn (a worker, the API) can share
// one record database the way they would share a real PostgreSQL.
//
// Never the product: @electric-sql/pglite-socket multiplexes every connection onto PGlite's ONE session
// with no authentication — a client's open transaction or SET ROLE is everyone's, and one client's
// statements could interleave with another's (each connection's messages up to its Sync now go as one,
// below). The product runs PGlite in-process (db/embedded.ts). The
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
  groupUntilSync((server as unknown as { queryQueue: MessageQueue }).queryQueue);
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

interface MessageQueue {
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number>;
}

// The extended query protocol's messages a client sends before its Sync: Parse, Bind, Describe, Execute, Close.
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));

/**
 * pglite-socket queues every protocol message on its own, so two connections' extended-protocol exchanges
 * (Parse, Bind, Execute … Sync) interleave on PGlite's one session — "bind message supplies 1 parameters,
 * but prepared statement "" requires 9" — and a test's request fails at random under load. Each
 * connection's messages up to its Sync go to PGlite as one, so exchanges no longer interleave.
 */
function groupUntilSync(queue: MessageQueue): void {
  const enqueue = queue.enqueue.bind(queue);
  const held = new Map<number, Uint8Array[]>();
  queue.enqueue = (handlerId, message, onData) => {
    if (EXTENDED.has(message[0] as number)) {
      held.set(handlerId, [...(held.get(handlerId) ?? []), message]);
      return Promise.resolve(0);
    }
    const before = held.get(handlerId);
    if (!before) return enqueue(handlerId, message, onData);
    held.delete(handlerId);
    return enqueue(handlerId, Buffer.concat([...before, message]), onData);
  };
}
