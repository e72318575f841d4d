import { CommonEnv, parseEnv } from '@pave/core';
import { Type, type Static } from 'typebox';

export const WorkerConfigSchema = Type.Object({
  ...CommonEnv,
  /** Jobs processed at once; photo decoding is CPU-bound, so keep it near the core count. */
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
  OUTBOX_POLL_MS: Type.Integer({ minimum: 50, default: 1_000 }),
  /** Outgoing mail, e.g. smtp://user:pass@host:587; empty logs mails instead of sending them. */
  SMTP_URL: Type.String({ default: '' }),
  MAIL_FROM: Type.String({ default: 'Pavé <ne-pas-repondre@pave.localhost>' }),
  /** Where residents open the links in their mails. */
  PUBLIC_BASE_URL: Type.String({ default: 'http://127.0.0.1:3000' }),
});
export type WorkerConfig = Static<typeof WorkerConfigSchema>;

/** Reads the worker's configuration from an environment (process.env at start-up). */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  return parseEnv(WorkerConfigSchema, env);
}
