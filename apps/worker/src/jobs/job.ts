import type { Logger, Mailer, Pool, Storage, TokenSigner } from '@pave/core';
import type { JobName, JobPayload } from '@pave/shared';
import type { Job } from 'bullmq';

export interface JobDeps {
  db: Pool;
  storage: Storage;
  logger: Logger;
  mailer: Mailer;
  tokens: TokenSigner;
  publicBaseUrl: string;
}

/** One job: its name and an idempotent handler. Payload validation happens before the handler. */
export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  handler: (payload: JobPayload<N>, context: { deps: JobDeps; job: Job; logger: Logger }) => Promise<unknown>;
}
