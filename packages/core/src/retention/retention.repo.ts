import type { Db, PoolClient } from '../db/pool';

/** Days a closed report keeps its free text and photos, per final status. */
export interface RetentionPeriods {
  rejected: number;
  duplicate: number;
  transferred: number;
  resolved: number;
}

/** A photo to erase, with the last revision its renditions may have been written under. */
export interface ExpiredPhoto {
  id: string;
  lastRevision: number;
}

/** Reports closed longer than their status's period whose content is not erased yet, oldest first. */
export async function findExpiredReports(
  db: Db,
  periods: RetentionPeriods,
  limit: number,
): Promise<{ id: string; photos: ExpiredPhoto[] }[]> {
  const { rows } = await db.query<{ id: string; photos: ExpiredPhoto[] }>(
    `SELECT r.id,
            coalesce((SELECT json_agg(json_build_object('id', p.id::text, 'lastRevision', p.render_revision))
                        FROM photos p WHERE p.report_id = r.id), '[]') AS photos
       FROM reports r
      WHERE r.content_erased_at IS NULL AND r.closed_at IS NOT NULL
        AND r.closed_at < now() - make_interval(days => CASE r.status
              WHEN 'rejected' THEN $1::int WHEN 'duplicate' THEN $2::int
              WHEN 'transferred' THEN $3::int WHEN 'resolved' THEN $4::int END)
      ORDER BY r.closed_at
      LIMIT $5`,
    [periods.rejected, periods.duplicate, periods.transferred, periods.resolved, limit],
  );
  return rows.map((r) => ({ id: r.id, photos: r.photos }));
}

/**
 * Erases the free text and the photo rows of these reports, in the caller's transaction: the
 * description, every history entry's text (comments, public messages, internal notes), moderation
 * copies, satisfaction comments and abuse flags. What the council's figures read stays: the row, its
 * category, place, dates, status and the history's events. A report reopened since is left alone.
 */
export async function eraseReportContent(tx: PoolClient, reportIds: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE reports SET description = '', description_hidden = false, description_edited = false,
                        content_erased_at = now()
      WHERE id = ANY($1::uuid[]) AND closed_at IS NOT NULL AND content_erased_at IS NULL
      RETURNING id`,
    [reportIds],
  );
  const erased = rows.map((r) => r.id);
  if (erased.length === 0) return erased;
  await tx.query(`SET LOCAL pave.retention_sweep = 'on'`);
  await tx.query(
    `UPDATE report_history SET data = data - 'text' - 'message' - 'comment' - 'note' - 'photoId'
      WHERE report_id = ANY($1::uuid[])
        AND (data ? 'text' OR data ? 'message' OR data ? 'comment' OR data ? 'note' OR data ? 'photoId')`,
    [erased],
  );
  await tx.query(`SET LOCAL pave.retention_sweep = 'off'`);
  await tx.query(
    `UPDATE comment_moderation SET edited_text = NULL
      WHERE history_id IN (SELECT id FROM report_history WHERE report_id = ANY($1::uuid[]))`,
    [erased],
  );
  await tx.query(
    'UPDATE moderation_actions SET original_text = NULL, new_text = NULL WHERE report_id = ANY($1::uuid[])',
    [erased],
  );
  await tx.query('DELETE FROM moderation_flags WHERE report_id = ANY($1::uuid[])', [erased]);
  await tx.query('UPDATE report_feedback SET comment = NULL WHERE report_id = ANY($1::uuid[])', [erased]);
  await tx.query('DELETE FROM photos WHERE report_id = ANY($1::uuid[])', [erased]);
  return erased;
}
