// Where each utility company receives pushed projects. Without UTILITY_ENDPOINTS_FILE (development
// only) every company is the API's own development inbox, so `npm start` works end to end.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UTILITIES, type Utility } from '../domain/codes';
import type { Config } from './env';

const endpoints = z.partialRecord(z.enum(UTILITIES), z.url({ protocol: /^https?$/ }));

export function loadUtilityEndpoints(config: Pick<Config, 'UTILITY_ENDPOINTS_FILE' | 'PORT'>): Partial<Record<Utility, string>> {
  if (config.UTILITY_ENDPOINTS_FILE === undefined) {
    return Object.fromEntries(UTILITIES.map((u) => [u, `http://127.0.0.1:${config.PORT}/dev/utility-inbox/${u}`]));
  }
  const parsed = endpoints.safeParse(JSON.parse(readFileSync(config.UTILITY_ENDPOINTS_FILE, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid utility endpoints ${config.UTILITY_ENDPOINTS_FILE}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
