import type { Bbox, ReportEvent, ReportEventsHello, ReportFeatureCollection } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export type { Bbox } from '@pave/shared';

/** Public reports in a bbox with the map's filters (`query` from `toApiQuery`), newest first. */
export function fetchMapReports(
  bbox: Bbox,
  query: URLSearchParams,
  limit: number,
  signal?: AbortSignal,
): Promise<ReportFeatureCollection> {
  const params = new URLSearchParams(query);
  // toFixed: the API refuses exponent notation, which String() produces for tiny numbers.
  params.set('bbox', bbox.map((n) => n.toFixed(6)).join(','));
  params.set('limit', String(limit));
  return requestJson<ReportFeatureCollection>(`/api/map/reports?${params.toString()}`, { signal });
}

/** The vector tile URL template for Leaflet (`{z}/{x}/{y}` left in place). */
export function reportTileUrl(query: URLSearchParams, version: number): string {
  const params = new URLSearchParams(query);
  // Not read by the server: a new data version is a new URL, so no cached tile hides a change.
  params.set('v', String(version));
  return `/api/tiles/reports/{z}/{x}/{y}.mvt?${params.toString()}`;
}

export interface ReportEventHandlers {
  onHello: (version: number) => void;
  onReport: (event: ReportEvent) => void;
}

/**
 * Listens to `/api/events`. EventSource reconnects by itself with the last event id, and the server
 * sends the changes missed meanwhile; when it no longer knows them it says `reset` with the current
 * version instead, which, like the first `hello`, tells the map to reload.
 */
export function subscribeToReportEvents(handlers: ReportEventHandlers): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('/api/events');
  const onVersion = (message: Event) => {
    const data = JSON.parse((message as MessageEvent<string>).data) as ReportEventsHello;
    handlers.onHello(data.version);
  };
  source.addEventListener('hello', onVersion);
  source.addEventListener('reset', onVersion);
  source.addEventListener('report', (message) => {
    handlers.onReport(JSON.parse((message as MessageEvent<string>).data) as ReportEvent);
  });
  return () => source.close();
}
