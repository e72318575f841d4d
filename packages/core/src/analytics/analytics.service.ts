import {
  ANALYTICS_LIMITS,
  AppError,
  CLOSED_STATUSES,
  OPEN_STATUSES,
  REPORT_STATUSES,
  addDays,
  cityDay,
  daysBetween,
  isCalendarDay,
  parseCommaList,
  parseBbox,
  type AnalyticsFilterQuery,
  type Clusters,
  type ClustersQuery,
  type DurationFigure,
  type Heatmap,
  type HeatmapQuery,
  type HeatmapTileQuery,
  type RateFigure,
  type ReportStatus,
  type Summary,
  type SummaryQuery,
  type SummaryRow,
  type Trends,
} from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { tileBox3857 } from '../tiles/tiles.repo';
import { parseTileAddress } from '../tiles/tiles.service';
import { requireAnalyst } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import {
  MERCATOR_HALF,
  applySummarySettings,
  findAnalyticsLookups,
  findBacklogDeltas,
  findClusterPlaces,
  findHeatmapCells,
  findHeatmapTile,
  findOpenReports,
  findServiceTeamIds,
  findSummaryFigures,
  findTownNames,
  findWeeklyReceived,
  type AnalyticsFilter,
  type AnalyticsLookups,
  type ReportCriteria,
  type HeatmapCellRow,
} from './analytics.repo';
import { clusterSameProblem, diameterM, distanceM } from './clusters';
import { DURATION_RELATIVE_ERROR } from './duration-histogram';

function parseDay(raw: string, name: string): string {
  if (!isCalendarDay(raw)) {
    throw new AppError('PERIOD_INVALID', `${name} must be a date written YYYY-MM-DD.`, [
      { path: `/${name}`, message: 'not a YYYY-MM-DD date' },
    ]);
  }
  return raw;
}

/** Resolves codes to ids; an unknown code is a 400 naming it. */
function resolveCodes(
  raw: string | undefined,
  name: string,
  rows: readonly { id: number; code: string }[],
): number[] | null {
  const codes = parseCommaList(raw);
  if (!codes) return null;
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  return codes.map((code) => {
    const id = byCode.get(code);
    if (id === undefined) {
      throw new AppError('FILTER_INVALID', `Unknown ${name} "${code.slice(0, 60)}".`, [
        { path: `/${name}`, message: 'unknown code' },
      ]);
    }
    return id;
  });
}

function intersect(a: number[] | null, b: number[] | null): number[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const keep = new Set(b);
  return a.filter((x) => keep.has(x));
}

/**
 * Parses the shared filters against the reference tables: dates (default: the last 365 days, at most
 * five years), codes that must exist, statuses (internal, or the public `open` / `closed`). A supervisor
 * only ever sees the teams of their service, whatever the `team` filter says.
 */
export async function parseAnalyticsFilter(
  deps: { db: Pool },
  user: StaffUser,
  query: AnalyticsFilterQuery,
  lookups: AnalyticsLookups,
  now = new Date(),
): Promise<AnalyticsFilter> {
  const to = query.to ? parseDay(query.to, 'to') : cityDay(now);
  const from = query.from ? parseDay(query.from, 'from') : addDays(to, 1 - ANALYTICS_LIMITS.defaultPeriodDays);
  if (from > to) throw new AppError('PERIOD_INVALID', '"from" must not be after "to".');
  const days = daysBetween(from, to) + 1;
  if (days > ANALYTICS_LIMITS.maxPeriodDays) {
    throw new AppError('PERIOD_INVALID', `The period may cover at most ${ANALYTICS_LIMITS.maxPeriodDays} days.`);
  }

  const criteria = parseReportCriteria(query, lookups);
  const teamIds =
    user.role === 'supervisor'
      ? intersect(criteria.teamIds, await findServiceTeamIds(deps.db, user.service ?? ''))
      : criteria.teamIds;
  // A town's staff read their town's figures (row-level security would allow no other); a metropolitan
  // reader every town's.
  return { from, to, ...criteria, teamIds, towns: user.townCode ? [user.townCode] : null };
}

/**
 * The filters on the reports themselves, the period aside: codes that must exist (a group stands for
 * its categories) and statuses (internal, or the public `open` / `closed`). No role's scope applied.
 */
export function parseReportCriteria(query: AnalyticsFilterQuery, lookups: AnalyticsLookups): ReportCriteria {
  const groupIds = resolveCodes(query.group, 'group', lookups.groups);
  const groupCategoryIds = groupIds
    ? lookups.categories.filter((c) => groupIds.includes(c.group_id)).map((c) => c.id)
    : null;
  const categoryIds = intersect(resolveCodes(query.category, 'category', lookups.categories), groupCategoryIds);

  let statuses: ReportStatus[] | null = null;
  const rawStatuses = parseCommaList(query.status);
  if (rawStatuses) {
    const expanded = new Set<ReportStatus>();
    for (const s of rawStatuses) {
      if (s === 'open') OPEN_STATUSES.forEach((x) => expanded.add(x));
      else if (s === 'closed') CLOSED_STATUSES.forEach((x) => expanded.add(x));
      else if ((REPORT_STATUSES as readonly string[]).includes(s)) expanded.add(s as ReportStatus);
      else {
        throw new AppError('FILTER_INVALID', `Unknown status "${s.slice(0, 40)}".`, [
          { path: '/status', message: 'unknown status' },
        ]);
      }
    }
    statuses = [...expanded];
  }

  const teamIds = resolveCodes(query.team, 'team', lookups.teams);
  return { categoryIds, statuses, areaIds: resolveCodes(query.area, 'area', lookups.areas), teamIds };
}

const NO_LOOKUPS: AnalyticsLookups = { categories: [], groups: [], areas: [], teams: [] };
const hasCodes = (query: AnalyticsFilterQuery) =>
  [query.group, query.category, query.area, query.team].some((v) => v !== undefined && v.trim());

/** The report filters of a query; the reference tables are read only when codes must be resolved. */
export async function readReportCriteria(deps: { db: Pool }, query: AnalyticsFilterQuery): Promise<ReportCriteria> {
  return parseReportCriteria(query, hasCodes(query) ? await findAnalyticsLookups(deps.db) : NO_LOOKUPS);
}

/**
 * Role check, then the filter. The reference tables are read only when codes must be resolved or
 * labels shown: a city-wide heat-map or export without code filters goes straight to its one query.
 */
async function prepare(deps: { db: Pool }, user: StaffUser, query: AnalyticsFilterQuery, needsLabels = true) {
  requireAnalyst(user);
  const lookups = needsLabels || hasCodes(query) ? await findAnalyticsLookups(deps.db) : NO_LOOKUPS;
  return { lookups, filter: await parseAnalyticsFilter(deps, user, query, lookups) };
}

/** Cell side in Web Mercator metres at a zoom: a fixed number of cells per 256-pixel tile. */
export function heatmapCellSize(zoom: number): number {
  return (2 * MERCATOR_HALF) / 2 ** zoom / ANALYTICS_LIMITS.heatmapCellsPerTile;
}

/**
 * The grid's size parameter for a shape: the square's side, or for a hexagon its centre-to-corner
 * size. A hexagon of centre-to-corner s has the area of a square of side 1.61 s: this s matches the
 * squares' area.
 */
function heatmapShapeSize(shape: Heatmap['shape'], zoom: number): number {
  const square = heatmapCellSize(zoom);
  return shape === 'hexagon' ? square / Math.sqrt((3 * Math.sqrt(3)) / 2) : square;
}

function toLonLat(x: number, y: number): [number, number] {
  const lon = (x / MERCATOR_HALF) * 180;
  const lat = (Math.atan(Math.exp((y / MERCATOR_HALF) * Math.PI)) * 360) / Math.PI - 90;
  return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
}

function toMercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  return [
    (lon * MERCATOR_HALF) / 180,
    (Math.log(Math.tan(((90 + clamped) * Math.PI) / 360)) * MERCATOR_HALF) / Math.PI,
  ];
}

function cellGeometry(
  cell: HeatmapCellRow,
  shape: Heatmap['shape'],
  size: number,
): { type: 'Polygon' | 'Point'; coordinates: unknown[] } {
  if (shape === 'point') return { type: 'Point', coordinates: toLonLat(cell.x!, cell.y!) };
  let corners: [number, number][];
  if (shape === 'hexagon') {
    const cx = size * Math.sqrt(3) * (cell.i + cell.j / 2);
    const cy = size * 1.5 * cell.j;
    corners = [0, 1, 2, 3, 4, 5].map((k) => {
      const angle = ((60 * k - 30) * Math.PI) / 180;
      return [cx + size * Math.cos(angle), cy + size * Math.sin(angle)];
    });
  } else {
    const x0 = cell.i * size - MERCATOR_HALF;
    const y0 = cell.j * size - MERCATOR_HALF;
    corners = [
      [x0, y0],
      [x0 + size, y0],
      [x0 + size, y0 + size],
      [x0, y0 + size],
    ];
  }
  const ring = corners.map(([x, y]) => toLonLat(x, y));
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

/**
 * Report density over the period as GeoJSON cells whose size follows the zoom: square or hexagon
 * polygons, or (shape=point) each square cell as a point at its reports' mean position, weighted by
 * `count`, for a smooth heat layer. `by=month` adds per-month counts for a time slider.
 */
export async function getHeatmap(deps: { db: Pool }, user: StaffUser, query: HeatmapQuery): Promise<Heatmap> {
  const { filter } = await prepare(deps, user, query, false);
  const zoom = query.zoom ?? ANALYTICS_LIMITS.heatmapDefaultZoom;
  const shape = query.shape ?? 'square';
  let box: [number, number, number, number] | null = null;
  if (query.bbox !== undefined) {
    const [minLon, minLat, maxLon, maxLat] = parseBbox(query.bbox);
    box = [...toMercator(minLon, minLat), ...toMercator(maxLon, maxLat)];
  }
  const size = heatmapShapeSize(shape, zoom);
  const cells = await findHeatmapCells(deps.db, filter, {
    shape: shape === 'hexagon' ? 'hexagon' : 'square',
    size,
    box,
    byMonth: query.by === 'month',
    withMeans: shape === 'point',
  });
  let total = 0;
  let max = 0;
  const features = cells.map((cell) => {
    total += cell.count;
    max = Math.max(max, cell.count);
    return {
      type: 'Feature' as const,
      id: `${cell.i}:${cell.j}`,
      geometry: cellGeometry(cell, shape, size),
      properties: { count: cell.count, open: cell.open, ...(cell.months ? { months: cell.months } : {}) },
    };
  });
  return {
    type: 'FeatureCollection',
    zoom,
    shape,
    cellSize: size,
    period: { from: filter.from, to: filter.to },
    total,
    max,
    features,
  };
}

/**
 * The heat-map as one Mapbox Vector Tile (layer `cells`: count, open and the cell keys i, j), with the
 * cells getHeatmap gives at that zoom, for map clients that read vector tiles. Cells nearer the tile
 * than two cell sizes are counted whole, so a cell cut by a tile edge shows the same count on both.
 */
export async function getHeatmapTile(
  deps: { db: Pool },
  user: StaffUser,
  address: { z: string; x: string; y: string },
  query: HeatmapTileQuery,
): Promise<Buffer> {
  const { filter } = await prepare(deps, user, query, false);
  const tile = parseTileAddress(address);
  if (tile.z < ANALYTICS_LIMITS.heatmapMinZoom || tile.z > ANALYTICS_LIMITS.heatmapMaxZoom) {
    throw new AppError(
      'TILE_INVALID',
      `Heat-map tiles go from z=${ANALYTICS_LIMITS.heatmapMinZoom} to z=${ANALYTICS_LIMITS.heatmapMaxZoom}.`,
    );
  }
  const shape = query.shape ?? 'square';
  // Reports up to two square cells around the tile: every cell touching it is counted whole.
  return findHeatmapTile(
    deps.db,
    filter,
    { shape, size: heatmapShapeSize(shape, tile.z), box: tileBox3857(tile, 2 * heatmapCellSize(tile.z)) },
    tile,
  );
}

const HOUR_S = 3600;

function duration(n: number, percentiles: [number, number] | null): DurationFigure {
  const insufficient = n < ANALYTICS_LIMITS.minSample || percentiles === null;
  return {
    n,
    insufficient,
    medianHours: insufficient ? null : percentiles[0] / HOUR_S,
    p90Hours: insufficient ? null : percentiles[1] / HOUR_S,
  };
}

function rate(count: number, n: number): RateFigure {
  const insufficient = n < ANALYTICS_LIMITS.minSample;
  return { n, count, insufficient, rate: insufficient ? null : count / n };
}

/**
 * Figures per area, team, category or group for the period, with the same figures for everything the
 * filter covers: counts always, medians and rates only above the sample threshold. Rows come in label
 * order: ranking by a figure is the reader's choice, and tiny samples are never ranked.
 */
export async function getSummary(deps: { db: Pool }, user: StaffUser, query: SummaryQuery): Promise<Summary> {
  const { filter, lookups } = await prepare(deps, user, query);
  const by = query.by ?? 'area';
  const labels = new Map<number | string, { code: string; label: { fr: string; en: string } }>();
  if (by === 'area')
    lookups.areas.forEach((a) => labels.set(a.id, { code: a.code, label: { fr: a.name, en: a.name } }));
  if (by === 'team')
    lookups.teams.forEach((t) => labels.set(t.id, { code: t.code, label: { fr: t.name, en: t.name } }));
  if (by === 'category') {
    lookups.categories.forEach((c) => labels.set(c.id, { code: c.code, label: { fr: c.label_fr, en: c.label_en } }));
  }
  if (by === 'group') {
    lookups.groups.forEach((g) => labels.set(g.id, { code: g.code, label: { fr: g.label_fr, en: g.label_en } }));
  }
  if (by === 'town') {
    for (const t of await findTownNames(deps.db))
      labels.set(t.code, { code: t.code, label: { fr: t.name, en: t.name } });
  }
  const none = {
    area: { fr: 'Hors secteur', en: 'No area' },
    team: { fr: 'Sans équipe', en: 'No team' },
    category: { fr: 'Inconnu', en: 'Unknown' },
    group: { fr: 'Inconnu', en: 'Unknown' },
    town: { fr: 'Hors des communes', en: 'Outside every town' },
  }[by];

  const rows = await withTransaction(deps.db, async (tx) => {
    await applySummarySettings(tx);
    return findSummaryFigures(tx, filter, by);
  });
  const toRow = (r: (typeof rows)[number], key: string | null, label: SummaryRow['label']): SummaryRow => ({
    key,
    label,
    received: r.received,
    open: r.open,
    acknowledge: duration(r.ack_n, r.ack_p),
    resolve: duration(r.resolve_n, r.resolve_p),
    withinDeadline: rate(r.deadline_within, r.deadline_n),
    reopened: rate(r.reopened, r.received),
  });
  const totalRow = rows.find((r) => r.is_total);
  const empty = { received: 0, open: 0, ack_n: 0, resolve_n: 0, deadline_n: 0, deadline_within: 0, reopened: 0 };
  const total = toRow(totalRow ?? { ...empty, key: null, is_total: true, ack_p: null, resolve_p: null }, null, {
    fr: 'Total',
    en: 'Total',
  });
  const perKey = rows
    .filter((r) => !r.is_total)
    .map((r) => {
      const known = r.key === null ? undefined : labels.get(r.key);
      return toRow(r, known?.code ?? null, known?.label ?? none);
    })
    .sort((a, b) =>
      a.key === null ? 1 : b.key === null ? -1 : a.label.fr.localeCompare(b.label.fr, 'fr', { numeric: true }),
    );
  return {
    period: { from: filter.from, to: filter.to },
    by,
    minSample: ANALYTICS_LIMITS.minSample,
    durationPrecision: DURATION_RELATIVE_ERROR,
    total,
    rows: perKey,
  };
}

/** The Monday (ISO week start) of a `YYYY-MM-DD` day. */
function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return addDays(day, -((date.getUTCDay() + 6) % 7));
}

/** Reports received per week by category group, and the open backlog at the end of each week. */
export async function getTrends(deps: { db: Pool }, user: StaffUser, query: AnalyticsFilterQuery): Promise<Trends> {
  const { filter, lookups } = await prepare(deps, user, query);
  const [received, deltas] = await Promise.all([
    findWeeklyReceived(deps.db, filter),
    findBacklogDeltas(deps.db, filter, CLOSED_STATUSES),
  ]);
  const groupCode = new Map(lookups.groups.map((g) => [g.id, g.code]));
  const perWeek = new Map<string, Record<string, number>>();
  for (const r of received) {
    const byGroup = perWeek.get(r.week) ?? {};
    const code = groupCode.get(r.group_id) ?? String(r.group_id);
    byGroup[code] = (byGroup[code] ?? 0) + r.count;
    perWeek.set(r.week, byGroup);
  }
  const delta = new Map(deltas.map((d) => [d.week, d.delta]));
  let backlog = delta.get(null) ?? 0;
  const weeks: Trends['weeks'] = [];
  const lastMonday = mondayOf(filter.to);
  for (let week = mondayOf(filter.from); week <= lastMonday; week = addDays(week, 7)) {
    backlog += delta.get(week) ?? 0;
    const byGroup = perWeek.get(week) ?? {};
    weeks.push({
      week,
      partial: week < filter.from || addDays(week, 6) > filter.to,
      received: Object.values(byGroup).reduce((sum, n) => sum + n, 0),
      byGroup,
      backlog,
    });
  }
  return {
    period: { from: filter.from, to: filter.to },
    groups: lookups.groups.map((g) => ({ code: g.code, label: { fr: g.label_fr, en: g.label_en } })),
    weeks,
  };
}

/**
 * "Same problem": open reports of one sub-type within `radius` metres of a seed report (see clusters.ts),
 * so 40 reports read as the 3 problems they are. Only open statuses are considered, whatever `status` says.
 */
export async function getClusters(deps: { db: Pool }, user: StaffUser, query: ClustersQuery): Promise<Clusters> {
  const { filter, lookups } = await prepare(deps, user, query);
  const radiusM = query.radius ?? ANALYTICS_LIMITS.clusterDefaultRadiusM;
  const minSize = query.minSize ?? 2;
  const limit = query.limit ?? ANALYTICS_LIMITS.clusterDefaultLimit;
  const statuses = filter.statuses ? OPEN_STATUSES.filter((s) => filter.statuses!.includes(s)) : OPEN_STATUSES;
  const rows = await findOpenReports(deps.db, filter, statuses, ANALYTICS_LIMITS.clusterMaxReports + 1);
  if (rows.length > ANALYTICS_LIMITS.clusterMaxReports) {
    throw new AppError(
      'FILTER_INVALID',
      `More than ${ANALYTICS_LIMITS.clusterMaxReports} open reports match: narrow the period, area or category.`,
    );
  }
  const points = rows.map((r) => ({ lon: r.lon, lat: r.lat, key: r.category_id, createdMs: r.created_ms }));
  const groups = clusterSameProblem(points, radiusM);
  const categories = new Map(lookups.categories.map((c) => [c.id, c]));
  const groupCode = new Map(lookups.groups.map((g) => [g.id, g.code]));
  const big = groups
    .filter((g) => g.length >= minSize)
    .sort((a, b) => b.length - a.length || rows[a[0]!]!.created_ms - rows[b[0]!]!.created_ms);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const shown = big.slice(0, limit).map((members) => {
    const memberRows = members.map((m) => rows[m]!);
    const centre: [number, number] = [
      round(memberRows.reduce((s, r) => s + r.lon, 0) / members.length),
      round(memberRows.reduce((s, r) => s + r.lat, 0) / members.length),
    ];
    return { members, memberRows, centre };
  });
  // One round trip for every shown cluster's place name.
  const places = await findClusterPlaces(
    deps.db,
    shown.map((c) => c.centre),
  );
  return {
    period: { from: filter.from, to: filter.to },
    radiusM,
    maxDiameterM: 2 * radiusM,
    reports: rows.length,
    problems: groups.length,
    clusterCount: big.length,
    clusters: shown.map(({ members, memberRows, centre }, k) => {
      const seed = rows[members[0]!]!;
      const category = categories.get(seed.category_id)!;
      return {
        id: seed.ref,
        category: { code: category.code, label: { fr: category.label_fr, en: category.label_en } },
        group: groupCode.get(category.group_id) ?? '',
        count: members.length,
        centre: { type: 'Point' as const, coordinates: centre },
        place: places[k] ?? { street: null, area: null },
        diameterM: Math.round(diameterM(memberRows) * 10) / 10,
        members: memberRows.map((r) => ({
          ref: r.ref,
          status: r.status,
          createdAt: new Date(r.created_ms).toISOString(),
          location: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
          distanceM: Math.round(distanceM(seed, r) * 10) / 10,
        })),
      };
    }),
  };
}

export { prepare as prepareAnalyticsFilter };
