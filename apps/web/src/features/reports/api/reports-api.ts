import type {
  CommentAdded,
  CreatedReport,
  FixedAnswer,
  FixedBody,
  FollowBody,
  FollowerToken,
  FollowRequested,
  LinkTokenBody,
  Locale,
  NearbyReports,
  PublicPhoto,
  PublicReport,
  Severity,
  SupportBody,
  SupportResult,
  ViewerRole,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';
import { getDeviceId } from '../../../lib/device-id';

export {
  SEVERITIES,
  type NearbyReport,
  type NearbyReports,
  type Severity,
  type SupportResult,
  type TimelineEntry,
  type ViewerRole,
} from '@pave/shared';

/** The 201 answer to a new report: `trackingUrl` is the reporter's private link. */
export type CreatedReportWithTracking = CreatedReport;

export type ReportPhotoWithKind = PublicPhoto;

/** The public report page: the public view, with support count, severity and timeline. */
export type ReportView = PublicReport;

const jsonHeaders = { 'Content-Type': 'application/json' };
const deviceHeader = () => ({ 'X-Pave-Device': getDeviceId() });
const reportPath = (id: string) => `/api/reports/${encodeURIComponent(id)}`;

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
    body: JSON.stringify((trimmed ? { email: trimmed, language } : {}) satisfies SupportBody),
  });
}

/** Asks to follow by e-mail: the address gets a confirmation link, nothing else until it is opened. */
export function followReport(id: string, email: string, language: Locale): Promise<FollowRequested> {
  return requestJson<FollowRequested>(`${reportPath(id)}/followers`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({ email: email.trim(), language } satisfies FollowBody),
  });
}

/** The confirmation link was opened: answers the follower's private token. */
export function confirmFollow(id: string, token: string): Promise<FollowerToken> {
  return requestJson<FollowerToken>(`${reportPath(id)}/followers/confirm`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({ token } satisfies LinkTokenBody),
  });
}

export function unfollowReport(id: string, token: string): Promise<void> {
  return requestJson<void>(`${reportPath(id)}/followers/${encodeURIComponent(token)}`, { method: 'DELETE' });
}

/** Who holds this private link: the reporter or a follower. 404 for a wrong token. */
export function fetchViewerRole(id: string, token: string, signal?: AbortSignal): Promise<ViewerRole> {
  return requestJson<ViewerRole>(`${reportPath(id)}/me?t=${encodeURIComponent(token)}`, { signal });
}

export function addComment(id: string, token: string, text: string, photo: Blob | null): Promise<CommentAdded> {
  const body = new FormData();
  body.append('t', token);
  body.append('text', text);
  if (photo) body.append('photo', photo, 'photo.jpg');
  return requestJson<CommentAdded>(`${reportPath(id)}/comments`, { method: 'POST', body });
}

/** The reporter's answer to "is it fixed?" with an optional 1–5 satisfaction; "no" reopens the report. */
export function answerFixed(
  id: string,
  token: string,
  fixed: boolean,
  comment: string,
  rating: number | null = null,
): Promise<FixedAnswer> {
  const trimmed = comment.trim();
  return requestJson<FixedAnswer>(`${reportPath(id)}/fixed`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify({
      t: token,
      fixed,
      ...(trimmed ? { comment: trimmed } : {}),
      ...(rating === null ? {} : { rating }),
    } satisfies FixedBody),
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
  /** The page's language, which the reporter's mails will speak; drafts saved before it have none. */
  language?: Locale;
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
  if (report.language) body.append('language', report.language);
  for (const photo of report.photos) body.append('photos', photo.blob, photo.name);
  return requestJson<CreatedReportWithTracking>('/api/reports', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey, ...deviceHeader() },
  });
}
