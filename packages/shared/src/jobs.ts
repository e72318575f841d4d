import { Type, type Static } from 'typebox';

/** Every job the worker knows. Payloads carry ids, never data. */
export const JOBS = {
  'photo.process': Type.Object({ photoId: Type.String({ format: 'uuid' }) }),
  'report.route': Type.Object({ reportId: Type.String({ format: 'uuid' }) }),
  /** Mails the reporter and followers about one history entry (acknowledgement, status change). */
  'report.notify': Type.Object({ historyId: Type.String({ pattern: '^[0-9]+$' }) }),
  /** Runs at a report's deadline (and at twice its deadline): tells the team and supervisors if it is still open. */
  'report.late': Type.Object({
    reportId: Type.String({ format: 'uuid' }),
    deadlineAt: Type.String({ format: 'date-time' }),
    level: Type.Enum(['late', 'very_late']),
  }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Deterministic job ids de-duplicate enqueues of the same work (BullMQ ignores a known id). */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayload<N>): string {
  switch (name) {
    case 'photo.process':
      return `photo-${(payload as JobPayload<'photo.process'>).photoId}`;
    case 'report.route':
      return `route-${(payload as JobPayload<'report.route'>).reportId}`;
    case 'report.notify':
      return `notify-${(payload as JobPayload<'report.notify'>).historyId}`;
    case 'report.late': {
      // The deadline is part of the id: re-routing sets a new deadline and schedules new checks.
      const late = payload as JobPayload<'report.late'>;
      return `late-${late.reportId}-${late.level}-${Date.parse(late.deadlineAt)}`;
    }
    default:
      throw new Error(`unknown job ${String(name)}`);
  }
}

/** The single BullMQ queue; job names select the handler. */
export const QUEUE_NAME = 'pave';
