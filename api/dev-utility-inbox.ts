// A stand-in for the utility companies' endpoints in development (never mounted in production), so a
// permitted project's automatic push is visible with `npm start`: GET /dev/utility-inbox lists what came.
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
