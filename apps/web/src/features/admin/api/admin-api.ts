import type {
  AdminArea,
  AdminAreas,
  AdminAudit,
  AdminCategories,
  AdminCategory,
  AdminCategoryPatch,
  AdminRule,
  AdminRuleCreate,
  AdminRulePatch,
  AdminRuleRemoval,
  AdminRules,
  AdminTeam,
  AdminTeamCreate,
  AdminTeamPatch,
  AdminTeams,
  AdminTowns,
  AdminUser,
  AdminUserCreate,
  AdminUserCreated,
  AdminUserPatch,
  AdminUsers,
  AreaFeatureCollection,
  UnitCosts,
  UnitCostsPut,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const fetchAdminTowns = () => requestJson<AdminTowns>('/api/admin/towns');

export const fetchAdminTeams = () => requestJson<AdminTeams>('/api/admin/teams');
export const createTeam = (body: AdminTeamCreate) => requestJson<AdminTeam>('/api/admin/teams', send('POST', body));
export const patchTeam = (id: number, body: AdminTeamPatch) =>
  requestJson<AdminTeam>(`/api/admin/teams/${id}`, send('PATCH', body));

export const fetchAdminAreas = () => requestJson<AdminAreas>('/api/admin/areas');
/** The outlines themselves (the admin list has none); not cached, unlike the public map's copy. */
export const fetchAreaOutlines = () => requestJson<AreaFeatureCollection>('/api/areas');

/** Sends an uploaded file's text as is: the API parses and judges the GeoJSON, the page only relays its verdict. */
export function uploadArea(text: string, target: { id: number } | { code: string; name: string; town?: string }) {
  const init: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text };
  if ('id' in target) return requestJson<AdminArea>(`/api/admin/areas/${target.id}`, { ...init, method: 'PUT' });
  const query = new URLSearchParams({
    code: target.code,
    name: target.name,
    ...(target.town && { town: target.town }),
  });
  return requestJson<AdminArea>(`/api/admin/areas?${query}`, init);
}

export const fetchAdminRules = () => requestJson<AdminRules>('/api/admin/rules');
export const createRule = (body: AdminRuleCreate) => requestJson<AdminRule>('/api/admin/rules', send('POST', body));
export const patchRule = (id: number, body: AdminRulePatch) =>
  requestJson<AdminRule>(`/api/admin/rules/${id}`, send('PATCH', body));
export const reorderRules = (ids: number[]) =>
  requestJson<AdminRules>('/api/admin/rules/reorder', send('POST', { ids }));
export const deleteRule = (id: number) => requestJson<AdminRuleRemoval>(`/api/admin/rules/${id}`, { method: 'DELETE' });

export const fetchAdminCategories = () => requestJson<AdminCategories>('/api/admin/categories');
export const patchCategory = (code: string, body: AdminCategoryPatch) =>
  requestJson<AdminCategory>(`/api/admin/categories/${encodeURIComponent(code)}`, send('PATCH', body));

export const fetchAdminUsers = () => requestJson<AdminUsers>('/api/admin/users');
export const createUser = (body: AdminUserCreate) =>
  requestJson<AdminUserCreated>('/api/admin/users', send('POST', body));
export const patchUser = (id: number, body: AdminUserPatch) =>
  requestJson<AdminUser>(`/api/admin/users/${id}`, send('PATCH', body));

export const fetchAudit = () => requestJson<AdminAudit>('/api/admin/audit?limit=200');

export const fetchUnitCosts = () => requestJson<UnitCosts>('/api/admin/unit-costs');
export const saveUnitCosts = (body: UnitCostsPut) => requestJson<UnitCosts>('/api/admin/unit-costs', send('PUT', body));
