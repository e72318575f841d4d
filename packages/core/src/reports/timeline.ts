import { PUBLIC_STATUS, type Label, type TimelineEntry } from '@pave/shared';
import type { Pool } from '../db/pool';
import { renditionKey } from '../photos/photos.service';
import type { Storage } from '../storage/storage';
import { findPublicTimeline, type TimelineRow } from './follow-up.repo';

function labelOf(row: TimelineRow): Label {
  switch (row.event) {
    case 'created':
      return { fr: 'Signalement reçu', en: 'Report received' };
    case 'routed': {
      const team = typeof row.data.teamName === 'string' ? row.data.teamName : '';
      return { fr: `Transmis à ${team}`, en: `Sent to ${team}` };
    }
    case 'status_changed':
      if (row.to_status === 'reopened' && row.data.reason === 'not_fixed') {
        return { fr: 'Rouvert : le problème n’est pas réparé', en: 'Reopened: the problem is not fixed' };
      }
      // The city's voice: why it was rejected, where it was sent.
      if (row.to_status === 'rejected' && row.reason_fr && row.reason_en) {
        return { fr: `Rejeté : ${row.reason_fr}`, en: `Rejected: ${row.reason_en}` };
      }
      if (row.to_status === 'transferred' && typeof row.data.transferredTo === 'string') {
        return { fr: `Transmis à ${row.data.transferredTo}`, en: `Transferred to ${row.data.transferredTo}` };
      }
      return row.to_status ? PUBLIC_STATUS[row.to_status].label : { fr: 'Mise à jour', en: 'Update' };
    case 'comment':
      return { fr: 'Commentaire d’un habitant', en: 'Comment from a resident' };
    case 'confirmed_fixed':
      return { fr: 'Réparation confirmée par un habitant', en: 'Fix confirmed by a resident' };
    default:
      return { fr: 'Mise à jour', en: 'Update' };
  }
}

/**
 * The public timeline of a report: what happened and public messages, never who (beyond the team).
 * For the public, a comment held by the word list is left out and a hidden one (or a hidden photo) shows
 * only that it was moderated; staff read everything as written, with its moderation state.
 */
export async function buildPublicTimeline(
  deps: { db: Pool; storage: Storage },
  reportId: string,
  audience: 'public' | 'staff' = 'public',
): Promise<TimelineEntry[]> {
  const isPublic = audience === 'public';
  const rows = (await findPublicTimeline(deps.db, reportId)).filter(
    (row) => !(isPublic && row.comment_state === 'held'),
  );
  return rows.map((row) => {
    // `note` is internal and never read here: only public messages reach the timeline.
    const written = row.data.message ?? row.data.text ?? row.data.comment ?? null;
    const isHidden = row.comment_state === 'hidden';
    const moderation = isHidden ? 'hidden' : row.comment_state === 'held' ? 'held' : row.edited_text ? 'edited' : null;
    const message = isPublic ? (isHidden ? null : (row.edited_text ?? written)) : written;
    const photoId = typeof row.data.photoId === 'string' ? row.data.photoId : null;
    const isPhotoShown = photoId !== null && !(isPublic && (isHidden || row.is_photo_hidden));
    return {
      at: row.at.toISOString(),
      event: row.event,
      status: row.to_status,
      label: labelOf(row),
      message: typeof message === 'string' && message !== '' ? message : null,
      photoUrl: isPhotoShown ? deps.storage.publicUrl(renditionKey(photoId, 'thumb')) : null,
      commentId: row.event === 'comment' ? row.id : null,
      moderation,
    };
  });
}
