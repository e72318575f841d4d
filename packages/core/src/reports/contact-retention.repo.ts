import type { Db } from '../db/pool';

/**
 * How long a closed report keeps the ways to reach the people behind it: the reporter's e-mail, name
 * and phone, and its followers' e-mails. Long enough for the satisfaction question after a resolution
 * and for a "not fixed" answer to reopen it and mail them again; after that, nobody is mailed about it
 * and the addresses serve no one. A reopened report is open again (closed_at is null), so it keeps them.
 * Citizen accounts are not touched: an account holder chose to keep their reports in "Mes signalements".
 */
export const CLOSED_REPORT_CONTACT_DAYS = 90;

// Per statement: the first run on years of old reports is done in bounded steps.
const BATCH = 5_000;

/**
 * Forgets the contact details of reports closed for more than CLOSED_REPORT_CONTACT_DAYS (hourly
 * upkeep), and the record of the mails sent to them. Returns how many follower rows and reporter
 * contacts were removed. The columns are not
 * watched by any trigger, so this neither touches the map nor wakes the crews' queues.
 */
export async function purgeClosedReportContacts(db: Db): Promise<{ followers: number; reporters: number }> {
  // One statement again and again until a pass finds fewer than BATCH rows; the rows it touched in all.
  const inBatches = async (sql: string): Promise<number> => {
    let total = 0;
    for (;;) {
      const { rowCount } = await db.query(sql, [CLOSED_REPORT_CONTACT_DAYS, BATCH]);
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < BATCH) return total;
    }
  };
  const followers = await inBatches(
    `DELETE FROM report_followers WHERE id IN (
       SELECT f.id FROM report_followers f JOIN reports r ON r.id = f.report_id
        WHERE r.closed_at < now() - make_interval(days => $1) LIMIT $2)`,
  );
  // The record of which address got which mail (it keeps a retried job from mailing twice).
  await inBatches(
    `DELETE FROM notifications_sent WHERE (history_id, recipient) IN (
       SELECT n.history_id, n.recipient
         FROM notifications_sent n
         JOIN report_history h ON h.id = n.history_id
         JOIN reports r ON r.id = h.report_id
        WHERE r.closed_at < now() - make_interval(days => $1) LIMIT $2)`,
  );
  const reporters = await inBatches(
    `UPDATE reports SET reporter_email = NULL, reporter_first_name = NULL, reporter_last_name = NULL,
                        reporter_phone = NULL
      WHERE id IN (
        SELECT id FROM reports
         WHERE closed_at < now() - make_interval(days => $1)
           AND (reporter_email IS NOT NULL OR reporter_first_name IS NOT NULL
                OR reporter_last_name IS NOT NULL OR reporter_phone IS NOT NULL)
         LIMIT $2)`,
  );
  return { followers, reporters };
}
