import type { Open311Datatype, ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

export interface Open311ServiceRow {
  code: string;
  labelFr: string;
  groupLabelFr: string;
  synonyms: string[];
  hasAttributes: boolean;
}

/** Active categories in display order, with whether they ask attributes. */
export async function findOpen311Services(db: Db): Promise<Open311ServiceRow[]> {
  const { rows } = await db.query<{
    code: string;
    label_fr: string;
    group_label_fr: string;
    synonyms: string[];
    has_attributes: boolean;
  }>(
    `SELECT c.code, c.label_fr, g.label_fr AS group_label_fr, c.synonyms,
            EXISTS (SELECT 1 FROM category_attributes a WHERE a.category_id = c.id AND a.is_active) AS has_attributes
       FROM categories c JOIN category_groups g ON g.id = c.group_id
      WHERE c.is_active
      ORDER BY g.position, g.id, c.position, c.id`,
  );
  return rows.map((r) => ({
    code: r.code,
    labelFr: r.label_fr,
    groupLabelFr: r.group_label_fr,
    synonyms: r.synonyms,
    hasAttributes: r.has_attributes,
  }));
}

export interface CategoryAttribute {
  code: string;
  datatype: Open311Datatype;
  isVariable: boolean;
  isRequired: boolean;
  position: number;
  description: string;
  datatypeDescription: string | null;
  values: { key: string; name: string }[];
}

/** The active attributes of one category, in their order. */
export async function findCategoryAttributes(db: Db, categoryId: number): Promise<CategoryAttribute[]> {
  const { rows } = await db.query<{
    code: string;
    datatype: Open311Datatype;
    is_variable: boolean;
    is_required: boolean;
    position: number;
    description: string;
    datatype_description: string | null;
    values: { key: string; name: string }[];
  }>(
    `SELECT code, datatype, is_variable, is_required, position, description, datatype_description, "values"
       FROM category_attributes
      WHERE category_id = $1 AND is_active
      ORDER BY position, id`,
    [categoryId],
  );
  return rows.map((r) => ({
    code: r.code,
    datatype: r.datatype,
    isVariable: r.is_variable,
    isRequired: r.is_required,
    position: r.position,
    description: r.description,
    datatypeDescription: r.datatype_description,
    values: r.values,
  }));
}

export interface Open311RequestFilter {
  /** When set, every other criterion is ignored (the specification says ids override the rest). */
  ids: string[] | null;
  /** A jurisdiction's requests only (ids included); null: every town. */
  townCode: string | null;
  categoryCodes: string[] | null;
  statuses: ReportStatus[] | null;
  start: Date;
  end: Date;
  limit: number;
  offset: number;
}

export interface Open311RequestRow {
  id: string;
  ref: string;
  status: ReportStatus;
  description: string;
  /** Hidden by a moderator: clients get a notice instead (migration 024). */
  isDescriptionHidden: boolean;
  lon: number;
  lat: number;
  categoryCode: string;
  categoryLabelFr: string;
  isSensitive: boolean;
  teamName: string | null;
  townCode: string | null;
  townName: string | null;
  address: string | null;
  /** The BAN id of the report's address; null for a street or none. */
  addressId: string | null;
  statusNote: string | null;
  photoId: string | null;
  deadlineAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface RequestRow {
  id: string;
  ref: string;
  status: ReportStatus;
  description: string;
  description_hidden: boolean;
  lon: number;
  lat: number;
  category_code: string;
  category_label_fr: string;
  is_sensitive: boolean;
  team_name: string | null;
  town_code: string | null;
  town_name: string | null;
  address: string | null;
  address_id: string | null;
  status_note: string | null;
  photo_id: string | null;
  deadline_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Service requests, newest first. Public columns only: the reporter's e-mail, name, phone and
 * device are never selected, so they cannot reach a response by mistake.
 */
export async function findOpen311Requests(db: Db, filter: Open311RequestFilter): Promise<Open311RequestRow[]> {
  const byIds = filter.ids !== null;
  const { rows } = await db.query<RequestRow>(
    `SELECT r.id, r.ref, r.status, r.description, r.description_hidden, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
            c.code AS category_code, c.label_fr AS category_label_fr, c.is_sensitive,
            t.name AS team_name, r.town_code, tw.name AS town_name, r.address, r.address_id,
            (SELECT h.data->>'message' FROM report_history h
              WHERE h.report_id = r.id AND h.is_public AND h.data->>'message' IS NOT NULL
              ORDER BY h.at DESC, h.id DESC LIMIT 1) AS status_note,
            (SELECT p.id FROM photos p
              WHERE p.report_id = r.id AND p.kind = 'initial' AND p.status = 'ready' AND NOT p.is_hidden
              ORDER BY p.position LIMIT 1) AS photo_id,
            r.deadline_at, r.created_at, r.updated_at
       FROM reports r
       JOIN categories c ON c.id = r.category_id
       LEFT JOIN teams t ON t.id = r.team_id
       LEFT JOIN towns tw ON tw.code = r.town_code
      WHERE ($9::text IS NULL OR r.town_code = $9)
        AND CASE WHEN $1::boolean THEN r.id = ANY($2::uuid[])
                 ELSE r.created_at >= $3 AND r.created_at <= $4
                      AND ($5::text[] IS NULL OR c.code = ANY($5))
                      AND ($6::text[] IS NULL OR r.status = ANY($6)) END
      ORDER BY r.created_at DESC, r.id
      LIMIT $7 OFFSET $8`,
    [
      byIds,
      filter.ids ?? [],
      filter.start,
      filter.end,
      filter.categoryCodes,
      filter.statuses,
      filter.limit,
      filter.offset,
      filter.townCode,
    ],
  );
  return rows.map(toRequestRow);
}

function toRequestRow(r: RequestRow): Open311RequestRow {
  return {
    id: r.id,
    ref: r.ref,
    status: r.status,
    description: r.description,
    isDescriptionHidden: r.description_hidden,
    lon: r.lon,
    lat: r.lat,
    categoryCode: r.category_code,
    categoryLabelFr: r.category_label_fr,
    isSensitive: r.is_sensitive,
    teamName: r.team_name,
    townCode: r.town_code,
    townName: r.town_name,
    address: r.address,
    addressId: r.address_id,
    statusNote: r.status_note,
    photoId: r.photo_id,
    deadlineAt: r.deadline_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The report filed with this Open311 token, or null. */
export async function findReportIdByToken(db: Db, token: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM reports WHERE open311_token = $1', [token]);
  return rows[0]?.id ?? null;
}

export interface PublicHistoryEntry {
  id: string;
  reportId: string;
  at: Date;
  event: string;
  toStatus: ReportStatus | null;
  note: string | null;
}

interface HistoryRow {
  id: string;
  report_id: string;
  at: Date;
  event: string;
  to_status: ReportStatus | null;
  note: string | null;
}

function toHistoryEntry(r: HistoryRow): PublicHistoryEntry {
  return { id: r.id, reportId: r.report_id, at: r.at, event: r.event, toStatus: r.to_status, note: r.note };
}

/** The public history of some reports, oldest first. */
export async function findPublicHistory(db: Db, reportIds: string[]): Promise<PublicHistoryEntry[]> {
  if (reportIds.length === 0) return [];
  const { rows } = await db.query<HistoryRow>(
    `SELECT id::text, report_id, at, event, to_status, data->>'message' AS note
       FROM report_history h
      WHERE report_id = ANY($1::uuid[]) AND is_public
        -- A comment held by the word list is not public yet (migration 024).
        AND NOT EXISTS (SELECT 1 FROM comment_moderation cm WHERE cm.history_id = h.id AND cm.state = 'held')
      ORDER BY at, id`,
    [reportIds],
  );
  return rows.map(toHistoryEntry);
}

/** Public status changes in a window, oldest first (mySociety's servicerequestupdates). */
export async function findStatusUpdates(
  db: Db,
  window: { start: Date; end: Date; limit: number; offset: number; townCode?: string | null },
): Promise<PublicHistoryEntry[]> {
  const { rows } = await db.query<HistoryRow>(
    `SELECT h.id::text, h.report_id, h.at, h.event, h.to_status, h.data->>'message' AS note
       FROM report_history h
      WHERE h.is_public AND h.to_status IS NOT NULL AND h.at >= $1 AND h.at <= $2
        AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM reports r WHERE r.id = h.report_id AND r.town_code = $5))
      ORDER BY h.at, h.id
      LIMIT $3 OFFSET $4`,
    [window.start, window.end, window.limit, window.offset, window.townCode ?? null],
  );
  return rows.map(toHistoryEntry);
}
