// A stand-in for the utility companies' endpoints, so a permitted project's automatic push can be seen:
// mounted by the API in development only (GET /dev/utility-inbox), and served on its own by
// scripts/utility-stand-in.ts inside docker-compose. It answers without a token, so never in production.
import { Router } from 'express';
import { z } from 'zod';
import { UTILITIES } from '../domain/codes';
import { parse } from './errors';

interface Received {
  company: string;
  key: string;
  at: string;
  body: unknown;
}

export function devUtilityInbox(): Router {
  const received: Received[] = [];
  const router = Router();
  router.post('/:company', (req, res) => {
    const { company } = parse(z.object({ company: z.enum(UTILITIES) }), req.params, 'params');
    const key = req.get('idempotency-key') ?? '';
    const duplicate = received.some((r) => r.company === company && r.key === key);
    if (!duplicate) received.push({ company, key, at: new Date().toISOString(), body: req.body });
    res.json({ received: true, duplicate });
  });
  router.get('/', (_req, res) => {
    res.json({ received });
  });
  return router;
}
