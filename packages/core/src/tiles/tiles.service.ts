import {
  AppError,
  MAP_LIMITS,
  REPORT_STATUSES,
  isCalendarDay,
  parseBbox,
  parseCommaList,
  type MapFilterQuery,
  type MapReportsQuery,
  type ReportFeatureCollection,
  type ReportStatus,
} from '@pave/shared';
import type { Pool } from '../db/pool';
import { findCurrentWalLsn, hasReplayedWal } from '../db/replica.repo';
import {
  findMapDataVersion,
  findMapReportsInBbox,
  findReportCellTile,
  findReportPointTile,
  clusterMapReports,
  purgeMapReports,
  type MapFilter,
  type TileAddress,
} from './tiles.repo';

const INTEGER = /^\d{1,7}$/;
const CODE = /^[a-z0-9-]{1,60}$/;

/** Parses `z/x/y` strictly: plain integers, `z` within 0..22, `x` and `y` inside the zoom's grid. */
export function parseTileAddress(raw: { z: string; x: string; y: string }): TileAddress {
  if (!INTEGER.test(raw.z) || !INTEGER.test(raw.x) || !INTEGER.test(raw.y)) {
    throw new AppError('TILE_INVALID', 'z, x and y must be non-negative integers.');
  }
  const [z, x, y] = [Number(raw.z), Number(raw.x), Number(raw.y)];
  if (z > MAP_LIMITS.maxZoom) throw new AppError('TILE_INVALID', `z must be within 0..${MAP_LIMITS.maxZoom}.`);
  const size = 2 ** z;
  if (x >= size || y >= size) throw new AppError('TILE_INVALID', `x and y must be within 0..${size - 1} at z=${z}.`);
  return { z, x, y };
}

function parseDate(raw: string | undefined, name: string): string | null {
  if (raw === undefined || raw === '') return null;
  if (!isCalendarDay(raw)) {
    throw new AppError('VALIDATION_FAILED', `${name} must be a date written YYYY-MM-DD.`);
  }
  return raw;
}

/** Parses the public map's filters (`group`, `status`, `since`, `until`); unknown values are refused. */
export function parseMapFilter(query: MapFilterQuery): MapFilter {
  const statuses = parseCommaList(query.status);
  const unknown = statuses?.find((s) => !(REPORT_STATUSES as readonly string[]).includes(s));
  if (unknown !== undefined) throw new AppError('VALIDATION_FAILED', `Unknown status "${unknown.slice(0, 40)}".`);
  const groups = parseCommaList(query.group);
  const badGroup = groups?.find((g) => !CODE.test(g));
  if (badGroup !== undefined) throw new AppError('VALIDATION_FAILED', `Unknown group "${badGroup.slice(0, 40)}".`);
  const since = parseDate(query.since, 'since');
  const until = parseDate(query.until, 'until');
  if (since && until && since > until) throw new AppError('VALIDATION_FAILED', 'since must not be after until.');
  return { groups, statuses: statuses as ReportStatus[] | null, since, until };
}

export interface MapTile {
  /** Empty when nothing is public in the tile. */
  data: Buffer;
  etag: string;
}

/**
 * The ETag shared by every tile at one data version. The day is part of it because closed
 * reports leave the map as days pass without any write. `knownVersion` comes from the process's
 * LISTEN connection when it has one (no round trip); otherwise the version is read from the database.
 */
export async function getMapTileEtag(
  deps: { db: Pool },
  knownVersion: number | null = null,
  now = new Date(),
): Promise<string> {
  const version = knownVersion ?? (await findMapDataVersion(deps.db));
  return `"m${version}-${now.toISOString().slice(0, 10)}"`;
}

// A replica normally replays within milliseconds; past this it is lagging, and waiting longer would
// only hold the request (the answer then says it is behind, see the tile routes).
const REPLICA_WAIT_MS = 2_000;
const REPLICA_POLL_MS = 10;

export interface MapReadVersion {
  /** The data version to name the answer after (its ETag). */
  version: number;
  /** The replica had not replayed that version within REPLICA_WAIT_MS: the answer may be older. */
  isBehind: boolean;
}

/**
 * For map reads on a streaming replica (`readDb`): the data version to answer at, and a wait until the
 * replica holds it. The replica's own copy of the version cannot serve: the version is a sequence,
 * and a standby sees a sequence only as WAL-logged, up to 32 values ahead of the primary and then
 * still for 32 changes, so ETags would not change with the data. Instead the version comes from the
 * primary (the LISTEN connection's, else one query) with the primary's WAL position at that moment,
 * once per version; a read then waits until the replica has replayed that position.
 */
export function createReplicaMapVersions(deps: { db: Pool; readDb: Pool }) {
  let fence: { version: number; lsn: string; isReplayed: boolean } | null = null;
  return async (knownVersion: number | null): Promise<MapReadVersion> => {
    if (knownVersion === null || fence?.version !== knownVersion) {
      // Version before position: the transaction that made this version committed before the position.
      const version = knownVersion ?? (await findMapDataVersion(deps.db));
      fence = { version, lsn: await findCurrentWalLsn(deps.db), isReplayed: false };
    }
    const current = fence;
    // Replay only moves forward: once the replica has passed this version's position, every read of
    // the same version skips the check (one round trip less per tile while the data stands still).
    if (current.isReplayed) return { version: current.version, isBehind: false };
    const deadline = Date.now() + REPLICA_WAIT_MS;
    while (!(await hasReplayedWal(deps.readDb, current.lsn))) {
      if (Date.now() >= deadline) return { version: current.version, isBehind: true };
      await new Promise((resolve) => setTimeout(resolve, REPLICA_POLL_MS));
    }
    current.isReplayed = true;
    return { version: current.version, isBehind: false };
  };
}

/** A vector tile of the public map: grid counts below `MAP_LIMITS.pointsMinZoom`, single reports from it. */
export async function getMapTile(deps: { db: Pool }, tile: TileAddress, query: MapFilterQuery): Promise<Buffer> {
  const filter = parseMapFilter(query);
  return tile.z < MAP_LIMITS.pointsMinZoom
    ? findReportCellTile(deps.db, tile, filter)
    : findReportPointTile(deps.db, tile, filter, MAP_LIMITS.tileMaxFeatures);
}

/** The public reports in a bbox with the map's filters, as GeoJSON (newest first, clamped limit). */
export async function listMapReports(deps: { db: Pool }, query: MapReportsQuery): Promise<ReportFeatureCollection> {
  const bbox = parseBbox(query.bbox);
  const filter = parseMapFilter(query);
  const limit = Math.min(Math.max(1, query.limit ?? MAP_LIMITS.geojsonDefaultLimit), MAP_LIMITS.geojsonMaxLimit);
  const rows = await findMapReportsInBbox(deps.db, bbox, filter, limit);
  return {
    type: 'FeatureCollection',
    // Built property by property from public columns: nothing else can reach the answer.
    features: rows.slice(0, limit).map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry: { type: 'Point', coordinates: [r.lon, r.lat] },
      properties: {
        ref: r.ref,
        status: r.status,
        category: r.category,
        group: r.group,
        createdAt: new Date(r.created_ms).toISOString(),
        town: r.town,
      },
    })),
    truncated: rows.length > limit,
  };
}

/**
 * Hourly upkeep of the map's table: drops closed reports whose public days are over (queries already
 * hide them), then puts the rows back in spatial order so bbox reads stay short.
 */
export async function purgeExpiredMapReports(deps: { db: Pool }): Promise<number> {
  const purged = await purgeMapReports(deps.db);
  await clusterMapReports(deps.db);
  return purged;
}
