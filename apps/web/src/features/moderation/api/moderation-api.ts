import type {
  AdminCategories,
  AdminCategory,
  CityMessageTemplate,
  CityRejectionReason,
  FlagBody,
  MessageTemplateBody,
  MessageTemplates,
  RejectionReasonBody,
  RejectionReasons,
  ModerationActionBody,
  ModerationActions,
  ModerationQueue,
  ModerationWords,
  ResolveFlagsBody,
} from '@pave/shared';
import { requestJson } from '../../../lib/api-client';
import { getDeviceId } from '../../../lib/device-id';

const send = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** A resident's "this is abusive" on a report, one of its comments or photos. */
export const flagContent = (reportId: string, body: FlagBody) =>
  requestJson<{ ok: boolean }>(
    `/api/reports/${encodeURIComponent(reportId)}/flags`,
    send('POST', body, { 'X-Pave-Device': getDeviceId() }),
  );

/** What a moderator's action applies to: the description, a comment (its id) or a photo (its id). */
export type ModerationTarget =
  { kind: 'description' } | { kind: 'comment'; id: string } | { kind: 'photo'; id: string };

function targetPath(reportId: string, target: ModerationTarget): string {
  const base = `/api/moderation/reports/${encodeURIComponent(reportId)}`;
  if (target.kind === 'description') return `${base}/description`;
  return `${base}/${target.kind === 'comment' ? 'comments' : 'photos'}/${encodeURIComponent(target.id)}`;
}

export const moderate = (reportId: string, target: ModerationTarget, body: ModerationActionBody) =>
  requestJson<{ ok: boolean }>(targetPath(reportId, target), send('POST', body));

export const fetchModerationActions = (reportId: string) =>
  requestJson<ModerationActions>(`/api/moderation/reports/${encodeURIComponent(reportId)}/actions`);

export const fetchModerationQueue = () => requestJson<ModerationQueue>('/api/moderation/queue');

export const resolveFlags = (body: ResolveFlagsBody) =>
  requestJson<{ resolved: number }>('/api/moderation/queue/resolve', send('POST', body));

export const fetchModerationWords = () => requestJson<ModerationWords>('/api/moderation/words');

export const saveModerationWords = (words: string[]) =>
  requestJson<ModerationWords>('/api/moderation/words', send('PUT', { words }));

export const fetchRejectionReasons = () => requestJson<RejectionReasons>('/api/admin/rejection-reasons');
export const saveRejectionReason = (code: string, body: RejectionReasonBody) =>
  requestJson<CityRejectionReason>(`/api/admin/rejection-reasons/${encodeURIComponent(code)}`, send('PUT', body));

export const fetchMessageTemplates = () => requestJson<MessageTemplates>('/api/admin/message-templates');
export const saveMessageTemplate = (code: string, body: MessageTemplateBody) =>
  requestJson<CityMessageTemplate>(`/api/admin/message-templates/${encodeURIComponent(code)}`, send('PUT', body));

export const fetchCategoryRadii = () => requestJson<AdminCategories>('/api/admin/categories');
export const saveCategoryRadius = (code: string, duplicateRadiusM: number) =>
  requestJson<AdminCategory>(`/api/admin/categories/${encodeURIComponent(code)}`, send('PATCH', { duplicateRadiusM }));
