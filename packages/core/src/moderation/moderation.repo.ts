import type { FlagReason, FlagTarget, ModerationAction } from '@pave/shared';
import type { Db } from '../db/pool';

export type CommentState = 'held' | 'hidden' | 'published';

/** A report's description as moderation sees it, locked for the action. */
export async function lockDescription(
  db: Db,
  reportId: string,
): Promise<{ description: string; isHidden: boolean; isEdited: boolean } | null> {
  const { rows } = await db.query<{ description: string; description_hidden: boolean; description_edited: boolean }>(
    'SELECT description, description_hidden, description_edited FROM reports WHERE id = $1 FOR UPDATE',
    [reportId],
  );
  const r = rows[0];
  return r ? { description: r.description, isHidden: r.description_hidden, isEdited: r.description_edited } : null;
}

export async function updateDescriptionModeration(
  db: Db,
  reportId: string,
  state: { description: string; isHidden: boolean; isEdited: boolean },
): Promise<void> {
  await db.query(
    `UPDATE reports SET description = $2, description_hidden = $3, description_edited = $4, updated_at = now()
      WHERE id = $1`,
    [reportId, state.description, state.isHidden, state.isEdited],
  );
}

/** A resident's comment of this report, with its moderation state (`published` when never moderated). */
export async function lockComment(
  db: Db,
  reportId: string,
  historyId: string,
): Promise<{ text: string; state: CommentState; editedText: string | null; photoId: string | null } | null> {
  const { rows } = await db.query<{
    text: string | null;
    photo_id: string | null;
    state: CommentState | null;
    edited_text: string | null;
  }>(
    `SELECT h.data->>'text' AS text, h.data->>'photoId' AS photo_id, cm.state, cm.edited_text
       FROM report_history h LEFT JOIN comment_moderation cm ON cm.history_id = h.id
      WHERE h.id = $2 AND h.report_id = $1 AND h.event = 'comment' AND h.is_public
      FOR UPDATE OF h`,
    [reportId, historyId],
  );
  const r = rows[0];
  return r
    ? { text: r.text ?? '', state: r.state ?? 'published', editedText: r.edited_text, photoId: r.photo_id }
    : null;
}

export async function upsertCommentModeration(
  db: Db,
  historyId: string,
  state: { state: CommentState; editedText: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO comment_moderation (history_id, state, edited_text) VALUES ($1, $2, $3)
     ON CONFLICT (history_id) DO UPDATE SET state = $2, edited_text = $3, updated_at = now()`,
    [historyId, state.state, state.editedText],
  );
}

/** A photo of this report and whether it is hidden, or null. */
export async function lockPhotoOfReport(
  db: Db,
  reportId: string,
  photoId: string,
): Promise<{ isHidden: boolean } | null> {
  const { rows } = await db.query<{ is_hidden: boolean }>(
    'SELECT is_hidden FROM photos WHERE id = $2 AND report_id = $1 FOR UPDATE',
    [reportId, photoId],
  );
  return rows[0] ? { isHidden: rows[0].is_hidden } : null;
}

export async function setPhotoHidden(db: Db, photoId: string, isHidden: boolean): Promise<void> {
  await db.query('UPDATE photos SET is_hidden = $2 WHERE id = $1', [photoId, isHidden]);
}

/** The ids of a report's hidden photos: left out of every public output. */
export async function findHiddenPhotoIds(db: Db, reportId: string): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM photos WHERE report_id = $1 AND is_hidden', [
    reportId,
  ]);
  return new Set(rows.map((r) => r.id));
}

export async function insertModerationAction(
  db: Db,
  action: {
    reportId: string;
    targetKind: 'description' | 'comment' | 'photo';
    targetId: string | null;
    action: 'hide' | 'edit' | 'restore' | 'publish';
    reason: string;
    originalText: string | null;
    newText: string | null;
    actorId: number;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO moderation_actions (report_id, target_kind, target_id, action, reason, original_text, new_text, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      action.reportId,
      action.targetKind,
      action.targetId,
      action.action,
      action.reason,
      action.originalText,
      action.newText,
      action.actorId,
    ],
  );
}

/** Every moderation action on a report, oldest first, with the moderator's name. */
export async function findModerationActions(db: Db, reportId: string): Promise<ModerationAction[]> {
  const { rows } = await db.query<{
    id: string;
    report_id: string;
    target_kind: ModerationAction['targetKind'];
    target_id: string | null;
    action: string;
    reason: string;
    original_text: string | null;
    new_text: string | null;
    actor_id: number;
    actor_name: string;
    at: Date;
  }>(
    `SELECT m.id::text, m.report_id, m.target_kind, m.target_id, m.action, m.reason, m.original_text, m.new_text,
            m.actor_id, coalesce(nullif(s.display_name, ''), s.email) AS actor_name, m.at
       FROM moderation_actions m JOIN staff_users s ON s.id = m.actor_id
       -- Through the report: staff of another town read none of its actions (row-level security, 030).
       JOIN reports r ON r.id = m.report_id
      WHERE m.report_id = $1 ORDER BY m.at, m.id`,
    [reportId],
  );
  return rows.map((r) => ({
    id: r.id,
    reportId: r.report_id,
    targetKind: r.target_kind,
    targetId: r.target_id,
    action: r.action,
    reason: r.reason,
    originalText: r.original_text,
    newText: r.new_text,
    actor: { id: r.actor_id, name: r.actor_name },
    at: r.at.toISOString(),
  }));
}

/** Records a flag; false when this client already has an open flag on the same target. */
export async function insertFlag(
  db: Db,
  flag: { reportId: string; target: FlagTarget; targetId: string | null; reason: FlagReason; clientHash: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO moderation_flags (report_id, target_kind, target_id, reason, client_hash)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [flag.reportId, flag.target, flag.targetId, flag.reason, flag.clientHash],
  );
  return (rowCount ?? 0) > 0;
}

/** Closes the open flags of one target; returns how many. */
export async function resolveFlags(
  db: Db,
  target: { reportId: string; target: FlagTarget; targetId: string | null },
  resolution: { outcome: 'dismissed' | 'hidden'; userId: number },
): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE moderation_flags SET resolved_at = now(), resolved_by = $4, outcome = $5
      WHERE report_id = $1 AND target_kind = $2 AND target_id IS NOT DISTINCT FROM $3 AND resolved_at IS NULL`,
    [target.reportId, target.target, target.targetId, resolution.userId, resolution.outcome],
  );
  return rowCount ?? 0;
}

export interface QueueRow {
  report_id: string;
  ref: string;
  target: FlagTarget;
  target_id: string | null;
  text: string | null;
  photo_id: string | null;
  flag_count: number;
  reasons: string[];
  is_held: boolean;
  is_hidden: boolean;
  first_at: Date;
}

/**
 * The moderation queue: every target with open flags (most flagged first), then comments the word list
 * held back. Text as written: this is a staff view.
 */
export async function findModerationQueue(db: Db, limit: number): Promise<QueueRow[]> {
  const { rows } = await db.query<QueueRow>(
    `WITH flagged AS (
       SELECT report_id, target_kind AS target, target_id, count(*)::int AS flag_count,
              array_agg(DISTINCT reason ORDER BY reason) AS reasons, min(created_at) AS first_at
         FROM moderation_flags WHERE resolved_at IS NULL
        GROUP BY report_id, target_kind, target_id),
     held AS (
       SELECT h.report_id, 'comment'::text AS target, h.id::text AS target_id, 0 AS flag_count,
              '{}'::text[] AS reasons, h.at AS first_at
         FROM comment_moderation cm JOIN report_history h ON h.id = cm.history_id
        WHERE cm.state = 'held'
          AND NOT EXISTS (SELECT 1 FROM flagged f WHERE f.target = 'comment' AND f.target_id = h.id::text)),
     items AS (SELECT * FROM flagged UNION ALL SELECT * FROM held)
     SELECT i.report_id, r.ref, i.target, i.target_id, i.flag_count, i.reasons, i.first_at,
            CASE i.target WHEN 'report' THEN r.description WHEN 'comment' THEN h.data->>'text' END AS text,
            CASE i.target WHEN 'photo' THEN p.id::text END AS photo_id,
            coalesce(cm.state = 'held', false) AS is_held,
            CASE i.target WHEN 'report' THEN r.description_hidden WHEN 'comment' THEN coalesce(cm.state = 'hidden', false)
                          ELSE coalesce(p.is_hidden, false) END AS is_hidden
       FROM items i
       JOIN reports r ON r.id = i.report_id
       -- Compared as text: a cast of every target id would fail on the other kinds' ids.
       LEFT JOIN report_history h ON i.target = 'comment' AND h.id::text = i.target_id AND h.report_id = i.report_id
       LEFT JOIN comment_moderation cm ON i.target = 'comment' AND cm.history_id = h.id
       LEFT JOIN photos p ON i.target = 'photo' AND p.id::text = i.target_id AND p.report_id = i.report_id
      ORDER BY i.flag_count DESC, i.first_at
      LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function findModerationWords(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ word: string }>('SELECT word FROM moderation_words ORDER BY word');
  return rows.map((r) => r.word);
}

/** Replaces the whole word list. */
export async function replaceModerationWords(db: Db, words: readonly string[]): Promise<void> {
  await db.query('DELETE FROM moderation_words');
  if (words.length > 0) {
    await db.query('INSERT INTO moderation_words (word) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [words]);
  }
}
