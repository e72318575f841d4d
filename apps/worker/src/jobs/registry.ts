import { CITY_TIME_ZONE, JOB_NAMES, type JobName } from '@pave/shared';
import type { Queue } from 'bullmq';
import { addressesBackfillJob } from './addresses-backfill';
import { alertConfirmJob } from './alert-confirm';
import { ALERTS_DIGEST_SCHEDULES, alertsDigestJob } from './alerts-digest';
import type { JobDefinition, JobSchedule } from './job';
import { photoProcessJob } from './photo-process';
import { reportLateJob } from './report-late';
import { reportNotifyJob } from './report-notify';
import { reportRouteJob } from './report-route';
import { UPKEEP_SCHEDULES, upkeepHourlyJob } from './upkeep-hourly';

/** Every job handler, by name. Checked at start-up against the job names in `@pave/shared`. */
export const JOB_REGISTRY: ReadonlyMap<JobName, JobDefinition> = new Map(
  (
    [
      photoProcessJob,
      reportRouteJob,
      reportNotifyJob,
      reportLateJob,
      alertConfirmJob,
      alertsDigestJob,
      upkeepHourlyJob,
      addressesBackfillJob,
    ] as JobDefinition[]
  ).map((job) => [job.name, job]),
);

/** Repeating jobs, created or updated at start-up (idempotent: one scheduler per id, whatever the workers). */
export const JOB_SCHEDULES: readonly JobSchedule[] = [...ALERTS_DIGEST_SCHEDULES, ...UPKEEP_SCHEDULES];

export async function upsertJobSchedules(
  queue: Queue,
  schedules: readonly JobSchedule[] = JOB_SCHEDULES,
): Promise<void> {
  for (const schedule of schedules) {
    await queue.upsertJobScheduler(
      schedule.id,
      { pattern: schedule.pattern, tz: CITY_TIME_ZONE },
      { name: schedule.name, data: schedule.data },
    );
  }
}

/** Throws when a job name in `@pave/shared` has no handler (or a handler has no known name). */
export function assertRegistryComplete(registry: ReadonlyMap<JobName, JobDefinition> = JOB_REGISTRY): void {
  const missing = JOB_NAMES.filter((name) => !registry.has(name));
  const unknown = [...registry.keys()].filter((name) => !JOB_NAMES.includes(name));
  if (missing.length || unknown.length) {
    throw new Error(`job registry mismatch: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
  }
}
