// The embedded default: PGlite (PostgreSQL compiled to WebAssembly) keeping its files under data/, served
// over the Postgres wire protocol so every process uses the same driver and SQL as on a real server.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** `dataDir` omitted keeps the database in memory (tests). `port` 0 picks a free one. */
export async function startEmbeddedPostgres({ dataDir, port = 0 }: { dataDir?: string; port?: number } = {}): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(dataDir);
  // PGlite is one session; the server multiplexes connections onto it, so the record's writes are single
  // statements (no multi-statement transactions) that interleave safely.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 16 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
