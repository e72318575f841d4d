import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createArea,
  createRule,
  createTeam,
  createStaffAccount,
  listAreasForAdmin,
  listAudit,
  listCategoriesForAdmin,
  listRulesForAdmin,
  listTeamsForAdmin,
  listTownsForAdmin,
  listUsersForAdmin,
  patchCategory,
  patchRule,
  patchTeam,
  patchStaffAccount,
  removeRule,
  reorderRules,
  replaceAreaGeometry,
  requireRole,
  listUnitCosts,
  setUnitCosts,
} from '@pave/core';
import {
  AdminAreaQuerySchema,
  AdminAreaSchema,
  AdminAreasSchema,
  AdminAuditQuerySchema,
  AdminAuditSchema,
  AdminCategoriesSchema,
  AdminCategoryPatchSchema,
  AdminCategorySchema,
  AdminRuleCreateSchema,
  AdminRulePatchSchema,
  AdminRuleRemovalSchema,
  AdminRuleReorderSchema,
  AdminRuleSchema,
  AdminRulesSchema,
  AdminTeamCreateSchema,
  AdminTeamPatchSchema,
  AdminTeamSchema,
  AdminTeamsSchema,
  AdminTownsSchema,
  AdminUserCreateSchema,
  AdminUserCreatedSchema,
  AdminUserPatchSchema,
  AdminUserSchema,
  AdminUsersSchema,
  AREA_LIMITS,
  errorResponses,
  UnitCostsPutSchema,
  UnitCostsSchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const errors = errorResponses(400, 401, 403, 404, 409);
const areaErrors = { ...errors, ...errorResponses(413, 415, 422) };
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
const tags = ['admin'];

const AreaBodySchema = Type.Unknown({
  description:
    'GeoJSON (RFC 7946, [lon, lat] in WGS84): a Feature, a FeatureCollection of one Feature, or a bare Polygon ' +
    'or MultiPolygon. "code" and "name" may be top-level members or feature properties. ' +
    `At most ${AREA_LIMITS.maxVertices} vertices and ${AREA_LIMITS.maxAreaKm2} km². An area of a town lies within ` +
    `it: at most ${AREA_LIMITS.maxOutsideTownShare * 100} % of its surface and ${AREA_LIMITS.maxOutsideTownHa} ha ` +
    'outside (else 422 AREA_OUTSIDE_TOWN).',
});

/**
 * The administration API: teams, service areas, routing rules, categories and staff accounts.
 * Admin only. Every change is written to `admin_audit` by the services, and routing reads the rules
 * on every report, so a change applies to the next report without a restart.
 */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Before the body is read: an anonymous or non-admin caller learns nothing about validation.
  // The services check the role again.
  app.addHook('onRequest', async (request) => {
    requireRole(requireStaff(request), ['admin']);
  });
  // Areas are often saved by GIS tools as application/geo+json.
  app.addContentTypeParser(
    'application/geo+json',
    { parseAs: 'string', bodyLimit: AREA_LIMITS.maxBodyBytes },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.get(
    '/admin/unit-costs',
    {
      schema: {
        tags,
        summary: 'What one report costs per channel (euro cents), for the evaluation; null where not set',
        response: { 200: UnitCostsSchema, ...errors },
      },
    },
    async (request) => listUnitCosts(app.deps, requireStaff(request)),
  );
  app.put(
    '/admin/unit-costs',
    {
      schema: {
        tags,
        summary:
          'Sets the unit cost of the channels given, clears it where costCents is left out; the others stay. Audited',
        body: UnitCostsPutSchema,
        response: { 200: UnitCostsSchema, ...errors },
      },
    },
    async (request) => setUnitCosts(app.deps, requireStaff(request), request.body),
  );

  app.get(
    '/admin/towns',
    {
      schema: {
        tags,
        summary:
          'The towns a new team, area, rule or account may be given: every served town for a metropolitan admin, else its own',
        response: { 200: AdminTownsSchema, ...errors },
      },
    },
    async (request) => listTownsForAdmin(app.deps, requireStaff(request)),
  );

  app.get('/admin/teams', { schema: { tags, response: { 200: AdminTeamsSchema, ...errors } } }, async (request) =>
    listTeamsForAdmin(app.deps, requireStaff(request)),
  );
  app.post(
    '/admin/teams',
    { schema: { tags, body: AdminTeamCreateSchema, response: { 201: AdminTeamSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await createTeam(app.deps, requireStaff(request), request.body)),
  );
  app.patch(
    '/admin/teams/:id',
    { schema: { tags, params: IdParams, body: AdminTeamPatchSchema, response: { 200: AdminTeamSchema, ...errors } } },
    async (request) => patchTeam(app.deps, requireStaff(request), request.params.id, request.body),
  );

  app.get(
    '/admin/areas',
    {
      schema: {
        tags,
        summary: 'Service areas without their outlines (GET /api/areas serves those)',
        response: { 200: AdminAreasSchema, ...errors },
      },
    },
    async (request) => listAreasForAdmin(app.deps, requireStaff(request)),
  );
  app.post(
    '/admin/areas',
    {
      bodyLimit: AREA_LIMITS.maxBodyBytes,
      schema: {
        tags,
        summary: 'A new service area from GeoJSON, stored as a MultiPolygon (EPSG:4326)',
        querystring: AdminAreaQuerySchema,
        body: AreaBodySchema,
        response: { 201: AdminAreaSchema, ...areaErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createArea(app.deps, requireStaff(request), request.body, request.query)),
  );
  app.put(
    '/admin/areas/:id',
    {
      bodyLimit: AREA_LIMITS.maxBodyBytes,
      schema: {
        tags,
        summary: "Replaces an area's outline (and code or name when given); reports keep their area",
        params: IdParams,
        querystring: AdminAreaQuerySchema,
        body: AreaBodySchema,
        response: { 200: AdminAreaSchema, ...areaErrors },
      },
    },
    async (request) =>
      replaceAreaGeometry(app.deps, requireStaff(request), request.params.id, request.body, request.query),
  );

  app.get(
    '/admin/rules',
    {
      schema: {
        tags,
        summary: 'Routing rules in evaluation order: the first active match decides',
        response: { 200: AdminRulesSchema, ...errors },
      },
    },
    async (request) => listRulesForAdmin(app.deps, requireStaff(request)),
  );
  app.post(
    '/admin/rules',
    { schema: { tags, body: AdminRuleCreateSchema, response: { 201: AdminRuleSchema, ...errors } } },
    async (request, reply) => reply.status(201).send(await createRule(app.deps, requireStaff(request), request.body)),
  );
  app.post(
    '/admin/rules/reorder',
    {
      schema: {
        tags,
        summary: 'Puts every rule in the given order (positions 10, 20, 30…)',
        body: AdminRuleReorderSchema,
        response: { 200: AdminRulesSchema, ...errors },
      },
    },
    async (request) => reorderRules(app.deps, requireStaff(request), request.body.ids),
  );
  app.patch(
    '/admin/rules/:id',
    { schema: { tags, params: IdParams, body: AdminRulePatchSchema, response: { 200: AdminRuleSchema, ...errors } } },
    async (request) => patchRule(app.deps, requireStaff(request), request.params.id, request.body),
  );
  app.delete(
    '/admin/rules/:id',
    {
      schema: {
        tags,
        summary: 'Deletes a rule, or deactivates it when reports were routed by it',
        params: IdParams,
        response: { 200: AdminRuleRemovalSchema, ...errors },
      },
    },
    async (request) => removeRule(app.deps, requireStaff(request), request.params.id),
  );

  app.get(
    '/admin/categories',
    {
      schema: { tags, response: { 200: AdminCategoriesSchema, ...errors } },
    },
    async (request) => listCategoriesForAdmin(app.deps, requireStaff(request)),
  );
  app.patch(
    '/admin/categories/:code',
    {
      schema: {
        tags,
        summary:
          'Deadline, deadline mode, sensitivity, availability, duplicate radius (5–1000 m); new deadlines apply to reports routed next',
        params: Type.Object({ code: Type.String({ maxLength: 80 }) }),
        body: AdminCategoryPatchSchema,
        response: { 200: AdminCategorySchema, ...errors },
      },
    },
    async (request) => patchCategory(app.deps, requireStaff(request), request.params.code, request.body),
  );

  app.get('/admin/users', { schema: { tags, response: { 200: AdminUsersSchema, ...errors } } }, async (request) =>
    listUsersForAdmin(app.deps, requireStaff(request)),
  );
  app.post(
    '/admin/users',
    {
      schema: {
        tags,
        summary: 'A staff account; without a password one is generated and returned in this answer only',
        body: AdminUserCreateSchema,
        response: { 201: AdminUserCreatedSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createStaffAccount(app.deps, requireStaff(request), request.body)),
  );
  app.patch(
    '/admin/users/:id',
    {
      schema: {
        tags,
        summary: 'Role, team, service, name, active flag; deactivating ends every session of the account',
        params: IdParams,
        body: AdminUserPatchSchema,
        response: { 200: AdminUserSchema, ...errors },
      },
    },
    async (request) => patchStaffAccount(app.deps, requireStaff(request), request.params.id, request.body),
  );

  app.get(
    '/admin/audit',
    {
      schema: {
        tags,
        summary: 'Who changed what and when in the admin API, newest first',
        querystring: AdminAuditQuerySchema,
        response: { 200: AdminAuditSchema, ...errors },
      },
    },
    async (request) => listAudit(app.deps, requireStaff(request), request.query),
  );
};
