// GET /api/agents: the agents (代办员) the principals file names, by name, so that a console offers a
// person to pick (registration, hand-over) and shows a project's agent by name rather than an account id.
// Read by the people who work on projects; not by utility companies' machine callers.
import { Router } from 'express';
import type { Principals } from '../config/principals';
import { z } from '../domain/zod';
import { authorizeRole } from './auth';

export const AGENT_READERS = ['window', 'admin', 'agent', 'leader', 'reviewer'] as const;

export const agentListSchema = z
  .object({
    agents: z.array(
      z
        .object({
          id: z.string().describe('the account id a project names as its agent (e.g. agent-01)'),
          name: z.string().describe("the person's name, as the principals file has it (the id when it has none)"),
          party: z.string().optional(),
        })
        .openapi('AgentEntry'),
    ),
  })
  .openapi('AgentList');

export function agentsRouter({ principals }: { principals: Principals }): Router {
  const router = Router();
  router.get('/', (req, res) => {
    authorizeRole(req, AGENT_READERS, 'list the agents');
    const agents = principals
      .all()
      .filter((p) => p.role === 'agent')
      .map(({ id, name, party }) => ({ id, name: name ?? id, ...(party && { party }) }))
      .sort((a, b) => a.id.localeCompare(b.id));
    res.json({ agents });
  });
  return router;
}
