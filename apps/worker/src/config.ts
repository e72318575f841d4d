import { CommonEnv, parseEnv } from '@pave/core';
import { Type, type Static } from 'typebox';

export const WorkerConfigSchema = Type.Object({
  ...CommonEnv,
  /** Jobs processed at once; photo decoding is CPU-bound, so keep it near the core count. */
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
  OUTBOX_POLL_MS: Type.Integer({ minimum: 50, default: 1_000 }),
});
export type WorkerConfig = Static<typeof WorkerConfigSchema>;

/** Reads the worker's configuration from an environment (process.env at start-up). */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  return parseEnv(WorkerConfigSchema, env);
}
