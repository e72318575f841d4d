import type { ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';

/**
 * Moves a report to a new status inside the caller's transaction: updates the row, appends a public
 * history entry (who, why, an optional public message) and queues the mail to the reporter and followers.
 * Which transitions are allowed is the caller's rule (the staff state machine, or "not fixed" → reopened).
 */
export async function changeReportStatus(
  tx: Db,
  change: {
    reportId: string;
    from: ReportStatus;
    to: ReportStatus;
    actor: string;
    reason?: string;
    /** Public: shown on the report page and mailed. */
    message?: string;
    /** Internal: staff only, never public. */
    note?: string;
  },
): Promise<void> {
  await tx.query('UPDATE reports SET status = $2, updated_at = now() WHERE id = $1', [change.reportId, change.to]);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO report_history (report_id, actor, event, from_status, to_status, is_public, data)
     VALUES ($1, $2, 'status_changed', $3, $4, true, $5) RETURNING id`,
    [
      change.reportId,
      change.actor,
      change.from,
      change.to,
      JSON.stringify({ reason: change.reason ?? null, message: change.message ?? null }),
    ],
  );
  await insertOutboxJob(tx, 'report.notify', { historyId: rows[0]!.id });
  // Internal notes live in their own private entry, so no public reader of the history can meet one.
  if (change.note) {
    await tx.query(
      `INSERT INTO report_history (report_id, actor, event, is_public, data) VALUES ($1, $2, 'note', false, $3)`,
      [change.reportId, change.actor, JSON.stringify({ note: change.note })],
    );
  }
}
