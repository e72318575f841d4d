import type { Label, Locale, ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

export interface NotificationSubject {
  historyId: string;
  /** When the entry was written: a status change's mail waits a window from then. */
  at: Date;
  event: string;
  toStatus: ReportStatus | null;
  data: Record<string, unknown>;
  reportId: string;
  ref: string;
  status: ReportStatus;
  categoryFr: string;
  /** The category in every mail language. */
  category: Label;
  areaName: string | null;
  /** The report's address or street, from the index. */
  address: string | null;
  reporterEmail: string | null;
  /** The reporter's mail language: their account's when they were signed in, else the page's they reported from. */
  reporterLanguage: Locale;
  /** The rejection reason this entry names, in French, or null. */
  reasonFr: string | null;
  /** The same reason in every mail language, or null. */
  reason: Label | null;
}

/** One history entry with the report facts a mail about it needs. */
export async function findNotificationSubject(db: Db, historyId: string): Promise<NotificationSubject | null> {
  const { rows } = await db.query<{
    at: Date;
    event: string;
    to_status: ReportStatus | null;
    data: Record<string, unknown>;
    report_id: string;
    ref: string;
    status: ReportStatus;
    category_fr: string;
    category_en: string;
    area_name: string | null;
    address: string | null;
    reporter_email: string | null;
    reporter_language: Locale;
    reason_fr: string | null;
    reason_en: string | null;
  }>(
    `SELECT h.at, h.event, h.to_status, h.data, r.id AS report_id, r.ref, r.status, c.label_fr AS category_fr,
            c.label_en AS category_en, a.name AS area_name, r.address, r.reporter_email,
            COALESCE(ca.language, r.reporter_language) AS reporter_language,
            rr.label_fr AS reason_fr, rr.label_en AS reason_en
       FROM report_history h
       JOIN reports r ON r.id = h.report_id
       JOIN categories c ON c.id = r.category_id
       LEFT JOIN service_areas a ON a.id = r.area_id
       LEFT JOIN citizen_accounts ca ON ca.id = r.citizen_id
       LEFT JOIN rejection_reasons rr ON rr.code = h.data->>'reason'
      WHERE h.id = $1`,
    [historyId],
  );
  const r = rows[0];
  return r
    ? {
        historyId,
        at: r.at,
        event: r.event,
        toStatus: r.to_status,
        data: r.data,
        reportId: r.report_id,
        ref: r.ref,
        status: r.status,
        categoryFr: r.category_fr,
        category: { fr: r.category_fr, en: r.category_en },
        areaName: r.area_name,
        address: r.address,
        reporterEmail: r.reporter_email,
        reporterLanguage: r.reporter_language,
        reasonFr: r.reason_fr,
        reason: r.reason_fr === null ? null : { fr: r.reason_fr, en: r.reason_en ?? r.reason_fr },
      }
    : null;
}

/** Whether a later public status change of the same report exists: its mail supersedes this one's. */
export async function hasNewerStatusChange(db: Db, reportId: string, historyId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM report_history
      WHERE report_id = $1 AND id > $2 AND event = 'status_changed' AND is_public LIMIT 1`,
    [reportId, historyId],
  );
  return rows.length > 0;
}

export async function findActiveFollowers(
  db: Db,
  reportId: string,
): Promise<{ id: string; email: string; language: Locale }[]> {
  const { rows } = await db.query<{ id: string; email: string; language: Locale }>(
    `SELECT id, email, language FROM report_followers
      WHERE report_id = $1 AND unsubscribed_at IS NULL AND confirmed_at IS NOT NULL ORDER BY id`,
    [reportId],
  );
  return rows;
}

export async function findSentRecipients(db: Db, historyId: string): Promise<Set<string>> {
  const { rows } = await db.query<{ recipient: string }>(
    'SELECT recipient FROM notifications_sent WHERE history_id = $1',
    [historyId],
  );
  return new Set(rows.map((r) => r.recipient));
}

export async function markNotificationSent(db: Db, historyId: string, recipient: string): Promise<void> {
  await db.query('INSERT INTO notifications_sent (history_id, recipient) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    historyId,
    recipient,
  ]);
}

/** Ready "after" photos of a report (the crew's proof of the fix), for the resolution mail. */
export async function findReadyAfterPhotoIds(db: Db, reportId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM photos WHERE report_id = $1 AND kind = 'after' AND status = 'ready' ORDER BY position`,
    [reportId],
  );
  return rows.map((r) => r.id);
}

export interface LateReport {
  ref: string;
  status: ReportStatus;
  deadline_at: Date | null;
  category_fr: string;
  area_name: string | null;
  address: string | null;
  team_name: string | null;
  team_email: string | null;
  team_id: number | null;
}

/** What a deadline reminder says about a report, and to which team it goes. */
export async function findLateReport(db: Db, reportId: string): Promise<LateReport | null> {
  const { rows } = await db.query<LateReport>(
    `SELECT r.ref, r.status, r.deadline_at, c.label_fr AS category_fr, a.name AS area_name, r.address,
            t.name AS team_name, t.email AS team_email, t.id AS team_id
       FROM reports r JOIN categories c ON c.id = r.category_id
       LEFT JOIN service_areas a ON a.id = r.area_id LEFT JOIN teams t ON t.id = r.team_id
      WHERE r.id = $1`,
    [reportId],
  );
  return rows[0] ?? null;
}

/**
 * One private history entry per deadline check, reused by a retried job so nobody is mailed twice;
 * returns its id.
 */
export async function recordLateCheck(
  db: Db,
  check: { reportId: string; level: string; deadlineAt: string },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `WITH existing AS (
       SELECT id FROM report_history
        WHERE report_id = $1 AND event = 'late' AND data->>'level' = $2 AND data->>'deadlineAt' = $3)
     , created AS (
       INSERT INTO report_history (report_id, actor, event, is_public, data)
       SELECT $1, 'system', 'late', false, jsonb_build_object('level', $2::text, 'deadlineAt', $3::text)
        WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id)
     SELECT id FROM existing UNION ALL SELECT id FROM created`,
    [check.reportId, check.level, check.deadlineAt],
  );
  return rows[0]!.id;
}

/** The active crew of a team and the supervisors of its service. */
export async function findTeamStaffEmails(db: Db, teamId: number | null): Promise<string[]> {
  const { rows } = await db.query<{ email: string }>(
    `SELECT email FROM staff_users
      WHERE is_active AND ((role = 'crew' AND team_id = $1)
         OR (role = 'supervisor' AND service = (SELECT service FROM teams WHERE id = $1)))`,
    [teamId],
  );
  return rows.map((r) => r.email);
}
