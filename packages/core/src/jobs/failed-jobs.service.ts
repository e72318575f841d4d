import { AppError, type FailedJobs, type FailedJobsQuery, type RetriedJob } from '@pave/shared';
import type { Job, Queue } from 'bullmq';
import type { Db } from '../db/pool';
import { withTimeout } from '../queue/queue';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { findJobSubjects, type JobSubject } from './jobs.repo';

export interface FailedJobsDeps {
  db: Db;
  queue: Queue;
}

/** Jobs touch the whole city's pipeline, not one team's queue: supervisors and admins only. */
const ROLES = ['supervisor', 'admin'] as const;
// Staff pages ask Redis directly; a Redis that does not answer quickly is reported as unavailable.
const REDIS_TIMEOUT_MS = 3_000;

/** Jobs that failed for good (attempts exhausted or unrecoverable), newest first, with the report each concerns. */
export async function listFailedJobs(
  deps: FailedJobsDeps,
  user: StaffUser,
  query: FailedJobsQuery,
): Promise<FailedJobs> {
  requireRole(user, ROLES);
  const limit = Math.min(query.limit ?? 100, 500);
  const [jobs, total] = await redisCall(Promise.all([deps.queue.getFailed(0, limit - 1), deps.queue.getFailedCount()]));
  const present = jobs.filter((j): j is Job => Boolean(j?.id));
  const field = (j: Job, key: string) => (j.data as Record<string, unknown> | null)?.[key];
  const strings = (key: string) =>
    present.map((j) => field(j, key)).filter((v): v is string => typeof v === 'string' && isSafeId(key, v));
  const subjects = await findJobSubjects(deps.db, {
    reportIds: strings('reportId'),
    photoIds: strings('photoId'),
    historyIds: strings('historyId'),
  });
  const subjectOf = (j: Job): JobSubject | undefined =>
    subjects.byReport.get(String(field(j, 'reportId'))) ??
    subjects.byPhoto.get(String(field(j, 'photoId'))) ??
    subjects.byHistory.get(String(field(j, 'historyId')));
  return {
    total,
    jobs: present.map((j) => {
      const subject = subjectOf(j);
      return {
        queue: deps.queue.name,
        name: j.name,
        id: j.id!,
        reportId: subject?.reportId ?? null,
        ref: subject?.ref ?? null,
        // Reasons are our own error messages (ids, no personal data); long stacks are cut.
        failedReason: (j.failedReason ?? '').slice(0, 500),
        attemptsMade: j.attemptsMade,
        finishedOn: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      };
    }),
  };
}

/** Puts a failed job back in the queue with fresh attempts; 404 when no failed job has this id. */
export async function retryFailedJob(deps: FailedJobsDeps, user: StaffUser, jobId: string): Promise<RetriedJob> {
  requireRole(user, ROLES);
  const job = await redisCall(deps.queue.getJob(jobId));
  if (!job) throw new AppError('JOB_NOT_FOUND', 'No job with this id.');
  const state = await redisCall(job.getState());
  if (state !== 'failed') throw new AppError('JOB_NOT_FAILED', `This job is ${state}, not failed.`);
  try {
    await redisCall(job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }));
  } catch (error) {
    // Two people pressing "retry" at once: the second finds the job already waiting.
    const now = await redisCall(job.getState());
    if (now !== 'failed') throw new AppError('JOB_NOT_FAILED', `This job is ${now}, not failed.`);
    throw error;
  }
  return { id: jobId, state: await redisCall(job.getState()) };
}

function isSafeId(key: string, value: string): boolean {
  return key === 'historyId' ? /^[0-9]{1,18}$/.test(value) : /^[0-9a-f-]{36}$/i.test(value);
}

async function redisCall<T>(promise: Promise<T>): Promise<T> {
  try {
    return await withTimeout(promise, REDIS_TIMEOUT_MS, 'job store request');
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('SERVICE_UNAVAILABLE', 'The job store (Redis) is unavailable; try again shortly.');
  }
}
