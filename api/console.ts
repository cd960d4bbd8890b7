// The web console (web/, built by Vite into web/dist) served at `/`: its files as they are, and
// index.html for every other page address (client-side routes such as /projects/<id>), so a reload or a
// shared link opens the right page. /api, /dev, /health and /metrics are never answered here.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import type { Logger } from 'pino';
import { ROOT } from '../config/env';

export const CONSOLE_DIR = join(ROOT, 'web', 'dist');

const NOT_CONSOLE = /^\/(api|dev|health|metrics)(\/|$)/;
// A path with a file extension names a file: a missing one is a 404, not the app's page.
const FILE = /\/[^/]+\.[a-z0-9]+$/i;

export function consoleRouter(dir: string): Router {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`the console is not built: no ${join(dir, 'index.html')} (npm run build)`);
  const router = Router();
  // Vite names built assets by their content hash, so they may be kept for good; index.html never.
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: true }));
  router.use(express.static(dir, { index: false }));
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path) || FILE.test(req.path) || !req.accepts('html')) return next();
    res.set('cache-control', 'no-cache');
    res.sendFile('index.html', { root: dir });
  });
  return router;
}

/** The console's folder when it is built; otherwise a warning and no console (the API still serves). */
export function builtConsole(logger: Pick<Logger, 'warn'>, dir = CONSOLE_DIR): string | undefined {
  if (existsSync(join(dir, 'index.html'))) return dir;
  logger.warn({ dir }, 'the web console is not built (npm run build): / answers 404');
  return undefined;
}
