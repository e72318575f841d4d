import { sendAlertDigests } from '@pave/core';
import type { JobDefinition, JobSchedule } from './job';

/** Daily digests at 07:00, weekly ones on Monday at 07:00, Paris time (summer time included). */
export const ALERTS_DIGEST_SCHEDULES: JobSchedule[] = [
  { id: 'alerts-digest-daily', pattern: '0 7 * * *', name: 'alerts.digest', data: { frequency: 'daily' } },
  { id: 'alerts-digest-weekly', pattern: '0 7 * * 1', name: 'alerts.digest', data: { frequency: 'weekly' } },
];

/**
 * `alerts.digest`: one mail per due alert of a frequency. The window ends at the run's scheduled time
 * (the same on every retry of that run) or at `until` when given, so a retry never mails twice.
 */
export const alertsDigestJob: JobDefinition<'alerts.digest'> = {
  name: 'alerts.digest',
  async handler({ frequency, until }, { deps, job, logger }) {
    const scheduledAt = (job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp + (job.opts.delay ?? 0);
    // Never past now: what is filed after the run must fall in the next window.
    const end = new Date(Math.min(until ? Date.parse(until) : scheduledAt, Date.now()));
    const result = await sendAlertDigests({ ...deps, logger }, frequency, end);
    logger.info({ frequency, until: end.toISOString(), ...result }, 'alerts.digest done');
    return result;
  },
};
