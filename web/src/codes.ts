// The codes the console offers in its forms and filters. Stages, parties, localities and categories come
// from the API's own domain/codes.ts (plain data), so there is one list of each.
export { CATEGORIES, LOCALITIES, PARTIES, STAGES, UTILITIES } from '../../domain/codes';

export const LIGHTS = ['red', 'yellow', 'green'] as const;
/** The statuses the project list filters by (GET /api/projects?status=). */
export const LIST_STATUSES = ['awaiting-application', 'under-review', 'correction', 'rejected', 'completed', 'withdrawn', 'terminated'] as const;
