import type { Locale, ReportStatus, Severity } from '@pave/shared';
import type { Db } from '../db/pool';

export interface NewReport {
  categoryId: number;
  description: string;
  reporterEmail: string | null;
  lon: number;
  lat: number;
  priority: number;
  areaId: number;
  source: string;
  extra?: ReportExtra;
  severity?: string;
  /** The language the reporter's mails are written in (`fr` unless said). */
  reporterLanguage?: Locale;
  /** How the report reached the city (`web` unless said otherwise). */
  channel?: string;
  /** The web form's browser id (X-Pave-Device), so the report can be claimed after sign-in. */
  deviceId?: string | null;
  /** The signed-in citizen who filed it. */
  citizenId?: string | null;
  /** The address or street at the point (see `lookUpReportAddress`), and the BAN id of an address. */
  address?: string | null;
  addressId?: string | null;
}

/** What a report filed through another channel (Open311) adds; the contact fields are private. */
export interface ReportExtra {
  attributes: Record<string, string | string[]>;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  deviceId: string | null;
  accountId: string | null;
  apiClientId: number | null;
  open311Token: string | null;
}

/** Inserts a report and returns its id and public reference. */
export async function insertReport(
  db: Db,
  report: NewReport,
): Promise<{ id: string; ref: string; status: ReportStatus }> {
  const extra = report.extra;
  const { rows } = await db.query<{ id: string; ref: string; status: ReportStatus }>(
    `INSERT INTO reports (category_id, description, reporter_email, geom, priority, area_id, source,
                          attributes, address, reporter_first_name, reporter_last_name, reporter_phone,
                          reporter_device_id, reporter_account_id, api_client_id, open311_token,
                          severity, channel, citizen_id, address_id, reporter_language)
     VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8,
             COALESCE($9::jsonb, '{}'), $10, $11, $12, $13, $14, $15, $16, $17,
             COALESCE($18, 'genant'), COALESCE($19, 'web'), $20, $21, COALESCE($22, 'fr'))
     RETURNING id, ref, status`,
    [
      report.categoryId,
      report.description,
      report.reporterEmail,
      report.lon,
      report.lat,
      report.priority,
      report.areaId,
      report.source,
      extra ? JSON.stringify(extra.attributes) : null,
      report.address ?? null,
      extra?.firstName ?? null,
      extra?.lastName ?? null,
      extra?.phone ?? null,
      report.deviceId ?? extra?.deviceId ?? null,
      extra?.accountId ?? null,
      extra?.apiClientId ?? null,
      extra?.open311Token ?? null,
      report.severity ?? null,
      report.channel ?? null,
      report.citizenId ?? null,
      report.addressId ?? null,
      report.reporterLanguage ?? null,
    ],
  );
  return rows[0]!;
}

export interface ReportHistoryEntry {
  reportId: string;
  actor: string;
  event: string;
  fromStatus?: ReportStatus | null;
  toStatus?: ReportStatus | null;
  isPublic: boolean;
  data?: Record<string, unknown>;
}

/** Sets a report's status; the caller's transaction records why (history) and who is told (outbox). */
export async function updateReportStatus(db: Db, id: string, status: ReportStatus): Promise<void> {
  await db.query('UPDATE reports SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/** Appends one entry to a report's history (the table refuses updates); returns its id. */
export async function appendReportHistory(db: Db, entry: ReportHistoryEntry): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO report_history (report_id, actor, event, from_status, to_status, is_public, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      entry.reportId,
      entry.actor,
      entry.event,
      entry.fromStatus ?? null,
      entry.toStatus ?? null,
      entry.isPublic,
      JSON.stringify(entry.data ?? {}),
    ],
  );
  return rows[0]!.id;
}

/** The columns a public view is built from; deliberately without the reporter's e-mail. */
export interface PublicReportRow {
  id: string;
  ref: string;
  status: ReportStatus;
  description: string;
  description_hidden: boolean;
  description_edited: boolean;
  rejection_reason_fr: string | null;
  rejection_reason_en: string | null;
  transferred_to: string | null;
  lon: number;
  lat: number;
  category_code: string;
  category_label_fr: string;
  category_label_en: string;
  category_is_sensitive: boolean;
  group_code: string;
  group_label_fr: string;
  group_label_en: string;
  address: string | null;
  area_name: string | null;
  severity: Severity;
  support_count: number;
  team_name: string | null;
  /** A team without a town is a body serving several towns (a metropolitan service). */
  team_is_body: boolean;
  town_code: string | null;
  town_name: string | null;
  /** The filing citizen's display name, only when they chose to show it. */
  reporter_name: string | null;
  deadline_at: Date | null;
  scheduled_for: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** One report's public columns by id, or null. */
export async function findPublicReportRow(db: Db, id: string): Promise<PublicReportRow | null> {
  const { rows } = await db.query<PublicReportRow>(
    `SELECT r.id, r.ref, r.status, r.description, r.description_hidden, r.description_edited,
            rr.label_fr AS rejection_reason_fr, rr.label_en AS rejection_reason_en, r.transferred_to,
            ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
            -- The category in the words of the report's town, where it has its own (issue #19).
            c.code AS category_code, COALESCE(tc.label_fr, c.label_fr) AS category_label_fr,
            COALESCE(tc.label_en, c.label_en) AS category_label_en,
            c.is_sensitive AS category_is_sensitive, g.code AS group_code, g.label_fr AS group_label_fr, g.label_en AS group_label_en,
            r.address, a.name AS area_name, t.name AS team_name, r.severity, r.support_count,
            (t.id IS NOT NULL AND t.town_code IS NULL) AS team_is_body, r.town_code, tw.name AS town_name,
            -- The name is private unless its owner chose to show it (migration 009).
            CASE WHEN ca.show_name AND btrim(ca.display_name) <> '' THEN ca.display_name END AS reporter_name,
            r.deadline_at, r.created_at, r.updated_at,
            -- The planned visit is public while it is the plan: once the work starts or the report
            -- closes, an old date would mislead.
            CASE WHEN r.status = 'scheduled' THEN r.scheduled_for END AS scheduled_for
       FROM reports r
       JOIN categories c ON c.id = r.category_id
       JOIN category_groups g ON g.id = c.group_id
       LEFT JOIN service_areas a ON a.id = r.area_id
       LEFT JOIN teams t ON t.id = r.team_id
       LEFT JOIN towns tw ON tw.code = r.town_code
       LEFT JOIN town_categories tc ON tc.town_code = r.town_code AND tc.category_id = c.id
       LEFT JOIN citizen_accounts ca ON ca.id = r.citizen_id
       LEFT JOIN rejection_reasons rr ON rr.code = r.rejection_reason
      WHERE r.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
