import type {
  CreatedReport,
  Label,
  Locale,
  PublicPhoto,
  PublicReport,
  ReportFeatureCollection,
  Severity,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';
import { getDeviceId } from '../../../lib/device-id';

/** `[minLon, minLat, maxLon, maxLat]` */
export type BboxTuple = [number, number, number, number];

// More than this on one screen is unreadable anyway; the API says `truncated` and we ask to zoom.
const MAP_LIMIT = 1000;

export { SEVERITIES, type Severity, type TimelineEntry } from '@pave/shared';

/** The 201 answer to a new report: `trackingUrl` is the reporter's private link. */
export type CreatedReportWithTracking = CreatedReport;

export type ReportPhotoWithKind = PublicPhoto;

/** The public report page: the public view, with support count, severity and timeline. */
export type ReportView = PublicReport;

export interface NearbyReport {
  id: string;
  ref: string;
  status: string;
  statusLabel: Label;
  category: { code: string; label: Label };
  distanceMeters: number;
  createdAt: string;
  supportCount: number;
  thumbUrl: string | null;
}

export interface NearbyReports {
  radiusMeters: number;
  reports: NearbyReport[];
}

export interface SupportResult {
  supportCount: number;
  /** An e-mail was given: a confirmation link went to it (following starts once it is opened). */
  confirmationSent: boolean;
}

export interface ViewerRole {
  role: 'reporter' | 'follower';
  following: boolean;
}

const jsonHeaders = { 'Content-Type': 'application/json' };
const deviceHeader = () => ({ 'X-Pave-Device': getDeviceId() });
const reportPath = (id: string) => `/api/reports/${encodeURIComponent(id)}`;

/** Reports in a bounding box, as GeoJSON points. */
export function fetchReportsInBbox(bbox: BboxTuple, signal: AbortSignal): Promise<ReportFeatureCollection> {
  // toFixed: the API refuses exponent notation, which String() produces for tiny numbers.
  const params = new URLSearchParams({ bbox: bbox.map((n) => n.toFixed(6)).join(','), limit: String(MAP_LIMIT) });
  return requestJson<ReportFeatureCollection>(`/api/reports?${params.toString()}`, { signal });
}

/** The public view of one report, by its internal id. */
export function fetchReport(id: string, signal?: AbortSignal): Promise<ReportView> {
  return requestJson<ReportView>(reportPath(id), { signal });
}

/** The public view of one report, by the reference residents read and share (`PAV-2026-000123`). */
export function fetchReportByRef(ref: string, signal?: AbortSignal): Promise<ReportView> {
  return requestJson<ReportView>(`/api/reports/by-ref/${encodeURIComponent(ref)}`, { signal });
}

/** Open reports of the same category close to a point, nearest first. */
export function fetchNearbyReports(
  [lon, lat]: [number, number],
  category: string,
  signal: AbortSignal,
): Promise<NearbyReports> {
  const params = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6), category });
  return requestJson<NearbyReports>(`/api/reports/nearby?${params.toString()}`, { signal });
}

/** "+1": this resident sees the same problem; with an e-mail, they also follow it. */
export function supportReport(id: string, email: string, language: Locale): Promise<SupportResult> {
  const trimmed = email.trim();
  return requestJson<SupportResult>(`${reportPath(id)}/support`, {
    method: 'POST',
    headers: { ...jsonHeaders, ...deviceHeader() },
    body: JSON.stringify(trimmed ? { email: trimmed, language } : {}),
  });
}

/** Asks to follow by e-mail: the address gets a confirmation link, nothing else until it is opened. */
export function followReport(id: string, email: string, language: Locale): Promise<{ confirmationSent: boolean }> {
  return requestJson<{ confirmationSent: boolean }>(`${reportPath(id)}/followers`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({ email: email.trim(), language }),
  });
}

/** The confirmation link was opened: answers the follower's private token. */
export function confirmFollow(id: string, token: string): Promise<{ followerToken: string }> {
  return requestJson<{ followerToken: string }>(`${reportPath(id)}/followers/confirm`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({ token }),
  });
}

export function unfollowReport(id: string, token: string): Promise<void> {
  return requestJson<void>(`${reportPath(id)}/followers/${encodeURIComponent(token)}`, { method: 'DELETE' });
}

/** Who holds this private link: the reporter or a follower. 404 for a wrong token. */
export function fetchViewerRole(id: string, token: string, signal?: AbortSignal): Promise<ViewerRole> {
  return requestJson<ViewerRole>(`${reportPath(id)}/me?t=${encodeURIComponent(token)}`, { signal });
}

export function addComment(id: string, token: string, text: string, photo: Blob | null): Promise<unknown> {
  const body = new FormData();
  body.append('t', token);
  body.append('text', text);
  if (photo) body.append('photo', photo, 'photo.jpg');
  return requestJson<unknown>(`${reportPath(id)}/comments`, { method: 'POST', body });
}

/** The reporter's answer to "is it fixed?" with an optional 1–5 satisfaction; "no" reopens the report. */
export function answerFixed(
  id: string,
  token: string,
  fixed: boolean,
  comment: string,
  rating: number | null = null,
): Promise<{ status: string }> {
  const trimmed = comment.trim();
  return requestJson<{ status: string }>(`${reportPath(id)}/fixed`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({
      t: token,
      fixed,
      ...(trimmed ? { comment: trimmed } : {}),
      ...(rating === null ? {} : { rating }),
    }),
  });
}

export interface NewReport {
  category: string;
  /** `[lon, lat]` */
  location: [number, number];
  description: string;
  email: string;
  severity: Severity;
  photos: { blob: Blob; name: string }[];
}

/**
 * Sends a new report with its photos as one multipart request. The idempotency key makes a
 * retry after a lost answer safe: the server replays the first 201 instead of filing it twice.
 */
export function createReport(report: NewReport, idempotencyKey: string): Promise<CreatedReportWithTracking> {
  const [lon, lat] = report.location;
  const body = new FormData();
  // Text fields before files: the server reads the stream in order and validates
  // the report before it spends time receiving photos.
  body.append('category', report.category);
  body.append('lat', lat.toFixed(6));
  body.append('lon', lon.toFixed(6));
  body.append('description', report.description);
  const email = report.email.trim();
  if (email) body.append('email', email);
  body.append('severity', report.severity);
  for (const photo of report.photos) body.append('photos', photo.blob, photo.name);
  return requestJson<CreatedReportWithTracking>('/api/reports', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey, ...deviceHeader() },
  });
}
