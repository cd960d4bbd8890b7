// A real local HTTP server standing in for the utility companies: it records every request and can be
// told to fail or to answer slowly for a company's first attempts.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UTILITIES, type Utility } from '../../domain/codes';

export interface Received {
  company: string;
  key: string | undefined;
  body: any;
}

export interface Behaviour {
  /** Answer 503 to this many attempts first. */
  failFirst?: number;
  /** Answer 503 to every attempt until recover(company) is called. */
  down?: boolean;
  /** Answer this many attempts only after `delayMs` (past the client's timeout). */
  slowFirst?: number;
  delayMs?: number;
}

export async function startUtilityCompanies(behaviour: Partial<Record<Utility, Behaviour>> = {}) {
  const received: Received[] = [];
  const recovered = new Set<string>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((req, res) => {
    const company = (req.url ?? '').split('/').pop() ?? '';
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      received.push({ company, key: req.headers['idempotency-key'] as string | undefined, body: JSON.parse(raw || 'null') });
      const attempt = received.filter((r) => r.company === company).length;
      const b = behaviour[company as Utility] ?? {};
      const answer = (status: number) => {
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ attempt }));
      };
      if (attempt <= (b.failFirst ?? 0) || (b.down && !recovered.has(company))) return answer(503);
      if (attempt <= (b.slowFirst ?? 0)) return void setTimeout(() => answer(200), b.delayMs ?? 0);
      answer(200);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    received,
    recover(company: Utility) {
      recovered.add(company);
    },
    endpoints: Object.fromEntries(UTILITIES.map((u) => [u, `http://127.0.0.1:${port}/companies/${u}`])) as Record<Utility, string>,
    async stop() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
