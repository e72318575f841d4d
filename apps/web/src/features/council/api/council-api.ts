import type {
  Bbox,
  ChannelFigures,
  Clusters,
  Evaluation,
  Heatmap,
  HeatmapShape,
  SatisfactionFigures,
  StaffTeams,
  Summary,
  SummaryDimension,
  Trends,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export type { Bbox } from '@pave/shared';

function withParams(path: string, query: URLSearchParams, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Density cells for the map's zoom and bounds; with `byMonth`, per-month counts for the time slider
 * (about three times the work for the server, so only once the slider is used).
 */
export function fetchHeatmap(
  query: URLSearchParams,
  view: { zoom: number; bbox: Bbox; shape: HeatmapShape; byMonth: boolean },
  signal?: AbortSignal,
) {
  const url = withParams('/api/analytics/heatmap', query, {
    zoom: String(view.zoom),
    shape: view.shape,
    bbox: view.bbox.map((n) => n.toFixed(5)).join(','),
    ...(view.byMonth ? { by: 'month' } : {}),
  });
  return requestJson<Heatmap>(url, { signal });
}

export const fetchSummary = (query: URLSearchParams, by: SummaryDimension, signal?: AbortSignal) =>
  requestJson<Summary>(withParams('/api/analytics/summary', query, { by }), { signal });

export const fetchTrends = (query: URLSearchParams, signal?: AbortSignal) =>
  requestJson<Trends>(withParams('/api/analytics/trends', query), { signal });

// The list shows the largest problems first: a few dozen are what a meeting can discuss.
const CLUSTER_LIST_LIMIT = 30;

export const fetchClusters = (query: URLSearchParams, signal?: AbortSignal) =>
  requestJson<Clusters>(withParams('/api/analytics/clusters', query, { limit: String(CLUSTER_LIST_LIMIT) }), {
    signal,
  });

/** Reports per channel; this endpoint only takes the period. */
export const fetchChannels = (periodQuery: URLSearchParams, signal?: AbortSignal) =>
  requestJson<ChannelFigures>(withParams('/api/analytics/channels', periodQuery), { signal });

/** Satisfaction after resolution; this endpoint only takes the period. */
/** Satisfaction after resolution, with the council's filters (the period is the answers'). */
export const fetchSatisfaction = (query: URLSearchParams, signal?: AbortSignal) =>
  requestJson<SatisfactionFigures>(withParams('/api/analytics/satisfaction', query), { signal });

/**
 * The download address of the filtered reports: `csv` is the French spreadsheet (`;`, names),
 * `csv-codes` the machine file (`,`, codes), `geojson` the map.
 */
export function exportUrl(format: 'csv' | 'csv-codes' | 'geojson', query: URLSearchParams): string {
  if (format === 'csv-codes') return withParams('/api/exports/reports.csv', query, { format: 'codes' });
  return withParams(`/api/exports/reports.${format}`, query);
}

/** The teams a filter may name (a supervisor sees their service's). */
export const fetchTeams = () => requestJson<StaffTeams>('/api/staff/teams').then((r) => r.teams);

/** The evaluation of the channels (mix, resolution, costs, savings); this endpoint only takes the period. */
export const fetchEvaluation = (periodQuery: URLSearchParams, signal?: AbortSignal) =>
  requestJson<Evaluation>(withParams('/api/analytics/evaluation', periodQuery), { signal });
