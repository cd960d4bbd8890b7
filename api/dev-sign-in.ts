// GET /dev/principals: the development identities with their tokens, for the console's sign-in page in
// development. Mounted only when the service authenticates with config/principals.dev.json outside
// production (api/main.ts, scripts/start.ts): those tokens are published in this repository anyway, and
// this lists nothing that a production principals file holds (only hashes there).
import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config/env';
import { DEV_PRINCIPALS_FILE } from '../config/principals';
import { ROLES, PARTIES } from '../domain/codes';

const devFile = z.object({
  principals: z.array(z.object({ token: z.string().optional(), id: z.string(), name: z.string().optional(), role: z.enum(ROLES), party: z.enum(PARTIES).optional() })),
});

export type DevIdentity = { token: string } & Omit<z.infer<typeof devFile>['principals'][number], 'token'>;

/** The identities of a development principals file that have a plain token, in the file's order. */
export function devIdentities(path: string): DevIdentity[] {
  const { principals } = devFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  return principals.flatMap(({ token, ...rest }) => (token === undefined ? [] : [{ token, ...rest }]));
}

export function devSignInRouter(identities: readonly DevIdentity[]): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ identities });
  });
  return router;
}

/** The identities to offer when the service runs on the development principals outside production. */
export function devSignInFor(config: Pick<Config, 'NODE_ENV' | 'PRINCIPALS_FILE'>): DevIdentity[] | undefined {
  return config.NODE_ENV !== 'production' && config.PRINCIPALS_FILE === undefined ? devIdentities(DEV_PRINCIPALS_FILE) : undefined;
}
