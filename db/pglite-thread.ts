// The embedded database in a thread of its own. PGlite runs PostgreSQL as WebAssembly, synchronously, on
// the thread that calls it; on the service's main thread every record write held up whatever else that
// thread had to do — the API's answers, the Temporal SDK's tasks and activities. Here it runs beside them.
//
// The leases of PGlite's one session are kept in the thread, so statements queue there and run back to
// back: a lease's statement runs as soon as the thread is free, unless another lease has a transaction
// open, and then it waits for that transaction's end. Each statement carries its lease's role, set again
// whenever the session passes from one lease to another. Outside a transaction, statements of different
// leases may run in between one another (see Lease in db/pglite-dialect.ts).
//
// The thread's code is the small script below, not a module of ours: it loads PGlite as Node loads it
// anywhere, whether the service runs compiled or not (the tests run the TypeScript).
import { Worker } from 'node:worker_threads';
import { setRole, type Lease, type Rows, type Session } from './pglite-dialect';

/** How the embedded PGlite is opened, in this process or in the thread. */
export interface PGliteSettings {
  /** In memory when omitted. */
  dataDir?: string;
  /** shared_buffers (PGlite's default, 160 MB, fills as the record grows and stays in memory). */
  sharedBuffers: string;
  /** Type oids read back as text, as `pg` reads them (bigint ids, dates as 'YYYY-MM-DD'). */
  asText: number[];
}

type Operation = { op: 'query'; sql: string; params: unknown[] } | { op: 'exec'; sql: string } | { op: 'end' } | { op: 'close' };
/** A lease's statement carries the statement that sets the lease's role. */
type Request = Operation & { lease?: number; role?: string };
type Answer = { id: number; rows?: unknown[]; affectedRows?: number; inTransaction?: boolean; error?: Record<string, unknown> & { message: string } };

const THREAD_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.module);
const { dataDir, sharedBuffers, asText } = workerData.settings;
const text = (v) => v;
const opening = PGlite.create({
  ...(dataDir !== undefined && { dataDir }),
  parsers: Object.fromEntries(asText.map((oid) => [oid, text])),
  postgresqlconf: ['shared_buffers=' + sharedBuffers],
});
opening.then(() => parentPort.postMessage({ id: 0 }), (err) => parentPort.postMessage({ id: 0, error: failure(err) }));
function failure(err) {
  // An Error's own fields (PostgreSQL's code, detail, constraint, ...) do not survive postMessage; plain values do.
  const fields = {};
  for (const [k, v] of Object.entries(err ?? {})) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
  return { ...fields, name: err?.name ?? 'Error', message: err?.message ?? String(err) };
}
// The lease whose transaction is open (nobody else's statement runs until it ends), the lease the
// session last ran for, and the statements waiting for the open transaction's end, in arrival order.
let owner;
let current;
let waiting = [];
let turn = Promise.resolve();
parentPort.on('message', (request) => {
  // Whatever happens to one request, the next ones are still served.
  turn = turn.then(() => run(request)).catch((err) => answer(request.id, { error: failure(err) }));
});
function answer(id, fields) {
  try {
    parentPort.postMessage({ id, ...fields });
  } catch (err) {
    parentPort.postMessage({ id, error: failure(err) });
  }
}
async function run(request) {
  if (request.lease !== undefined && owner !== undefined && request.lease !== owner) return void waiting.push(request);
  const pg = await opening;
  let result;
  try {
    result = await perform(pg, request);
  } catch (err) {
    result = { error: failure(err) };
  }
  const open = request.op !== 'close' && !pg.closed && pg.isInTransaction();
  if (request.lease !== undefined) owner = open ? request.lease : undefined;
  answer(request.id, { inTransaction: open, ...result });
  if (owner === undefined && waiting.length > 0) {
    const held = waiting;
    waiting = [];
    for (const r of held) await run(r);
  }
}
async function perform(pg, request) {
  if (request.lease !== undefined && request.lease !== current && request.op !== 'end') {
    // The session passes to another lease: its role, whatever the last holder made of it. Taken as the
    // lease's only once set, so that a lease whose role failed to be set tries again rather than run as
    // the previous holder.
    current = undefined;
    await pg.query(request.role);
    current = request.lease;
  }
  switch (request.op) {
    case 'query': {
      const result = await pg.query(request.sql, request.params);
      return { rows: result.rows, affectedRows: result.affectedRows };
    }
    case 'exec':
      await pg.exec(request.sql);
      return {};
    case 'end':
      // A holder that left a transaction open must not hand it to the next one: it is rolled back.
      if (pg.isInTransaction()) await pg.query('rollback');
      return {};
    case 'close':
      await pg.close();
      return {};
  }
}
`;

/** An error from the thread, with PostgreSQL's fields (code, detail, constraint, …) as PGlite gave them. */
const errorOf = ({ message, name, ...fields }: NonNullable<Answer['error']>): Error => Object.assign(new Error(message), { name, ...fields });

export interface ThreadSession extends Session {
  close(): Promise<void>;
}

/** Opens PGlite in a new thread. */
export async function openPGliteThread(settings: PGliteSettings): Promise<ThreadSession> {
  const worker = new Worker(THREAD_SCRIPT, { eval: true, workerData: { module: require.resolve('@electric-sql/pglite'), settings } });
  const pending = new Map<number, { resolve: (a: Answer) => void; reject: (err: Error) => void }>();
  let nextRequest = 1;
  let nextLease = 1;
  let broken: Error | undefined;
  // The thread keeps the process alive only while a request is waiting on it, as a socket would.
  const held = () => (pending.size > 0 ? worker.ref() : worker.unref());
  const fail = (err: Error) => {
    broken ??= err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
    held();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the embedded database's thread has stopped (exit code ${code})`)));
  worker.on('message', (a: Answer) => {
    const waiting = pending.get(a.id);
    if (!waiting) return;
    pending.delete(a.id);
    held();
    if (a.error) waiting.reject(errorOf(a.error));
    else waiting.resolve(a);
  });
  const send = (request: Request): Promise<Answer> => {
    if (broken) return Promise.reject(broken);
    const id = nextRequest++;
    return new Promise((resolve, reject) => {
      try {
        // A parameter that cannot be copied to the thread (a function, say) is refused here, at once.
        worker.postMessage({ ...request, id });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      pending.set(id, { resolve, reject });
      held();
    });
  };
  // The thread says when PGlite is open (request 0); a failure to open is thrown here.
  const opened = new Promise<Answer>((resolve, reject) => pending.set(0, { resolve, reject }));
  held();
  try {
    await opened;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    async lease(role: string | null): Promise<Lease> {
      const lease = nextLease++;
      const as = { lease, role: setRole(role) };
      // Whether this lease may have a transaction open: each answer says; after a failure, or a script,
      // or with a statement still on its way (one not awaited), its end asks the thread — after them.
      let open = false;
      let inFlight = 0;
      let ended = false;
      const statement = async (operation: Operation): Promise<Answer> => {
        if (ended) throw new Error('this lease of the embedded database has ended');
        inFlight++;
        try {
          const a = await send({ ...operation, ...as });
          open = a.inTransaction === true;
          return a;
        } catch (err) {
          open = true;
          throw err;
        } finally {
          inFlight--;
        }
      };
      return {
        async query<R>(sql: string, params: unknown[] = []): Promise<Rows<R>> {
          const { rows, affectedRows } = await statement({ op: 'query', sql, params });
          return { rows: rows as R[], ...(affectedRows !== undefined && { affectedRows }) };
        },
        async exec(sql: string): Promise<void> {
          await statement({ op: 'exec', sql });
          open = true;
        },
        async end(): Promise<void> {
          ended = true;
          if (open || inFlight > 0) await send({ op: 'end', ...as });
        },
      };
    },
    async close(): Promise<void> {
      if (broken) return;
      const closed = new Error('the embedded database is closed');
      try {
        // Statements already sent are answered first; PGlite closes after them, and nothing new is sent.
        const closing = send({ op: 'close' });
        broken = closed;
        await closing;
      } finally {
        broken = closed;
        worker.removeAllListeners('exit');
        await worker.terminate();
        // Whatever was still waiting — on a transaction that never ended, say — is told, not left hanging.
        fail(closed);
      }
    },
  };
}
