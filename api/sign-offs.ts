// GET /api/sign-offs: a department's or utility company's done list (已办) — what its party decided,
// newest first. The party is the caller's own (from its principal, never from the query): the list is
// one party's record of its work, and another party's is not its to read.
import { Router } from 'express';
import type { Principals } from '../config/principals';
import type { Db } from '../db/connect';
import { partySignOffs } from '../db/sign-offs';
import { signOffsQuery } from '../domain/schemas';
import { authorizeRole } from './auth';
import { HttpError, parse } from './errors';

export function signOffsRouter({ db, principals }: { db: Db; principals: Principals }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const actor = authorizeRole(req, ['reviewer', 'utility'], 'read a done list (a department’s or utility company’s own)');
    const party = actor.party;
    if (!party) throw new HttpError(403, 'forbidden', `${actor.id} signs for no department or company`);
    const query = parse(signOffsQuery, req.query, 'query');
    const { stage, decision, cursor, limit } = query;
    const page = await partySignOffs(db, { party, limit, ...(stage && { stage }), ...(decision && { decision }), ...(cursor && { cursor }) });
    // Who recorded each decision, by name where the principals know them.
    const named = (id: string) => {
      const name = principals.find(id)?.name;
      return { id, ...(name && { name }) };
    };
    res.json({ ...page, signOffs: page.signOffs.map((s) => ({ ...s, by: named(s.by) })) });
  });
  return router;
}
