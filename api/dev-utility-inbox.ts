// A stand-in for the utility companies' endpoints, so a permitted project's automatic push can be seen:
// mounted by the API in development only (/dev/utility-inbox), and served on its own by
// scripts/utility-stand-in.ts inside docker-compose (compose network only) and by the simulation.
// Pushes arrive without a token, as the worker sends them to real companies. Reading is authenticated
// when mounted by the API (`guard`): admins and the window see every entry, a utility principal its own
// company's. Memory is bounded: the oldest entries are dropped beyond `capacity`.
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { UTILITIES } from '../domain/codes';
import { HttpError, parse } from './errors';

interface Received {
  seq: number;
  company: string;
  key: string;
  at: string;
  body: unknown;
}

export interface DevUtilityInboxOptions {
  /** Authenticates readers (sets req.actor); without it, GET is open (the stand-ins off the API). */
  guard?: RequestHandler;
  /** Entries kept; the oldest go first. */
  capacity?: number;
}

export const DEV_INBOX_CAPACITY = 1_000;

export function devUtilityInbox({ guard, capacity = DEV_INBOX_CAPACITY }: DevUtilityInboxOptions = {}): Router {
  const received: Received[] = [];
  let seq = 0;
  let dropped = 0;
  const listQuery = z
    .object({
      limit: z.coerce.number().int().min(1).max(capacity).default(Math.min(100, capacity)),
      before: z.coerce.number().int().min(1).optional().describe('seq of the oldest entry already seen: the page before it'),
      company: z.enum(UTILITIES).optional(),
    })
    .strict();

  const router = Router();
  router.post('/:company', (req, res) => {
    const { company } = parse(z.object({ company: z.enum(UTILITIES) }), req.params, 'params');
    const key = req.get('idempotency-key') ?? '';
    const duplicate = received.some((r) => r.company === company && r.key === key);
    if (!duplicate) {
      received.push({ seq: ++seq, company, key, at: new Date().toISOString(), body: req.body });
      if (received.length > capacity) {
        received.splice(0, received.length - capacity);
        dropped = seq - capacity;
      }
    }
    res.json({ received: true, duplicate });
  });

  router.get('/', ...(guard ? [guard] : []), (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    let company = query.company;
    const actor = req.actor;
    if (guard) {
      if (!actor) throw new HttpError(401, 'unauthenticated', 'no identity');
      if (actor.role === 'utility') {
        if (company !== undefined && company !== actor.party) throw new HttpError(403, 'forbidden', `${actor.id} reads the entries of ${actor.party} only`);
        company = actor.party as (typeof UTILITIES)[number];
      } else if (actor.role !== 'admin' && actor.role !== 'window') {
        throw new HttpError(403, 'forbidden', `role ${actor.role} may not read the utility inbox (allowed: admin, window, utility for its own company)`);
      }
    }
    const page: Received[] = [];
    for (let i = received.length - 1; i >= 0 && page.length < query.limit; i--) {
      const r = received[i]!;
      if (query.before !== undefined && r.seq >= query.before) continue;
      if (company !== undefined && r.company !== company) continue;
      page.push(r);
    }
    const oldest = page.at(-1)?.seq;
    const more = oldest !== undefined && received.some((r) => r.seq < oldest && (company === undefined || r.company === company));
    res.json({ received: page, capacity, dropped, ...(more && { next: { before: oldest } }) });
  });
  return router;
}
