import type { ReportStatus } from './reports';

/** Statuses that read the same to a resident share one colour: a tone. */
export type StatusTone = 'new' | 'active' | 'resolved' | 'closed' | 'reopened';

export const STATUS_TONE: Readonly<Record<ReportStatus, StatusTone>> = {
  new: 'new',
  acknowledged: 'active',
  scheduled: 'active',
  in_progress: 'active',
  resolved: 'resolved',
  rejected: 'closed',
  duplicate: 'closed',
  transferred: 'closed',
  reopened: 'reopened',
};

/** The tones in the order a legend lists them. */
export const STATUS_TONES: readonly StatusTone[] = ['new', 'active', 'resolved', 'closed', 'reopened'];

/**
 * Each tone's colour, the same as the web's `--status-<tone>` CSS variables: for what draws
 * outside CSS (the canvas tiles of the public map).
 */
export const STATUS_TONE_COLOURS: Readonly<Record<StatusTone, string>> = {
  new: '#2563eb',
  active: '#d97706',
  resolved: '#16a34a',
  closed: '#6b7280',
  reopened: '#dc2626',
};

/** The tone of a status; an unknown one (a newer API) reads as closed. */
export function toneOf(status: string): StatusTone {
  return STATUS_TONE[status as ReportStatus] ?? 'closed';
}
