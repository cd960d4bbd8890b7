// /api/campaigns: 集中开工 (concentrated construction start) campaigns. An admin declares one (name, planned
// start date, projects from the key industrial project plan and the full-agency project list), changes its
// name or date, adds and removes projects. The record is written first, with who did it; then every member's
// workflow is told by an Update (operations/campaigns.ts), which switches its reports to weekly until the
// start date and back to biweekly on its own. Members not yet told are told again on the next change and
// when the API starts; the answer shows each member's delivery.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import { CAMPAIGN_SOURCES, preparingElsewhere, projectStatuses, readCampaigns, type CampaignRecord } from '../db/campaigns';
import type { Db } from '../db/connect';
import { shanghaiDate } from '../domain/calendar';
import { serviceDate, text } from '../domain/schemas';
import { z } from '../domain/zod';
import { deliverCampaigns } from '../operations/campaigns';
import { authorizeRole } from './auth';
import { HttpError, parse, type FieldIssue } from './errors';

/** Writes: admins. Reads: those who plan or follow the projects (not reviewers or utility companies). */
const WRITERS = ['admin'] as const;
const READERS = ['admin', 'leader', 'window', 'agent'] as const;

const member = z
  .object({
    id: z.uuid('must be a project id (UUID)'),
    source: z.enum(CAMPAIGN_SOURCES, `must be one of ${CAMPAIGN_SOURCES.join(', ')}`).describe('key-industrial-plan 重点产业项目计划 · full-agency-list 全程代办项目清单'),
  })
  .strict();
const MAX_MEMBERS = 500;
const distinct = (ids: string[]) => new Set(ids).size === ids.length;
const members = z
  .array(member)
  .max(MAX_MEMBERS, `at most ${MAX_MEMBERS} projects at once`)
  .refine((m) => distinct(m.map((x) => x.id)), 'must not name a project twice');

export const campaignBody = z
  .object({
    name: text(100).describe('e.g. 2027 年春季集中开工'),
    startDate: serviceDate.describe('the planned start date (Shanghai), today or later'),
    projects: members.default([]),
  })
  .strict();

export const campaignPatch = z
  .object({
    name: text(100).optional(),
    startDate: serviceDate.optional(),
    add: members.optional(),
    remove: z.array(z.uuid('must be a project id (UUID)')).max(MAX_MEMBERS).refine(distinct, 'must not name a project twice').optional(),
  })
  .strict()
  .refine((p) => p.name !== undefined || p.startDate !== undefined || (p.add?.length ?? 0) > 0 || (p.remove?.length ?? 0) > 0, 'name a change: name, startDate, add or remove');

export const campaignParams = z.object({ id: z.uuid('must be a campaign id (UUID)') });

const time = z.string().describe('ISO time (UTC)');
const memberSchema = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  locality: z.string().nullable(),
  status: z.string().nullable().describe("the project's status in the record"),
  source: z.enum(CAMPAIGN_SOURCES),
  addedBy: z.string(),
  addedAt: time,
  removedBy: z.string().nullable(),
  removedAt: time.nullable(),
  delivery: z.enum(['applied', 'pending', 'refused']).describe("applied: the project's workflow has the change; pending: to be sent again; refused: the project said no (deliveryError)"),
  deliveryError: z.string().nullable(),
});
export const campaignSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    startDate: z.string().describe('YYYY-MM-DD, Shanghai'),
    phase: z.enum(['preparation', 'started']).describe('preparation: weekly reports until the start date'),
    declaredBy: z.string(),
    declaredAt: time,
    changedBy: z.string(),
    changedAt: time,
    projects: z.array(memberSchema).describe('the projects in it'),
    removed: z.array(memberSchema).describe('projects taken out of it, with who and when'),
  })
  .openapi('Campaign');
export const campaignListSchema = z.object({ campaigns: z.array(campaignSchema) }).openapi('CampaignList');

const today = () => shanghaiDate(Date.now());

function view(c: CampaignRecord): z.infer<typeof campaignSchema> {
  const { members: all, ...rest } = c;
  return { ...rest, phase: c.startDate > today() ? 'preparation' : 'started', projects: all.filter((m) => !m.removedAt), removed: all.filter((m) => m.removedAt) };
}

export interface CampaignsDeps {
  client: Client;
  db: Db;
  acceptTimeoutMs: number;
}

export function campaignsRouter({ client, db, acceptTimeoutMs }: CampaignsDeps): Router {
  const router = Router();
  const deliver = (id: string) => deliverCampaigns({ client, db, acceptTimeoutMs }, id);

  async function one(id: string) {
    const [c] = await readCampaigns(db, id);
    if (!c) throw new HttpError(404, 'not-found', `no campaign ${id}`);
    return c;
  }

  /** A start date must not be in the past: the campaign's weekly phase would have ended before it began. */
  function notPast(startDate: string | undefined): void {
    if (startDate !== undefined && startDate < today()) {
      throw new HttpError(400, 'invalid-request', 'invalid body.startDate', [{ path: 'body.startDate', message: `must be today (${today()}, Shanghai) or later` }]);
    }
  }

  /** Projects to add must be registered, active, and in no other campaign still preparing (409 naming each). */
  async function addable(ids: string[], path: string, campaignId?: string): Promise<void> {
    const [statuses, elsewhere] = await Promise.all([projectStatuses(db, ids), preparingElsewhere(db, ids, today(), campaignId)]);
    const issues: FieldIssue[] = [];
    ids.forEach((id, i) => {
      const status = statuses.get(id);
      const at = `${path}.${i}.id`;
      if (status === undefined) issues.push({ path: at, message: `no project ${id}` });
      else if (status !== 'active') issues.push({ path: at, message: `project ${id} is ${status}` });
      else if (elsewhere.has(id)) issues.push({ path: at, message: `project ${id} is already in campaign ${elsewhere.get(id)}` });
    });
    if (issues.length === 0) return;
    const unknown = issues.some((i) => i.message.startsWith('no project'));
    if (unknown) throw new HttpError(400, 'invalid-request', `cannot add ${issues.map((i) => i.path).join(', ')}`, issues);
    throw new HttpError(409, 'refused', `cannot add ${issues.map((i) => i.path).join(', ')}`, issues, { code: 'campaign-project-unavailable' });
  }

  router.get('/', async (req, res) => {
    authorizeRole(req, READERS, 'read campaigns');
    res.json({ campaigns: (await readCampaigns(db)).map(view) });
  });

  router.get('/:id', async (req, res) => {
    authorizeRole(req, READERS, 'read campaigns');
    const { id } = parse(campaignParams, req.params, 'params');
    res.json(view(await one(id)));
  });

  router.post('/', async (req: Request, res) => {
    const by = authorizeRole(req, WRITERS, 'declare a campaign');
    const body = parse(campaignBody, req.body, 'body');
    notPast(body.startDate);
    await addable(
      body.projects.map((p) => p.id),
      'body.projects',
    );
    const id = randomUUID();
    const at = new Date();
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('campaigns').values({ id, name: body.name, start_date: body.startDate, declared_by: by.id, declared_at: at, changed_by: by.id, changed_at: at }).execute();
      if (body.projects.length > 0) {
        await tx
          .insertInto('campaign_projects')
          .values(body.projects.map((p) => ({ campaign_id: id, project_id: p.id, source: p.source, added_by: by.id, added_at: at })))
          .execute();
      }
    });
    res.locals.auditDetail = `declared campaign ${body.name} (start ${body.startDate}) with ${body.projects.length} projects`;
    await deliver(id);
    res.status(201).location(`/api/campaigns/${id}`).json(view(await one(id)));
  });

  router.patch('/:id', async (req, res) => {
    const by = authorizeRole(req, WRITERS, 'change a campaign');
    const { id } = parse(campaignParams, req.params, 'params');
    const patch = parse(campaignPatch, req.body, 'body');
    const current = await one(id);
    if (current.startDate <= today()) {
      throw new HttpError(409, 'refused', `campaign ${current.name} started on ${current.startDate}; a started campaign is not changed`, undefined, {
        code: 'campaign-started',
        params: { campaign: current.name, startDate: current.startDate },
      });
    }
    notPast(patch.startDate);
    const inIt = new Set(current.members.filter((m) => !m.removedAt).map((m) => m.id));
    const add = (patch.add ?? []).filter((p) => !inIt.has(p.id));
    const remove = patch.remove ?? [];
    const notMembers = remove.map((pid, i) => ({ pid, i })).filter(({ pid }) => !inIt.has(pid));
    if (notMembers.length > 0) {
      throw new HttpError(400, 'invalid-request', `invalid ${notMembers.map(({ i }) => `body.remove.${i}`).join(', ')}`, notMembers.map(({ pid, i }) => ({ path: `body.remove.${i}`, message: `project ${pid} is not in campaign ${current.name}` })));
    }
    if ((patch.add ?? []).some((p) => remove.includes(p.id))) {
      throw new HttpError(400, 'invalid-request', 'invalid body.remove', [{ path: 'body.remove', message: 'must not name a project also in add' }]);
    }
    await addable(
      add.map((p) => p.id),
      'body.add',
      id,
    );
    const at = new Date();
    const renamed = (patch.name !== undefined && patch.name !== current.name) || (patch.startDate !== undefined && patch.startDate !== current.startDate);
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('campaigns')
        .set({ ...(patch.name !== undefined && { name: patch.name }), ...(patch.startDate !== undefined && { start_date: patch.startDate }), changed_by: by.id, changed_at: at })
        .where('id', '=', id)
        .execute();
      // Every member must hear a new name or date.
      if (renamed) {
        await tx
          .updateTable('campaign_projects')
          .set((eb) => ({ synced: false, revision: eb('revision', '+', 1) }))
          .where('campaign_id', '=', id)
          .where('removed_at', 'is', null)
          .execute();
      }
      for (const p of add) {
        await tx
          .insertInto('campaign_projects')
          .values({ campaign_id: id, project_id: p.id, source: p.source, added_by: by.id, added_at: at })
          .onConflict((oc) =>
            oc.columns(['campaign_id', 'project_id']).doUpdateSet((eb) => ({ source: p.source, added_by: by.id, added_at: at, removed_by: null, removed_at: null, synced: false, delivery_error: null, revision: eb('campaign_projects.revision', '+', 1) })),
          )
          .execute();
      }
      if (remove.length > 0) {
        await tx
          .updateTable('campaign_projects')
          .set((eb) => ({ removed_by: by.id, removed_at: at, synced: false, delivery_error: null, revision: eb('revision', '+', 1) }))
          .where('campaign_id', '=', id)
          .where('project_id', 'in', remove)
          .execute();
      }
    });
    const said = [patch.name !== undefined && `name ${patch.name}`, patch.startDate !== undefined && `start ${patch.startDate}`, add.length > 0 && `added ${add.map((p) => p.id).join(' ')}`, remove.length > 0 && `removed ${remove.join(' ')}`];
    res.locals.auditDetail = `campaign ${current.name}: ${said.filter(Boolean).join('; ')}`;
    await deliver(id);
    res.json(view(await one(id)));
  });

  return router;
}

type Json = (schema: z.ZodType, description: string) => object;

export function registerCampaignPaths(
  registry: { registerPath(route: object): void; register<T extends z.ZodType>(name: string, schema: T): T },
  { security, json, errors }: { security: object[]; json: Json; errors: object },
): void {
  const params = z.object({ id: z.uuid() });
  const access = 'Read: admin, leader, window, agent. Write: admin. Every member project is told by an Update; `delivery` says how each answered (pending ones are sent again on the next change and when the API starts).';
  registry.registerPath({ method: 'get', path: '/api/campaigns', summary: '集中开工 campaigns, latest start date first', description: access, security, responses: { 200: json(campaignListSchema, 'The campaigns with their projects'), ...errors } });
  registry.registerPath({ method: 'get', path: '/api/campaigns/{id}', summary: 'One campaign', description: access, security, request: { params }, responses: { 200: json(campaignSchema, 'The campaign'), ...errors } });
  registry.registerPath({
    method: 'post',
    path: '/api/campaigns',
    summary: 'Declare a 集中开工 campaign (admin): its projects report weekly until the start date, then biweekly',
    description: `${access} Refused: a start date in the past (400), a project not registered (400), closed or in another campaign still preparing (409); each naming its field.`,
    security,
    request: { body: { content: { 'application/json': { schema: registry.register('CampaignDeclaration', campaignBody) } } } },
    responses: { 201: json(campaignSchema, 'Declared; Location names it'), ...errors },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/campaigns/{id}',
    summary: "Change a campaign before its start date (admin): name, start date, projects added or removed",
    description: `${access} A started campaign is not changed (409).`,
    security,
    request: { params, body: { content: { 'application/json': { schema: registry.register('CampaignChange', campaignPatch) } } } },
    responses: { 200: json(campaignSchema, 'The campaign after the change'), ...errors },
  });
}
