import type { ReportStatus } from '@pave/shared';

/** Statuses that read the same to a resident share one colour. */
export type StatusTone = 'new' | 'active' | 'resolved' | 'closed' | 'reopened';

export const STATUS_TONE: Record<ReportStatus, StatusTone> = {
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

export const STATUS_TONES: StatusTone[] = ['new', 'active', 'resolved', 'closed', 'reopened'];

export function toneOf(status: string): StatusTone {
  return STATUS_TONE[status as ReportStatus] ?? 'closed';
}
