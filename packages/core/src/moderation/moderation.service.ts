import {
  AppError,
  findListedWords,
  isUuid,
  MODERATION_LIMITS,
  MODERATOR_ROLES,
  normaliseWord,
  type FlagBody,
  type ModerationActionBody,
  type ModerationActions,
  type ModerationQueue,
  type ModerationWords,
  type ResolveFlagsBody,
} from '@pave/shared';
import { createHash } from 'node:crypto';
import { withTransaction, type Db, type Pool } from '../db/pool';
import { renditionKey } from '../photos/photos.service';
import type { RedisConnection } from '../queue/queue';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import type { Storage } from '../storage/storage';
import {
  findModerationActions,
  findModerationQueue,
  findModerationWords,
  insertFlag,
  insertModerationAction,
  lockComment,
  lockDescription,
  lockPhotoOfReport,
  replaceModerationWords,
  resolveFlags,
  setPhotoHidden,
  updateDescriptionModeration,
  upsertCommentModeration,
} from './moderation.repo';

const notFound = () => new AppError('REPORT_NOT_FOUND', 'No report with this id.');
const targetNotFound = () => new AppError('MODERATION_TARGET_NOT_FOUND', 'No such comment or photo on this report.');

function requireReason(reason: string): string {
  const text = reason.trim();
  if (!text) throw new AppError('MODERATION_REASON_REQUIRED', 'Say why: the reason is kept with the action.');
  return text;
}

function requireEditText(text: string | undefined): string {
  const edited = text?.trim() ?? '';
  if (!edited) throw new AppError('VALIDATION_FAILED', 'An edit needs the new text.');
  return edited;
}

function refuseAction(action: string, what: string): never {
  throw new AppError('VALIDATION_FAILED', `"${action}" does not apply to ${what}.`);
}

/** Hides, edits or restores a report's description; the original is kept with the action. */
export async function moderateDescription(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
  body: ModerationActionBody,
): Promise<{ ok: true }> {
  requireRole(user, MODERATOR_ROLES);
  if (!isUuid(reportId)) throw notFound();
  const reason = requireReason(body.reason);
  const newText = body.action === 'edit' ? requireEditText(body.text) : null;
  if (newText !== null && newText.length > MODERATION_LIMITS.textMaxLength) {
    throw new AppError('DESCRIPTION_TOO_LONG', 'The description is too long.');
  }
  await withTransaction(deps.db, async (tx) => {
    const current = await lockDescription(tx, reportId);
    if (!current) throw notFound();
    const next = { ...current };
    if (body.action === 'hide') next.isHidden = true;
    else if (body.action === 'restore') next.isHidden = false;
    else if (body.action === 'edit') Object.assign(next, { description: newText!, isEdited: true, isHidden: false });
    else refuseAction(body.action, 'a description');
    await updateDescriptionModeration(tx, reportId, next);
    await insertModerationAction(tx, {
      reportId,
      targetKind: 'description',
      targetId: null,
      action: body.action,
      reason,
      originalText: current.description,
      newText,
      actorId: user.id,
    });
    if (body.action !== 'restore') {
      await resolveFlags(tx, { reportId, target: 'report', targetId: null }, { outcome: 'hidden', userId: user.id });
    }
  });
  return { ok: true };
}

/** Hides, edits, restores or publishes (when held by the word list) a resident's comment. */
export async function moderateComment(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
  commentId: string,
  body: ModerationActionBody,
): Promise<{ ok: true }> {
  requireRole(user, MODERATOR_ROLES);
  if (!isUuid(reportId)) throw notFound();
  if (!/^\d{1,18}$/.test(commentId)) throw targetNotFound();
  const reason = requireReason(body.reason);
  const newText = body.action === 'edit' ? requireEditText(body.text) : null;
  if (newText !== null && newText.length > 2000) throw new AppError('COMMENT_INVALID', 'The comment is too long.');
  await withTransaction(deps.db, async (tx) => {
    const current = await lockComment(tx, reportId, commentId);
    if (!current) throw targetNotFound();
    const shown = current.editedText ?? current.text;
    if (body.action === 'hide') await upsertCommentModeration(tx, commentId, { ...current, state: 'hidden' });
    else if (body.action === 'edit')
      await upsertCommentModeration(tx, commentId, { state: 'published', editedText: newText });
    else if (body.action === 'restore' || body.action === 'publish')
      await upsertCommentModeration(tx, commentId, { state: 'published', editedText: current.editedText });
    await insertModerationAction(tx, {
      reportId,
      targetKind: 'comment',
      targetId: commentId,
      action: body.action,
      reason,
      originalText: shown,
      newText,
      actorId: user.id,
    });
    const outcome = body.action === 'hide' || body.action === 'edit' ? 'hidden' : 'dismissed';
    await resolveFlags(tx, { reportId, target: 'comment', targetId: commentId }, { outcome, userId: user.id });
  });
  return { ok: true };
}

/** Hides or restores a photo: it stays stored (staff see it) but leaves every public output. */
export async function moderatePhoto(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
  photoId: string,
  body: ModerationActionBody,
): Promise<{ ok: true }> {
  requireRole(user, MODERATOR_ROLES);
  if (!isUuid(reportId)) throw notFound();
  if (!isUuid(photoId)) throw targetNotFound();
  if (body.action !== 'hide' && body.action !== 'restore') refuseAction(body.action, 'a photo');
  const reason = requireReason(body.reason);
  await withTransaction(deps.db, async (tx) => {
    if (!(await lockPhotoOfReport(tx, reportId, photoId))) throw targetNotFound();
    await setPhotoHidden(tx, photoId, body.action === 'hide');
    await insertModerationAction(tx, {
      reportId,
      targetKind: 'photo',
      targetId: photoId,
      action: body.action,
      reason,
      originalText: null,
      newText: null,
      actorId: user.id,
    });
    const outcome = body.action === 'hide' ? 'hidden' : 'dismissed';
    await resolveFlags(tx, { reportId, target: 'photo', targetId: photoId }, { outcome, userId: user.id });
  });
  return { ok: true };
}

/** Who did what to a report's content, when, why, and the text before: for staff. */
export async function listModerationActions(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
): Promise<ModerationActions> {
  requireRole(user, MODERATOR_ROLES);
  if (!isUuid(reportId)) throw notFound();
  return { actions: await findModerationActions(deps.db, reportId) };
}

/**
 * A resident's "this is abusive". Counted once per client and target; a client may send only a few an
 * hour (429), since a flag costs a moderator's time. The client is kept only as a salted hash.
 */
export async function flagContent(
  deps: { db: Pool; redis: RedisConnection; rateLimitPrefix: string; flagSalt: string },
  input: { reportId: string; body: FlagBody; ip: string; deviceId: string | undefined },
): Promise<{ ok: true }> {
  if (!isUuid(input.reportId)) throw notFound();
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [{ key: `flag:ip:${input.ip}`, max: MODERATION_LIMITS.flagsPerClientPerHour, windowSeconds: 3600 }],
    'Too many reports of abuse from this network; try again later.',
  );
  const { target } = input.body;
  const targetId = target === 'report' ? null : (input.body.targetId ?? '');
  await withTransaction(deps.db, async (tx) => {
    if (!(await lockDescription(tx, input.reportId))) throw notFound();
    if (target === 'comment') {
      const comment = /^\d{1,18}$/.test(targetId!) ? await lockComment(tx, input.reportId, targetId!) : null;
      if (!comment || comment.state === 'held') throw targetNotFound();
    }
    if (target === 'photo') {
      const photo = isUuid(targetId!) ? await lockPhotoOfReport(tx, input.reportId, targetId!) : null;
      if (!photo) throw targetNotFound();
    }
    const clientHash = createHash('sha256')
      .update(`${deps.flagSalt}|${input.ip}|${input.deviceId ?? ''}`)
      .digest('hex');
    await insertFlag(tx, { reportId: input.reportId, target, targetId, reason: input.body.reason, clientHash });
  });
  return { ok: true };
}

/** The moderation queue: flagged content with counts, then comments held by the word list. */
export async function listModerationQueue(
  deps: { db: Pool; storage: Storage },
  user: StaffUser,
): Promise<ModerationQueue> {
  requireRole(user, MODERATOR_ROLES);
  const rows = await findModerationQueue(deps.db, 200);
  return {
    items: rows.map((r) => ({
      reportId: r.report_id,
      ref: r.ref,
      target: r.target,
      targetId: r.target_id,
      text: r.text,
      photoUrl: r.photo_id ? deps.storage.publicUrl(renditionKey(r.photo_id, 'thumb')) : null,
      flagCount: r.flag_count,
      reasons: r.reasons,
      isHeld: r.is_held,
      isHidden: r.is_hidden,
      firstAt: r.first_at.toISOString(),
    })),
  };
}

/** Closes a target's open flags: dismissed, or hidden (which hides the target, with the reason). */
export async function resolveModerationFlags(
  deps: { db: Pool },
  user: StaffUser,
  body: ResolveFlagsBody,
): Promise<{ resolved: number }> {
  requireRole(user, MODERATOR_ROLES);
  if (!isUuid(body.reportId)) throw notFound();
  const targetId = body.target === 'report' ? null : (body.targetId ?? '');
  if (body.outcome === 'hidden') {
    const action = { action: 'hide' as const, reason: body.reason ?? '' };
    if (body.target === 'report') await moderateDescription(deps, user, body.reportId, action);
    else if (body.target === 'comment') await moderateComment(deps, user, body.reportId, targetId!, action);
    else await moderatePhoto(deps, user, body.reportId, targetId!, action);
    return { resolved: 1 };
  }
  const resolved = await resolveFlags(
    deps.db,
    { reportId: body.reportId, target: body.target, targetId },
    { outcome: 'dismissed', userId: user.id },
  );
  return { resolved };
}

export async function listModerationWords(deps: { db: Pool }, user: StaffUser): Promise<ModerationWords> {
  requireRole(user, ['admin']);
  return { words: await findModerationWords(deps.db) };
}

/** Replaces the word list (admins): lower case, without accents, 2–60 characters each. */
export async function saveModerationWords(
  deps: { db: Pool },
  user: StaffUser,
  body: ModerationWords,
): Promise<ModerationWords> {
  requireRole(user, ['admin']);
  const words = [...new Set(body.words.map((w) => normaliseWord(w).trim().replace(/\s+/g, ' ')))].filter(Boolean);
  const bad = words.find((w) => w.length < 2 || w.length > 60);
  if (bad !== undefined)
    throw new AppError('VALIDATION_FAILED', `"${bad.slice(0, 60)}": a word has 2 to 60 characters.`);
  await withTransaction(deps.db, (tx) => replaceModerationWords(tx, words));
  return { words: await findModerationWords(deps.db) };
}

/**
 * Holds a new comment for review when it contains a listed word: it stays out of public view until a
 * moderator publishes it. Runs in the comment's own transaction.
 */
export async function holdCommentIfListed(tx: Db, historyId: string, text: string): Promise<boolean> {
  if (!text) return false;
  const words = await findModerationWords(tx);
  if (findListedWords(text, words).length === 0) return false;
  await upsertCommentModeration(tx, historyId, { state: 'held', editedText: null });
  return true;
}
