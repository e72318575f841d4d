import type { PublicReport, ReportStatus } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export interface StaffUser {
  id: number;
  email: string;
  displayName: string;
  /** An agent (town-hall counter, call centre) files reports for residents and does not triage. */
  role: 'crew' | 'supervisor' | 'council' | 'admin' | 'agent';
}

/** Queue changes in the user's scope; `onChange` runs for each, `onOpen` at each (re)connection. */
export function subscribeToQueueEvents(handlers: { onChange: () => void; onOpen: () => void }): () => void {
  const events = new EventSource('/api/staff/events');
  events.addEventListener('hello', handlers.onOpen);
  events.addEventListener('queue', handlers.onChange);
  return () => events.close();
}

export interface Assignee {
  id: number;
  displayName: string;
}

export interface QueueItem {
  id: string;
  ref: string;
  status: ReportStatus;
  priority: number;
  severity: string;
  category: { code: string; label: string };
  team: string | null;
  area: string | null;
  description: string;
  address: string | null;
  assignee: Assignee | null;
  /** GeoJSON point, `[lon, lat]`. */
  location: { type: 'Point'; coordinates: number[] };
  createdAt: string;
  deadlineAt: string | null;
  isLate: boolean;
  supportCount: number;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const fetchMe = () => requestJson<{ user: StaffUser }>('/api/staff/me');
export const logIn = (email: string, password: string) =>
  requestJson<{ user: StaffUser }>('/api/auth/login', json({ email, password }));
export const logOut = () => requestJson<void>('/api/auth/logout', { method: 'POST' });

/** The queue's filters, as they appear in `/staff?…` and in the API query. */
export interface QueueFilter {
  status: string;
  category: string;
  area: string;
  team: string;
  late: boolean;
  mine: boolean;
  q: string;
}

export function fetchQueue(filter: QueueFilter, signal?: AbortSignal) {
  const params = new URLSearchParams({ status: filter.status });
  if (filter.category) params.set('category', filter.category);
  if (filter.area) params.set('area', filter.area);
  if (filter.team) params.set('team', filter.team);
  if (filter.late) params.set('late', 'true');
  if (filter.mine) params.set('assignee', 'me');
  if (filter.q.trim()) params.set('q', filter.q.trim());
  return requestJson<{ reports: QueueItem[] }>(`/api/staff/reports?${params}`, { signal });
}

export const fetchTeams = () => requestJson<{ teams: { code: string; name: string }[] }>('/api/staff/teams');

export const fetchAssignees = () => requestJson<{ assignees: (Assignee & { team: string })[] }>('/api/staff/assignees');

export const assign = (id: string, userId: number | null) =>
  requestJson<{ id: string; assignee: Assignee | null }>(`/api/staff/reports/${id}/assign`, json({ userId }));

export type BulkAction = 'acknowledge' | 'assign' | 'resolve';

export const bulkAction = (body: { ids: string[]; action: BulkAction; userId?: number | null; message?: string }) =>
  requestJson<{ results: { id: string; ok: boolean; code?: string }[] }>('/api/staff/reports/bulk', json(body));

export const fetchStaffReport = (id: string) => requestJson<PublicReport>(`/api/staff/reports/${id}`);

export interface TransitionBody {
  to: ReportStatus;
  reason?: string;
  message?: string;
  note?: string;
  scheduledFor?: string;
  transferredTo?: string;
  duplicateOf?: string;
}

export const transition = (id: string, body: TransitionBody) =>
  requestJson<{ id: string; status: ReportStatus }>(`/api/staff/reports/${id}/transitions`, json(body));

export function uploadAfterPhoto(id: string, photo: File) {
  const form = new FormData();
  form.append('photo', photo);
  return requestJson<{ photoId: string }>(`/api/staff/reports/${id}/photos`, { method: 'POST', body: form });
}

export const findReportIdByRef = async (ref: string) =>
  (await requestJson<{ id: string }>(`/api/reports/by-ref/${encodeURIComponent(ref.trim())}`)).id;

/** A report near another, of the same category: a candidate for "duplicate of". */
export interface NearbyItem {
  id: string;
  ref: string;
  status: ReportStatus;
  distanceM: number;
  createdAt: string;
  closedAt: string | null;
  excerpt: string;
  supportCount: number;
  followerCount: number;
  /** Whether the user may act on that report too (close it as a duplicate of the open one). */
  isInScope: boolean;
}

export const fetchNearby = (id: string) =>
  requestJson<{ radiusM: number; reports: NearbyItem[] }>(`/api/staff/reports/${id}/nearby`);

/** New category and/or new point (`lat` and `lon` together); the report is routed again. */
export const requalify = (id: string, body: { category?: string; lat?: number; lon?: number }) =>
  requestJson<{ id: string }>(`/api/staff/reports/${id}/requalify`, json(body));
