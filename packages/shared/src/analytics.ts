import { Type, type Static } from 'typebox';
import { LabelSchema } from './i18n';
import { ReportStatusSchema } from './reports';

/**
 * Council analytics (issue #6): heat-map, figures, trends, "same problem" clusters and exports.
 * Every endpoint takes the same filters; the API answers staff with the council, supervisor or admin role.
 */
export const ANALYTICS_LIMITS = {
  /** Below this many reports a median or a rate is not shown (`insufficient: true`): no league table on 4 reports. */
  minSample: 10,
  /** The longest period one request may cover (five years and a leap day). */
  maxPeriodDays: 1827,
  /** The period when `from`/`to` are left out: the last 365 days up to today. */
  defaultPeriodDays: 365,
  /** Heat-map zooms: cells of 32 screen pixels, from about 4.9 km (z10) to 19 m (z18) at the equator. */
  heatmapMinZoom: 10,
  heatmapMaxZoom: 18,
  heatmapDefaultZoom: 13,
  /** Cells per 256-pixel map tile side: the cell size follows the zoom. */
  heatmapCellsPerTile: 8,
  /** "Same problem": every member within `radius` metres of the cluster's seed report. */
  clusterDefaultRadiusM: 50,
  clusterMaxRadiusM: 200,
  clusterDefaultLimit: 200,
  clusterMaxLimit: 1000,
  /** Open reports one clustering request considers at most (Paris has ~30,000 open at any time). */
  clusterMaxReports: 100_000,
} as const;

/**
 * Filters shared by every analytics endpoint and both exports. Lists are comma-separated codes;
 * `status` takes internal statuses and the public `open` / `closed`; dates are `YYYY-MM-DD`
 * (Europe/Paris days, both inclusive) on the report's creation time. Unknown codes are refused (400).
 */
export const AnalyticsFilterQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 10, description: 'First day, YYYY-MM-DD (default: 365 days ago)' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day, inclusive, YYYY-MM-DD (default: today)' })),
  group: Type.Optional(Type.String({ maxLength: 400, description: 'Category group codes' })),
  category: Type.Optional(Type.String({ maxLength: 2000, description: 'Sub-type (category) codes' })),
  status: Type.Optional(Type.String({ maxLength: 400, description: 'Statuses, or open / closed' })),
  area: Type.Optional(Type.String({ maxLength: 2000, description: 'Service area codes' })),
  team: Type.Optional(Type.String({ maxLength: 2000, description: 'Team codes' })),
});
export type AnalyticsFilterQuery = Static<typeof AnalyticsFilterQuerySchema>;

export const PeriodSchema = Type.Object({
  from: Type.String({ description: 'YYYY-MM-DD' }),
  to: Type.String({ description: 'YYYY-MM-DD, inclusive' }),
});

export const HEATMAP_SHAPES = ['square', 'hexagon', 'point'] as const;
export type HeatmapShape = (typeof HEATMAP_SHAPES)[number];

export const HeatmapQuerySchema = Type.Object({
  ...AnalyticsFilterQuerySchema.properties,
  zoom: Type.Optional(
    Type.Integer({ minimum: ANALYTICS_LIMITS.heatmapMinZoom, maximum: ANALYTICS_LIMITS.heatmapMaxZoom }),
  ),
  shape: Type.Optional(
    Type.Enum(HEATMAP_SHAPES, {
      description:
        'square or hexagon cells (polygons), or point: each square cell as a weighted point for a smooth heat layer',
    }),
  ),
  bbox: Type.Optional(Type.String({ maxLength: 200, description: 'minLon,minLat,maxLon,maxLat' })),
  by: Type.Optional(Type.Enum(['month'], { description: 'month: per-cell counts per month, for a time slider' })),
});
export type HeatmapQuery = Static<typeof HeatmapQuerySchema>;

/** The heat-map as vector tiles (`/api/analytics/heatmap/{z}/{x}/{y}.mvt`): the filters and the shape. */
export const HeatmapTileQuerySchema = Type.Object({
  ...AnalyticsFilterQuerySchema.properties,
  shape: HeatmapQuerySchema.properties.shape,
});
export type HeatmapTileQuery = Static<typeof HeatmapTileQuerySchema>;

export const HeatmapCellSchema = Type.Object({
  type: Type.Literal('Feature'),
  /** Stable for a zoom and shape: `i:j` integer cell key, to match cells across periods. */
  id: Type.String(),
  // One object schema, not a union of Polygon and Point: a union makes the serialiser test every cell
  // against each branch, which costs more than the query on a city-wide map.
  geometry: Type.Object({
    type: Type.Enum(['Polygon', 'Point']),
    /** Polygon: `[[[lon, lat], …]]`; Point: `[lon, lat]`. */
    coordinates: Type.Array(Type.Unknown()),
  }),
  properties: Type.Object({
    count: Type.Integer(),
    /** Of `count`, how many are open now. */
    open: Type.Integer(),
    /** With `by=month`: counts per `YYYY-MM` (Europe/Paris), months without reports left out. */
    months: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  }),
});

export const HeatmapSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  zoom: Type.Integer(),
  shape: Type.Enum(HEATMAP_SHAPES),
  /** Cell side (square) or centre-to-corner size (hexagon) in Web Mercator metres. */
  cellSize: Type.Number(),
  period: PeriodSchema,
  /** Reports counted, over every cell. */
  total: Type.Integer(),
  /** The largest cell count, for the colour scale. */
  max: Type.Integer(),
  features: Type.Array(HeatmapCellSchema),
});
export type Heatmap = Static<typeof HeatmapSchema>;

/** `town`: one row per town (INSEE code), for the metropolitan council; a town's own staff see theirs only. */
export const SUMMARY_DIMENSIONS = ['area', 'team', 'category', 'group', 'town'] as const;
export type SummaryDimension = (typeof SUMMARY_DIMENSIONS)[number];

export const SummaryQuerySchema = Type.Object({
  ...AnalyticsFilterQuerySchema.properties,
  by: Type.Optional(
    Type.Enum(SUMMARY_DIMENSIONS, { description: 'One row per area (default), team, category, group or town' }),
  ),
});
export type SummaryQuery = Static<typeof SummaryQuerySchema>;

/** A time figure in hours over `n` reports; null with `insufficient` under the sample threshold. */
export const DurationFigureSchema = Type.Object({
  n: Type.Integer(),
  insufficient: Type.Boolean(),
  medianHours: Type.Union([Type.Number(), Type.Null()]),
  p90Hours: Type.Union([Type.Number(), Type.Null()]),
});
export type DurationFigure = Static<typeof DurationFigureSchema>;

/** `count` out of `n`; `rate` (0..1) is null with `insufficient` under the sample threshold. */
export const RateFigureSchema = Type.Object({
  n: Type.Integer(),
  count: Type.Integer(),
  insufficient: Type.Boolean(),
  rate: Type.Union([Type.Number(), Type.Null()]),
});
export type RateFigure = Static<typeof RateFigureSchema>;

export const SummaryRowSchema = Type.Object({
  /** The area, team, category or group code, or town INSEE code; null for reports without one (not routed yet). */
  key: Type.Union([Type.String(), Type.Null()]),
  label: LabelSchema,
  /** Reports created in the period. */
  received: Type.Integer(),
  /** Of those, open now. */
  open: Type.Integer(),
  /** Creation to the first staff answer (the report leaving "new"). */
  acknowledge: DurationFigureSchema,
  /** Creation to resolution, over reports resolved now. */
  resolve: DurationFigureSchema,
  /**
   * Resolved by the deadline, out of the reports whose outcome is known: resolved, or still not
   * resolved after their deadline (rejected, duplicate and transferred reports are left out).
   */
  withinDeadline: RateFigureSchema,
  /** Reports reopened at least once ("not fixed"), out of those received. */
  reopened: RateFigureSchema,
});
export type SummaryRow = Static<typeof SummaryRowSchema>;

export const SummarySchema = Type.Object({
  period: PeriodSchema,
  by: Type.Enum(SUMMARY_DIMENSIONS),
  /** The sample threshold under which figures are withheld. */
  minSample: Type.Integer(),
  /**
   * The times are estimates, each within this fraction of the exact percentile (0.0513: ±5.13 %; under
   * one second for durations under one second). They are counted in logarithmic bins, which spares
   * sorting every duration of the period.
   */
  durationPrecision: Type.Number(),
  total: SummaryRowSchema,
  /** Ordered by label, never by a figure: this is not a league table. */
  rows: Type.Array(SummaryRowSchema),
});
export type Summary = Static<typeof SummarySchema>;

export const TrendsSchema = Type.Object({
  period: PeriodSchema,
  groups: Type.Array(Type.Object({ code: Type.String(), label: LabelSchema })),
  /** ISO weeks (Monday, Europe/Paris) meeting the period, oldest first. */
  weeks: Type.Array(
    Type.Object({
      /** The Monday, YYYY-MM-DD. */
      week: Type.String(),
      /** True when the period starts or ends inside this week. */
      partial: Type.Boolean(),
      received: Type.Integer(),
      /** Received per category group code (groups without reports left out). */
      byGroup: Type.Record(Type.String(), Type.Integer()),
      /** Reports open at the end of the week (or of the period), whatever their creation date. */
      backlog: Type.Integer(),
    }),
  ),
});
export type Trends = Static<typeof TrendsSchema>;

export const ClustersQuerySchema = Type.Object({
  ...AnalyticsFilterQuerySchema.properties,
  radius: Type.Optional(
    Type.Integer({
      minimum: 5,
      maximum: ANALYTICS_LIMITS.clusterMaxRadiusM,
      description: `Metres from the seed report (default ${ANALYTICS_LIMITS.clusterDefaultRadiusM})`,
    }),
  ),
  minSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: ANALYTICS_LIMITS.clusterMaxLimit })),
});
export type ClustersQuery = Static<typeof ClustersQuerySchema>;

const LonLatPointSchema = Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) });

export const ClusterSchema = Type.Object({
  /** The seed report's reference. */
  id: Type.String(),
  category: Type.Object({ code: Type.String(), label: LabelSchema }),
  group: Type.String(),
  count: Type.Integer(),
  /** Mean position of the members. */
  centre: LonLatPointSchema,
  /**
   * Where it is, in words: the street of the nearest numbered address within 100 m of the centre (no
   * house number), and the service area's name; null when there is none.
   */
  place: Type.Object({
    street: Type.Union([Type.String(), Type.Null()]),
    area: Type.Union([Type.String(), Type.Null()]),
  }),
  /** Largest distance between two members, in metres: never above `maxDiameterM`. */
  diameterM: Type.Number(),
  members: Type.Array(
    Type.Object({
      ref: Type.String(),
      status: ReportStatusSchema,
      createdAt: Type.String({ format: 'date-time' }),
      location: LonLatPointSchema,
      /** Metres from the seed. */
      distanceM: Type.Number(),
    }),
  ),
});

export const ClustersSchema = Type.Object({
  period: PeriodSchema,
  radiusM: Type.Integer(),
  /** Twice the radius: the bound on any two members' distance. */
  maxDiameterM: Type.Integer(),
  /** Open reports considered. */
  reports: Type.Integer(),
  /** Distinct problems they amount to: clusters plus reports standing alone. */
  problems: Type.Integer(),
  /** Clusters of at least `minSize` reports, largest first (before `limit`). */
  clusterCount: Type.Integer(),
  clusters: Type.Array(ClusterSchema),
});
export type Clusters = Static<typeof ClustersSchema>;

/** The columns of both exports, in order. No personal data: see docs/analytics.md. */
export const EXPORT_COLUMNS = [
  'ref',
  'category',
  'group',
  'status',
  'created_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'deadline_at',
  'area',
  'team',
  'reopen_count',
  'support_count',
  'street',
  'lon',
  'lat',
] as const;

/**
 * The CSV export's two contracts: `fr` (default) is for a spreadsheet in French — `;`-separated,
 * labels instead of codes, French headings, decimal commas; `codes` is for programs — `,`-separated,
 * EXPORT_COLUMNS headings and machine codes. Both are UTF-8 with a BOM and have ISO 8601 UTC times.
 */
export const CSV_EXPORT_FORMATS = ['fr', 'codes'] as const;
export type CsvExportFormat = (typeof CSV_EXPORT_FORMATS)[number];

export const CsvExportQuerySchema = Type.Object({
  ...AnalyticsFilterQuerySchema.properties,
  format: Type.Optional(
    Type.Enum(CSV_EXPORT_FORMATS, {
      description: 'fr (default): ";"-separated, French labels; codes: ","-separated, machine codes',
    }),
  ),
});
export type CsvExportQuery = Static<typeof CsvExportQuerySchema>;

/** The French CSV's headings, one per EXPORT_COLUMNS entry, in the same order. */
export const EXPORT_HEADINGS_FR: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  ref: 'Référence',
  category: 'Catégorie',
  group: 'Famille',
  status: 'Statut',
  created_at: 'Signalé le',
  acknowledged_at: 'Pris en compte le',
  resolved_at: 'Résolu le',
  closed_at: 'Clos le',
  deadline_at: 'Échéance',
  area: 'Secteur',
  team: 'Équipe',
  reopen_count: 'Réouvertures',
  support_count: 'Soutiens',
  street: 'Rue',
  lon: 'Longitude',
  lat: 'Latitude',
};
