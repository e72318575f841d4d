import type { Logger, Mailer, Pool, RetentionPeriods, Storage, TokenSigner } from '@pave/core';
import type { JobName, JobPayload } from '@pave/shared';
import type { Job } from 'bullmq';

export interface JobDeps {
  db: Pool;
  storage: Storage;
  logger: Logger;
  mailer: Mailer;
  tokens: TokenSigner;
  publicBaseUrl: string;
  /** See NOTIFY_COALESCE_MS. */
  notifyCoalesceMs: number;
  /** See RETENTION_DAYS_*. */
  retention: RetentionPeriods;
}

/** A repeating job: a cron pattern read in Europe/Paris time, and the payload of each run. */
export type JobSchedule = {
  [N in JobName]: { id: string; pattern: string; name: N; data: JobPayload<N> };
}[JobName];

/** One job: its name and an idempotent handler. Payload validation happens before the handler. */
export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  handler: (
    payload: JobPayload<N>,
    context: { deps: JobDeps; job: Job; token?: string; logger: Logger },
  ) => Promise<unknown>;
}
