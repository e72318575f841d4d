import type { PublicReport, ReportStatus } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export interface StaffUser {
  id: number;
  email: string;
  displayName: string;
  role: 'crew' | 'supervisor' | 'council' | 'admin';
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

export function fetchQueue(filter: { status: string; q: string }, signal?: AbortSignal) {
  const params = new URLSearchParams({ status: filter.status });
  if (filter.q.trim()) params.set('q', filter.q.trim());
  return requestJson<{ reports: QueueItem[] }>(`/api/staff/reports?${params}`, { signal });
}

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
