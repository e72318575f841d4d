import type { ReportStatus } from './reports';

/**
 * The one table of allowed status changes, enforced by the API. Closed states (resolved, rejected,
 * duplicate, transferred) only ever reopen; reopening goes back into the open flow.
 */
export const TRANSITIONS: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  new: ['acknowledged', 'scheduled', 'in_progress', 'resolved', 'rejected', 'duplicate', 'transferred'],
  acknowledged: ['scheduled', 'in_progress', 'resolved', 'rejected', 'duplicate', 'transferred'],
  scheduled: ['acknowledged', 'in_progress', 'resolved', 'rejected', 'duplicate', 'transferred'],
  in_progress: ['scheduled', 'resolved', 'rejected', 'transferred'],
  resolved: ['reopened'],
  rejected: ['reopened'],
  duplicate: ['reopened'],
  transferred: ['reopened'],
  reopened: ['acknowledged', 'scheduled', 'in_progress', 'resolved', 'rejected', 'duplicate', 'transferred'],
};

/** Whether a report may go from `from` to `to`. */
export function canTransition(from: ReportStatus, to: ReportStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What a transition must carry besides the target status. */
export const TRANSITION_REQUIREMENTS: Partial<
  Record<ReportStatus, 'reason' | 'duplicateOf' | 'transferredTo' | 'scheduledFor'>
> = {
  rejected: 'reason',
  duplicate: 'duplicateOf',
  transferred: 'transferredTo',
  scheduled: 'scheduledFor',
};

/**
 * The reasons for a rejection a new city starts with (migration 023 seeds them); admins manage the
 * live list (`rejection_reasons`, see city-voice.ts), which the API checks.
 */
export const REJECTION_REASONS = {
  'hors-competence': { fr: 'Hors de la compétence de la Ville', en: 'Not the city’s responsibility' },
  'domaine-prive': { fr: 'Situé sur le domaine privé', en: 'On private property' },
  introuvable: { fr: 'Problème introuvable sur place', en: 'Problem not found on site' },
  'deja-traite': { fr: 'Déjà traité', en: 'Already dealt with' },
  abusif: { fr: 'Signalement abusif', en: 'Abusive report' },
} as const;
export type RejectionReason = keyof typeof REJECTION_REASONS;

/** `agent`: a town-hall counter or call-centre agent who files reports for residents and does not triage. */
export const STAFF_ROLES = ['crew', 'supervisor', 'council', 'admin', 'agent'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
