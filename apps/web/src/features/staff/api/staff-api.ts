import type {
  AfterPhoto,
  AssigneeChoices,
  Assignment,
  BulkActionBody,
  BulkActionResults,
  PublicReport,
  Queue,
  QueueEvent,
  ReportId,
  RequalifyBody,
  StaffLoginBody,
  StaffHistory,
  StaffNearby,
  StaffSession,
  StaffTeams,
  TransitionBody,
  TransitionResult,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export type {
  Assignee,
  BulkAction,
  NearbyItem,
  QueueItem,
  StaffHistoryEntry,
  StaffUser,
  TransitionBody,
} from '@pave/shared';

/**
 * Queue changes in the user's scope; `onChange` runs for each, `onOpen` (reload the queue) on the first
 * connection and on `reset`, when a reconnection came too late for the server to replay what was missed.
 */
export function subscribeToQueueEvents(handlers: {
  onChange: (event: QueueEvent) => void;
  onOpen: () => void;
}): () => void {
  const events = new EventSource('/api/staff/events');
  events.addEventListener('hello', () => handlers.onOpen());
  events.addEventListener('reset', () => handlers.onOpen());
  events.addEventListener('queue', (message) => {
    handlers.onChange(JSON.parse((message as MessageEvent<string>).data) as QueueEvent);
  });
  return () => events.close();
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const fetchMe = () => requestJson<StaffSession>('/api/staff/me');
export const logIn = (email: string, password: string) =>
  requestJson<StaffSession>('/api/auth/login', json({ email, password } satisfies StaffLoginBody));
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
  return requestJson<Queue>(`/api/staff/reports?${params}`, { signal });
}

export const fetchTeams = () => requestJson<StaffTeams>('/api/staff/teams');

export const fetchAssignees = () => requestJson<AssigneeChoices>('/api/staff/assignees');

export const assign = (id: string, userId: number | null) =>
  requestJson<Assignment>(`/api/staff/reports/${id}/assign`, json({ userId }));

export const bulkAction = (body: BulkActionBody) =>
  requestJson<BulkActionResults>('/api/staff/reports/bulk', json(body));

export const fetchStaffReport = (id: string) => requestJson<PublicReport>(`/api/staff/reports/${id}`);

export const transition = (id: string, body: TransitionBody) =>
  requestJson<TransitionResult>(`/api/staff/reports/${id}/transitions`, json(body));

export function uploadAfterPhoto(id: string, photo: File) {
  const form = new FormData();
  form.append('photo', photo);
  return requestJson<AfterPhoto>(`/api/staff/reports/${id}/photos`, { method: 'POST', body: form });
}

export const findReportIdByRef = async (ref: string) =>
  (await requestJson<PublicReport>(`/api/reports/by-ref/${encodeURIComponent(ref.trim())}`)).id;

export const fetchStaffHistory = (id: string) => requestJson<StaffHistory>(`/api/staff/reports/${id}/history`);

export const fetchNearby = (id: string) => requestJson<StaffNearby>(`/api/staff/reports/${id}/nearby`);

/** New category and/or new point (`lat` and `lon` together); the report is routed again. */
export const requalify = (id: string, body: RequalifyBody) =>
  requestJson<ReportId>(`/api/staff/reports/${id}/requalify`, json(body));
