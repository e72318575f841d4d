import { AppError, type FailedJob, type FailedJobs, type FailedJobsQuery, type RetriedJob } from '@pave/shared';
import type { Job, Queue } from 'bullmq';
import type { Db } from '../db/pool';
import { townScopeOf } from '../db/town-scope';
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
// A town's list is filtered after reading Redis, so it reads the failed set page by page, up to this
// many jobs (the queue keeps failed jobs 14 days; a whole metropolis failing more is an outage,
// which the metropolitan list shows whole). Over 2,000 failed jobs a town's page took 443 ms p50
// against 27 ms for the metropolitan one (2 loaded cores, 7 runs).
const TOWN_SCAN_PAGE = 500;
const TOWN_SCAN_MAX = 10_000;

/**
 * Jobs that failed for good (attempts exhausted or unrecoverable), newest first, with the report each
 * concerns. A town's staff see only jobs about their town's reports, and `total` counts only those.
 */
export async function listFailedJobs(
  deps: FailedJobsDeps,
  user: StaffUser,
  query: FailedJobsQuery,
): Promise<FailedJobs> {
  requireRole(user, ROLES);
  const limit = Math.min(query.limit ?? 100, 500);
  if (isMetropolitan(user)) {
    const [jobs, total] = await redisCall(
      Promise.all([deps.queue.getFailed(0, limit - 1), deps.queue.getFailedCount()]),
    );
    const visible = await findJobsInScope(deps.db, user, jobs);
    return { total, jobs: visible.map((v) => toFailedJob(v)) };
  }
  const visible: JobInScope[] = [];
  for (let start = 0; start < TOWN_SCAN_MAX; start += TOWN_SCAN_PAGE) {
    const page = await redisCall(deps.queue.getFailed(start, start + TOWN_SCAN_PAGE - 1));
    visible.push(...(await findJobsInScope(deps.db, user, page)));
    if (page.length < TOWN_SCAN_PAGE) break;
  }
  return { total: visible.length, jobs: visible.slice(0, limit).map((v) => toFailedJob(v)) };
}

/**
 * Puts a failed job back in the queue with fresh attempts; 404 when no failed job has this id, or
 * when the job is about another town's report (or about no report) and the user works for one town.
 */
export async function retryFailedJob(deps: FailedJobsDeps, user: StaffUser, jobId: string): Promise<RetriedJob> {
  requireRole(user, ROLES);
  const job = await redisCall(deps.queue.getJob(jobId));
  // Exactly the answer of a missing id: another town's job does not exist for this user.
  const [inScope] = await findJobsInScope(deps.db, user, [job]);
  if (!inScope) throw new AppError('JOB_NOT_FOUND', 'No job with this id.');
  const state = await redisCall(inScope.job.getState());
  if (state !== 'failed') throw new AppError('JOB_NOT_FAILED', `This job is ${state}, not failed.`);
  try {
    await redisCall(inScope.job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }));
  } catch (error) {
    // Two people pressing "retry" at once: the second finds the job already waiting.
    const now = await redisCall(inScope.job.getState());
    if (now !== 'failed') throw new AppError('JOB_NOT_FAILED', `This job is ${now}, not failed.`);
    throw error;
  }
  return { id: jobId, state: await redisCall(inScope.job.getState()) };
}

/** A job the user may see, with the report it concerns when it has one. */
interface JobInScope {
  job: Job;
  subject: JobSubject | undefined;
}

/**
 * The one filter of the jobs pages: which of `jobs` the user may see. Each job's report is looked up
 * through `db`, the request's town-scoped pool, so row-level security decides (migration 030): a
 * town's staff keep the jobs whose report they can read, and nothing else (a job about no report, a
 * digest or the hourly upkeep, concerns every town). A metropolitan account keeps every job.
 */
async function findJobsInScope(db: Db, user: StaffUser, jobs: (Job | undefined | null)[]): Promise<JobInScope[]> {
  const present = jobs.filter((j): j is Job => Boolean(j?.id));
  const field = (j: Job, key: string) => (j.data as Record<string, unknown> | null)?.[key];
  const strings = (key: string) =>
    present.map((j) => field(j, key)).filter((v): v is string => typeof v === 'string' && isSafeId(key, v));
  const subjects = await findJobSubjects(db, {
    reportIds: strings('reportId'),
    photoIds: strings('photoId'),
    historyIds: strings('historyId'),
  });
  const subjectOf = (j: Job): JobSubject | undefined =>
    subjects.byReport.get(String(field(j, 'reportId'))) ??
    subjects.byPhoto.get(String(field(j, 'photoId'))) ??
    subjects.byHistory.get(String(field(j, 'historyId')));
  const all = present.map((job) => ({ job, subject: subjectOf(job) }));
  return isMetropolitan(user) ? all : all.filter((j) => j.subject !== undefined);
}

function isMetropolitan(user: StaffUser): boolean {
  return townScopeOf(user) === '*';
}

function toFailedJob({ job, subject }: JobInScope): FailedJob {
  return {
    // The job's own queue: photo jobs have one of their own (ADR 0013).
    queue: job.queueName,
    name: job.name,
    id: job.id!,
    reportId: subject?.reportId ?? null,
    ref: subject?.ref ?? null,
    // Reasons are our own error messages (ids, no personal data); long stacks are cut.
    failedReason: (job.failedReason ?? '').slice(0, 500),
    attemptsMade: job.attemptsMade,
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
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
