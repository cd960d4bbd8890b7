// The fee-waiver catalogue (FEE_WAIVERS_FILE, default config/fee-waivers.json), validated once at start-up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waiverCatalogue, type WaiverCatalogue } from '../domain/waivers';
import { ROOT } from './env';

export const DEFAULT_FEE_WAIVERS_FILE = join(ROOT, 'config', 'fee-waivers.json');

export function loadWaiverCatalogue(path: string = DEFAULT_FEE_WAIVERS_FILE): WaiverCatalogue {
  const parsed = waiverCatalogue.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid fee-waiver catalogue ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
