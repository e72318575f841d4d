import type { CreatedReport, PublicReport, ReportFeatureCollection } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

/** `[minLon, minLat, maxLon, maxLat]` */
export type BboxTuple = [number, number, number, number];

// More than this on one screen is unreadable anyway; the API says `truncated` and we ask to zoom.
const MAP_LIMIT = 1000;

/** Reports in a bounding box, as GeoJSON points. */
export function fetchReportsInBbox(bbox: BboxTuple, signal: AbortSignal): Promise<ReportFeatureCollection> {
  // toFixed: the API refuses exponent notation, which String() produces for tiny numbers.
  const params = new URLSearchParams({ bbox: bbox.map((n) => n.toFixed(6)).join(','), limit: String(MAP_LIMIT) });
  return requestJson<ReportFeatureCollection>(`/api/reports?${params.toString()}`, { signal });
}

/** The public view of one report. */
export function fetchReport(id: string, signal?: AbortSignal): Promise<PublicReport> {
  return requestJson<PublicReport>(`/api/reports/${encodeURIComponent(id)}`, { signal });
}

export interface NewReport {
  category: string;
  /** `[lon, lat]` */
  location: [number, number];
  description: string;
  email: string;
  photos: File[];
}

/** Sends a new report with its photos as one multipart request. */
export function createReport(report: NewReport): Promise<CreatedReport> {
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
  for (const photo of report.photos) body.append('photos', photo, photo.name);
  return requestJson<CreatedReport>('/api/reports', { method: 'POST', body });
}
