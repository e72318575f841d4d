import type {
  AdminArea,
  AdminAuditEntry,
  AdminCategory,
  AdminRule,
  AdminTeam,
  AdminUser,
  AreaFeatureCollection,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const fetchAdminTeams = () => requestJson<{ teams: AdminTeam[] }>('/api/admin/teams');
export const createTeam = (body: { code: string; name: string; email?: string | null; service?: string }) =>
  requestJson<AdminTeam>('/api/admin/teams', send('POST', body));
export const patchTeam = (id: number, body: { name?: string; email?: string | null; service?: string }) =>
  requestJson<AdminTeam>(`/api/admin/teams/${id}`, send('PATCH', body));

export const fetchAdminAreas = () => requestJson<{ areas: AdminArea[] }>('/api/admin/areas');
/** The outlines themselves (the admin list has none); not cached, unlike the public map's copy. */
export const fetchAreaOutlines = () => requestJson<AreaFeatureCollection>('/api/areas');

/** Sends an uploaded file's text as is: the API parses and judges the GeoJSON, the page only relays its verdict. */
export function uploadArea(text: string, target: { id: number } | { code: string; name: string }) {
  const init: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text };
  if ('id' in target) return requestJson<AdminArea>(`/api/admin/areas/${target.id}`, { ...init, method: 'PUT' });
  const query = new URLSearchParams({ code: target.code, name: target.name });
  return requestJson<AdminArea>(`/api/admin/areas?${query}`, init);
}

export interface RuleInput {
  position?: number;
  team?: string;
  category?: string | null;
  group?: string | null;
  area?: string | null;
  days?: number[] | null;
  timeFrom?: string | null;
  timeTo?: string | null;
  isActive?: boolean;
  description?: string;
}

export const fetchAdminRules = () => requestJson<{ rules: AdminRule[] }>('/api/admin/rules');
export const createRule = (body: RuleInput & { position: number; team: string }) =>
  requestJson<AdminRule>('/api/admin/rules', send('POST', body));
export const patchRule = (id: number, body: RuleInput) =>
  requestJson<AdminRule>(`/api/admin/rules/${id}`, send('PATCH', body));
export const reorderRules = (ids: number[]) =>
  requestJson<{ rules: AdminRule[] }>('/api/admin/rules/reorder', send('POST', { ids }));
export const deleteRule = (id: number) =>
  requestJson<{ id: number; outcome: 'deleted' | 'deactivated' }>(`/api/admin/rules/${id}`, { method: 'DELETE' });

export const fetchAdminCategories = () => requestJson<{ categories: AdminCategory[] }>('/api/admin/categories');
export const patchCategory = (
  code: string,
  body: Partial<Pick<AdminCategory, 'deadlineHours' | 'deadlineMode' | 'isSensitive' | 'isActive'>>,
) => requestJson<AdminCategory>(`/api/admin/categories/${encodeURIComponent(code)}`, send('PATCH', body));

export const fetchAdminUsers = () => requestJson<{ users: AdminUser[] }>('/api/admin/users');
export const createUser = (body: {
  email: string;
  role: AdminUser['role'];
  displayName?: string;
  team?: string | null;
  service?: string | null;
}) => requestJson<{ user: AdminUser; password?: string }>('/api/admin/users', send('POST', body));
export const patchUser = (
  id: number,
  body: Partial<{ role: AdminUser['role']; team: string | null; service: string | null; isActive: boolean }>,
) => requestJson<AdminUser>(`/api/admin/users/${id}`, send('PATCH', body));

export const fetchAudit = () => requestJson<{ entries: AdminAuditEntry[] }>('/api/admin/audit?limit=200');
