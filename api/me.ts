// GET /api/me: who the bearer token belongs to, so a console can show the signed-in person and choose
// the menu of their role without decoding tokens itself.
import { Router } from 'express';
import type { Actor } from '../domain/project';

export function meRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const { id, role, name, party } = req.actor as Actor;
    res.json({ id, role, ...(name && { name }), ...(party && { party }), ...(req.locality && { locality: req.locality }) });
  });
  return router;
}
