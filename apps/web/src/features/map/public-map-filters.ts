import { REPORT_STATUSES, type ReportStatus, STATUS_TONE, STATUS_TONES, type StatusTone } from '@pave/shared';

/** How far back the map looks: every public report, the last 7 or 30 days, or chosen dates. */
export type Period = 'all' | '7d' | '30d' | 'custom';
export const PERIODS: Period[] = ['all', '7d', '30d', 'custom'];

/** The public map's filters, as the page and its URL hold them. */
export interface MapFilters {
  /** Category group codes; empty means every group. */
  groups: string[];
  /** Status colours shown; empty means every status. */
  tones: StatusTone[];
  period: Period;
  /** `YYYY-MM-DD`, for the custom period. */
  from: string;
  to: string;
}

export const NO_FILTERS: MapFilters = { groups: [], tones: [], period: 'all', from: '', to: '' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z0-9-]{1,60}$/;

function list(params: URLSearchParams, name: string): string[] {
  return (params.get(name) ?? '').split(',').filter(Boolean);
}

/** Reads the filters from a query string, dropping anything malformed. */
export function readFilters(params: URLSearchParams): MapFilters {
  const period = params.get('period') as Period | null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return {
    groups: list(params, 'group').filter((g) => CODE.test(g)),
    tones: list(params, 'status').filter((t): t is StatusTone => (STATUS_TONES as string[]).includes(t)),
    period: period && PERIODS.includes(period) ? period : 'all',
    from: DATE.test(from) ? from : '',
    to: DATE.test(to) ? to : '',
  };
}

/** Writes the filters into a query string (only what differs from "no filter"). */
export function writeFilters(params: URLSearchParams, filters: MapFilters): void {
  for (const name of ['group', 'status', 'period', 'from', 'to']) params.delete(name);
  if (filters.groups.length) params.set('group', filters.groups.join(','));
  if (filters.tones.length) params.set('status', filters.tones.join(','));
  if (filters.period !== 'all') params.set('period', filters.period);
  if (filters.period === 'custom') {
    if (filters.from) params.set('from', filters.from);
    if (filters.to) params.set('to', filters.to);
  }
}

/** A local calendar day as `YYYY-MM-DD`, `daysAgo` days before `now`. */
function dayBefore(now: Date, daysAgo: number): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * The API's query for these filters (`group`, `status`, `since`, `until`). Relative periods become
 * dates, so a tile URL stays the same all day long and caches well.
 */
export function toApiQuery(filters: MapFilters, now = new Date()): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.groups.length) query.set('group', filters.groups.join(','));
  if (filters.tones.length) {
    const statuses = REPORT_STATUSES.filter((s: ReportStatus) => filters.tones.includes(STATUS_TONE[s]));
    query.set('status', statuses.join(','));
  }
  if (filters.period === '7d') query.set('since', dayBefore(now, 6));
  if (filters.period === '30d') query.set('since', dayBefore(now, 29));
  if (filters.period === 'custom') {
    if (filters.from) query.set('since', filters.from);
    if (filters.to && (!filters.from || filters.to >= filters.from)) query.set('until', filters.to);
  }
  return query;
}

/** True when a report with these public fields passes the filters (for live events). */
export function matchesFilters(
  filters: MapFilters,
  report: { status: string; group: string; createdAt: string },
  now = new Date(),
): boolean {
  const query = toApiQuery(filters, now);
  if (filters.groups.length && !filters.groups.includes(report.group)) return false;
  const statuses = query.get('status')?.split(',');
  if (statuses && !statuses.includes(report.status)) return false;
  const day = dayBefore(new Date(report.createdAt), 0);
  const since = query.get('since');
  const until = query.get('until');
  return (!since || day >= since) && (!until || day <= until);
}
