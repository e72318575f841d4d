import type { ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

export interface NotificationSubject {
  historyId: string;
  event: string;
  toStatus: ReportStatus | null;
  data: Record<string, unknown>;
  reportId: string;
  ref: string;
  status: ReportStatus;
  categoryFr: string;
  areaName: string | null;
  reporterEmail: string | null;
}

/** One history entry with the report facts a mail about it needs. */
export async function findNotificationSubject(db: Db, historyId: string): Promise<NotificationSubject | null> {
  const { rows } = await db.query<{
    event: string;
    to_status: ReportStatus | null;
    data: Record<string, unknown>;
    report_id: string;
    ref: string;
    status: ReportStatus;
    category_fr: string;
    area_name: string | null;
    reporter_email: string | null;
  }>(
    `SELECT h.event, h.to_status, h.data, r.id AS report_id, r.ref, r.status, c.label_fr AS category_fr,
            a.name AS area_name, r.reporter_email
       FROM report_history h
       JOIN reports r ON r.id = h.report_id
       JOIN categories c ON c.id = r.category_id
       LEFT JOIN service_areas a ON a.id = r.area_id
      WHERE h.id = $1`,
    [historyId],
  );
  const r = rows[0];
  return r
    ? {
        historyId,
        event: r.event,
        toStatus: r.to_status,
        data: r.data,
        reportId: r.report_id,
        ref: r.ref,
        status: r.status,
        categoryFr: r.category_fr,
        areaName: r.area_name,
        reporterEmail: r.reporter_email,
      }
    : null;
}

export async function findActiveFollowers(db: Db, reportId: string): Promise<{ id: string; email: string }[]> {
  const { rows } = await db.query<{ id: string; email: string }>(
    `SELECT id, email FROM report_followers
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
