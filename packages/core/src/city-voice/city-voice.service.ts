import {
  AppError,
  REPORT_STATUSES,
  type CityMessageTemplate,
  type CityRejectionReason,
  type CityVoice,
  type MessageTemplateBody,
  type MessageTemplates,
  type RejectionReasonBody,
  type RejectionReasons,
  type ReportStatus,
} from '@pave/shared';
import { recordChange } from '../admin/admin-audit.service';
import { withTransaction, type Db, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import {
  findMessageTemplate,
  findMessageTemplates,
  findRejectionReason,
  findRejectionReasons,
  upsertMessageTemplate,
  upsertRejectionReason,
} from './city-voice.repo';

const CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;

function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (!text || text.length > max) {
    throw new AppError('VALIDATION_FAILED', `${field} needs 1 to ${max} characters.`);
  }
  return text;
}

function requireCode(code: string): void {
  if (!CODE.test(code)) {
    throw new AppError('VALIDATION_FAILED', 'A code is 2–40 lower-case letters, digits or dashes.');
  }
}

/** What staff choose from when they change a status: active reasons and templates. */
export async function getCityVoice(deps: { db: Pool }, user: StaffUser): Promise<CityVoice> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  return {
    reasons: await findRejectionReasons(deps.db, true),
    templates: await findMessageTemplates(deps.db, true),
  };
}

export async function listRejectionReasons(deps: { db: Pool }, user: StaffUser): Promise<RejectionReasons> {
  requireRole(user, ['admin']);
  return { reasons: await findRejectionReasons(deps.db, false) };
}

/** Creates or edits a rejection reason, in both languages; audited. */
export async function saveRejectionReason(
  deps: { db: Pool },
  user: StaffUser,
  code: string,
  body: RejectionReasonBody,
): Promise<CityRejectionReason> {
  requireRole(user, ['admin']);
  requireCode(code);
  const label = { fr: requireText(body.labelFr, 'labelFr', 200), en: requireText(body.labelEn, 'labelEn', 200) };
  return withTransaction(deps.db, async (tx) => {
    const before = await findRejectionReason(tx, code);
    const after = await upsertRejectionReason(tx, {
      code,
      label,
      position: body.position ?? before?.position ?? 0,
      isActive: body.isActive ?? before?.isActive ?? true,
    });
    await recordChange(tx, user, 'rejection-reason.save', { id: code, before, after });
    return after;
  });
}

export async function listMessageTemplates(deps: { db: Pool }, user: StaffUser): Promise<MessageTemplates> {
  requireRole(user, ['admin']);
  return { templates: await findMessageTemplates(deps.db, false) };
}

/** Creates or edits a public message template, in both languages; audited. */
export async function saveMessageTemplate(
  deps: { db: Pool },
  user: StaffUser,
  code: string,
  body: MessageTemplateBody,
): Promise<CityMessageTemplate> {
  requireRole(user, ['admin']);
  requireCode(code);
  const unknown = body.statuses.find((s) => !(REPORT_STATUSES as readonly string[]).includes(s));
  if (unknown !== undefined) throw new AppError('VALIDATION_FAILED', `Unknown status "${unknown.slice(0, 40)}".`);
  const text = { fr: requireText(body.textFr, 'textFr', 2000), en: requireText(body.textEn, 'textEn', 2000) };
  return withTransaction(deps.db, async (tx) => {
    const before = await findMessageTemplate(tx, code);
    const after = await upsertMessageTemplate(tx, {
      code,
      statuses: body.statuses as ReportStatus[],
      text,
      position: body.position ?? before?.position ?? 0,
      isActive: body.isActive ?? before?.isActive ?? true,
    });
    await recordChange(tx, user, 'message-template.save', { id: code, before, after });
    return after;
  });
}

/** An active rejection reason by code, for a rejection; TRANSITION_INCOMPLETE otherwise. */
export async function requireActiveRejectionReason(db: Db, code: string | undefined): Promise<CityRejectionReason> {
  const reason = code ? await findRejectionReason(db, code) : null;
  if (!reason?.isActive) {
    const codes = (await findRejectionReasons(db, true)).map((r) => r.code);
    throw new AppError('TRANSITION_INCOMPLETE', `A rejection needs a reason: ${codes.join(', ')}.`);
  }
  return reason;
}
