import {
  checkRetentionPeriods,
  CommonEnv,
  DEFAULT_RETENTION_DAYS,
  MailEnv,
  PublicUrlEnv,
  parseEnv,
  settleServerConfig,
  type RetentionPeriods,
} from '@pave/core';
import { Type, type Static } from 'typebox';

export const WorkerConfigSchema = Type.Object({
  ...CommonEnv,
  /**
   * Light jobs (routing, mails, deadline checks) processed at once: they mostly wait on PostgreSQL and
   * SMTP, so several run side by side without using a core each.
   */
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
  /**
   * Photos processed at once, in a queue of their own (docs/adr/0013): decoding and face detection take
   * about half a second of one core each (docs/adr/0014), so keep it at or below the cores this process
   * may use.
   */
  PHOTO_WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 1 }),
  OUTBOX_POLL_MS: Type.Integer({ minimum: 50, default: 1_000 }),
  /**
   * How long a job's lock lives without renewal (renewed every half of it while the job runs). A worker
   * killed mid-job holds its jobs this long before the stalled check hands them to another worker.
   */
  WORKER_LOCK_MS: Type.Integer({ minimum: 1_000, default: 30_000 }),
  /** How often each worker looks for stalled jobs (locks expired: their worker died). */
  WORKER_STALLED_CHECK_MS: Type.Integer({ minimum: 500, default: 30_000 }),
  /** How often the job sweep looks for work whose job Redis lost (see packages/core/src/jobs/job-sweep.ts). */
  JOB_SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, default: 60_000 }),
  /** How long a report may stay unrouted, or a photo pending, before the sweep enqueues its job again. */
  JOB_SWEEP_AFTER_MS: Type.Integer({ minimum: 0, default: 120_000 }),
  ...MailEnv,
  /**
   * Status changes of one report within this window (ms) go out as one mail per recipient, with the
   * latest state: each change's mail waits this long and is dropped when a newer change followed.
   * 0 sends every change at once.
   */
  NOTIFY_COALESCE_MS: Type.Integer({ minimum: 0, maximum: 86_400_000, default: 120_000 }),
  /**
   * Days a closed report keeps its description, comments, messages and photos, per final status
   * (docs/privacy.md); then the hourly upkeep erases them. At least 1: checked with a reason at start-up.
   */
  RETENTION_DAYS_REJECTED: Type.Integer({ default: DEFAULT_RETENTION_DAYS.rejected }),
  RETENTION_DAYS_DUPLICATE: Type.Integer({ default: DEFAULT_RETENTION_DAYS.duplicate }),
  RETENTION_DAYS_TRANSFERRED: Type.Integer({ default: DEFAULT_RETENTION_DAYS.transferred }),
  RETENTION_DAYS_RESOLVED: Type.Integer({ default: DEFAULT_RETENTION_DAYS.resolved }),
  /** Where residents open the links in their mails: the API's address (HOST, PORT) unless PUBLIC_BASE_URL says. */
  ...PublicUrlEnv,
});
export type WorkerConfig = Static<typeof WorkerConfigSchema>;

/** Reads the worker's configuration from an environment (process.env at start-up). */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const config = settleServerConfig(parseEnv(WorkerConfigSchema, env));
  const problems = checkRetentionPeriods(retentionPeriodsOf(config));
  if (problems.length > 0) throw new Error(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return config;
}

/** The retention periods of a worker's configuration. */
export function retentionPeriodsOf(config: WorkerConfig): RetentionPeriods {
  return {
    rejected: config.RETENTION_DAYS_REJECTED,
    duplicate: config.RETENTION_DAYS_DUPLICATE,
    transferred: config.RETENTION_DAYS_TRANSFERRED,
    resolved: config.RETENTION_DAYS_RESOLVED,
  };
}
