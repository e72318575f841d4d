import type { ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { appendReportHistory, updateReportStatus } from './reports.repo';

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
    /** Public: the body a transferred report went to. */
    transferredTo?: string;
  },
): Promise<void> {
  await updateReportStatus(tx, change.reportId, change.to);
  const historyId = await appendReportHistory(tx, {
    reportId: change.reportId,
    actor: change.actor,
    event: 'status_changed',
    fromStatus: change.from,
    toStatus: change.to,
    isPublic: true,
    data: {
      reason: change.reason ?? null,
      message: change.message ?? null,
      ...(change.transferredTo ? { transferredTo: change.transferredTo } : {}),
    },
  });
  await insertOutboxJob(tx, 'report.notify', { historyId });
  // Internal notes live in their own private entry, so no public reader of the history can meet one.
  if (change.note) {
    await appendReportHistory(tx, {
      reportId: change.reportId,
      actor: change.actor,
      event: 'note',
      isPublic: false,
      data: { note: change.note },
    });
  }
}
