import { Type, type Static } from 'typebox';

/** Every job the worker knows. Payloads carry ids, never data. */
export const JOBS = {
  'photo.process': Type.Object({
    photoId: Type.String({ format: 'uuid' }),
    /** Set when staff change the boxes to blur (the photo's render revision): a new render, so a new job id. */
    revision: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  }),
  'report.route': Type.Object({
    reportId: Type.String({ format: 'uuid' }),
    /** Set when staff requalify a report (the history entry's id): a new routing, so a new job id. */
    revision: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  }),
  /** Mails the reporter and followers about one history entry (acknowledgement, status change). */
  'report.notify': Type.Object({ historyId: Type.String({ pattern: '^[0-9]+$' }) }),
  /** Runs at a report's deadline (and at twice its deadline): tells the team and supervisors if it is still open. */
  'report.late': Type.Object({
    reportId: Type.String({ format: 'uuid' }),
    deadlineAt: Type.String({ format: 'date-time' }),
    level: Type.Enum(['late', 'very_late']),
  }),
  /** Mails the double opt-in link of a new area alert. */
  'alert.confirm': Type.Object({ alertId: Type.String({ pattern: '^[0-9]+$' }) }),
  /**
   * Mails every due alert of a frequency its digest. Scheduled (daily 07:00, weekly Monday 07:00,
   * Europe/Paris); `until` ends the window, by default the run's scheduled time.
   */
  'alerts.digest': Type.Object({
    frequency: Type.Enum(['daily', 'weekly']),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  }),
  /**
   * Gives reports without an address the one at their point, from the city's index. Queued by each
   * address import (`importedAt`, the import's time, gives each its own run).
   */
  'addresses.backfill': Type.Object({ importedAt: Type.String({ format: 'date-time' }) }),
  /** Hourly housekeeping: spent sign-in tokens and never-confirmed area alerts are deleted. */
  'upkeep.hourly': Type.Object({}, { additionalProperties: false }),
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]>;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Deterministic job ids de-duplicate enqueues of the same work (BullMQ ignores a known id). */
export function jobIdFor<N extends JobName>(name: N, payload: JobPayload<N>): string {
  switch (name) {
    case 'photo.process': {
      // Like a requalification: a staff edit is a new render, which the completed first job's id would hide.
      const photo = payload as JobPayload<'photo.process'>;
      return photo.revision ? `photo-${photo.photoId}-${photo.revision}` : `photo-${photo.photoId}`;
    }
    case 'report.route': {
      // The first routing's id de-duplicates enqueues; a requalification needs its own, or BullMQ
      // would see the completed first job and never run it.
      const route = payload as JobPayload<'report.route'>;
      return route.revision ? `route-${route.reportId}-${route.revision}` : `route-${route.reportId}`;
    }
    case 'report.notify':
      return `notify-${(payload as JobPayload<'report.notify'>).historyId}`;
    case 'report.late': {
      // The deadline is part of the id: re-routing sets a new deadline and schedules new checks.
      const late = payload as JobPayload<'report.late'>;
      return `late-${late.reportId}-${late.level}-${Date.parse(late.deadlineAt)}`;
    }
    case 'alert.confirm':
      return `alert-confirm-${(payload as JobPayload<'alert.confirm'>).alertId}`;
    case 'alerts.digest': {
      const digest = payload as JobPayload<'alerts.digest'>;
      return `alerts-digest-${digest.frequency}-${digest.until ? Date.parse(digest.until) : 'now'}`;
    }
    case 'addresses.backfill':
      return `addresses-backfill-${Date.parse((payload as JobPayload<'addresses.backfill'>).importedAt)}`;
    case 'upkeep.hourly':
      // The scheduler gives each run its own id; this one only de-duplicates an enqueue by hand.
      return 'upkeep-hourly';
    default:
      throw new Error(`unknown job ${String(name)}`);
  }
}

/** The BullMQ queue of every light job (routing, mails, deadlines, schedules); job names select the handler. */
export const QUEUE_NAME = 'pave';

/**
 * The queue of photo processing alone: seconds of CPU per photo (face detection), worked with a
 * concurrency of its own, so that a photo backlog never holds up routing (docs/adr/0013).
 */
export const PHOTO_QUEUE_NAME = 'pave-photos';

/** The queue a job goes to. */
export function queueOfJob(name: string): typeof QUEUE_NAME | typeof PHOTO_QUEUE_NAME {
  return name === 'photo.process' ? PHOTO_QUEUE_NAME : QUEUE_NAME;
}

/** A background job that failed for good (GET /api/staff/jobs/failed). */
export const FailedJobSchema = Type.Object({
  queue: Type.String(),
  name: Type.String(),
  id: Type.String(),
  reportId: Type.Union([Type.String(), Type.Null()]),
  ref: Type.Union([Type.String(), Type.Null()]),
  failedReason: Type.String(),
  attemptsMade: Type.Integer(),
  finishedOn: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type FailedJob = Static<typeof FailedJobSchema>;

export const FailedJobsSchema = Type.Object({ jobs: Type.Array(FailedJobSchema), total: Type.Integer() });
export type FailedJobs = Static<typeof FailedJobsSchema>;

export const FailedJobsQuerySchema = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });
export type FailedJobsQuery = Static<typeof FailedJobsQuerySchema>;

export const RetriedJobSchema = Type.Object({ id: Type.String(), state: Type.String() });
export type RetriedJob = Static<typeof RetriedJobSchema>;
