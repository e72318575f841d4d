import { SUMMARY_DIMENSIONS, addDays, cityDay, type SummaryDimension } from '@pave/shared';

/** The period presets of the analytics page: the last 30 days, the last 12 months, or chosen dates. */
export type CouncilPeriod = '30d' | '12m' | 'custom';
export const COUNCIL_PERIODS: CouncilPeriod[] = ['30d', '12m', 'custom'];

/** Open, closed or every report: the public wording of the API's `status` filter. */
export type CouncilStatus = '' | 'open' | 'closed';
export const COUNCIL_STATUSES: CouncilStatus[] = ['', 'open', 'closed'];

/** How the heat-map draws density: square or hexagon cells, or a smooth heat layer. */
export type HeatmapMode = 'square' | 'hexagon' | 'heat';
export const HEATMAP_MODES: HeatmapMode[] = ['square', 'hexagon', 'heat'];

/** Everything the page shows depends on these; they live in the URL so a view can be shared and printed. */
export interface CouncilFilters {
  period: CouncilPeriod;
  /** `YYYY-MM-DD`, for the custom period. */
  from: string;
  to: string;
  group: string;
  category: string;
  status: CouncilStatus;
  area: string;
  team: string;
  /** The figures table's rows. */
  by: SummaryDimension;
  mode: HeatmapMode;
}

export const DEFAULT_FILTERS: CouncilFilters = {
  period: '12m',
  from: '',
  to: '',
  group: '',
  category: '',
  status: '',
  area: '',
  team: '',
  by: 'area',
  mode: 'square',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z0-9_-]{1,60}$/;
const FILTER_NAMES = ['period', 'from', 'to', 'group', 'category', 'status', 'area', 'team', 'by', 'mode'] as const;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function code(params: URLSearchParams, name: string): string {
  const value = params.get(name) ?? '';
  return CODE.test(value) ? value : '';
}

/** Reads the filters from a query string, dropping anything malformed (a hand-edited link must not break the page). */
export function readCouncilFilters(params: URLSearchParams): CouncilFilters {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    period: pick(params.get('period'), COUNCIL_PERIODS, DEFAULT_FILTERS.period),
    from: DATE.test(from) ? from : '',
    to: DATE.test(to) ? to : '',
    group: code(params, 'group'),
    category: code(params, 'category'),
    status: pick(params.get('status'), COUNCIL_STATUSES, ''),
    area: code(params, 'area'),
    team: code(params, 'team'),
    by: pick(params.get('by'), SUMMARY_DIMENSIONS, DEFAULT_FILTERS.by),
    mode: pick(params.get('mode'), HEATMAP_MODES, DEFAULT_FILTERS.mode),
  };
}

/** Writes the filters into a query string, only what differs from the defaults, keeping other parameters. */
export function writeCouncilFilters(params: URLSearchParams, filters: CouncilFilters): void {
  for (const name of FILTER_NAMES) params.delete(name);
  for (const name of FILTER_NAMES) {
    if (filters[name] === DEFAULT_FILTERS[name]) continue;
    if ((name === 'from' || name === 'to') && filters.period !== 'custom') continue;
    params.set(name, filters[name]);
  }
}

/** The city's day `daysAgo` days before `now`, as the API counts days. */
export function parisDay(now: Date, daysAgo = 0): string {
  return addDays(cityDay(now), -daysAgo);
}

/**
 * The API's filter query (`from`, `to`, `group`, `category`, `status`, `area`, `team`) for these filters.
 * "12 months" is the API's own default (365 days up to today), so it sends no dates at all.
 */
export function toAnalyticsQuery(filters: CouncilFilters, now = new Date()): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.period === '30d') {
    query.set('from', parisDay(now, 29));
    query.set('to', parisDay(now));
  }
  if (filters.period === 'custom') {
    if (filters.from) query.set('from', filters.from);
    if (filters.to) query.set('to', filters.to);
  }
  for (const name of ['group', 'category', 'status', 'area', 'team'] as const) {
    if (filters[name]) query.set(name, filters[name]);
  }
  return query;
}

/** The period part of the query alone, for the endpoints that only take dates (channels, satisfaction). */
export function toPeriodQuery(filters: CouncilFilters, now = new Date()): URLSearchParams {
  const full = toAnalyticsQuery(filters, now);
  const query = new URLSearchParams();
  for (const name of ['from', 'to']) {
    const value = full.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

/** How many filters narrow the reports (the period aside). */
export function countNarrowingFilters(filters: CouncilFilters): number {
  return (['group', 'category', 'status', 'area', 'team'] as const).filter((name) => filters[name]).length;
}
