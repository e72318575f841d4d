import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_NAME } from '@pave/shared';

/**
 * Every job retries with exponential backoff (2, 4, 8, 16, 32 s: about a minute, enough to ride out a
 * database or SMTP restart); after the last attempt, or at once on `UnrecoverableError`, it stays in
 * the failed set for two weeks, where staff see it and can retry it (GET /api/staff/jobs/failed).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/**
 * A Redis connection for producers: commands fail fast while Redis is away
 * (the outbox keeps the work) instead of piling up in ioredis's offline queue.
 */
export function createProducerConnection(redisUrl: string): Redis {
  const connection = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  connection.on('error', () => {});
  return connection;
}

/** A connection for quick checks (health): commands wait briefly for a reconnect, then fail. */
export function createClientConnection(redisUrl: string): Redis {
  const connection = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  connection.on('error', () => {});
  return connection;
}

/** A connection for workers: blocking commands, retried forever as BullMQ requires. */
export function createWorkerConnection(redisUrl: string): Redis {
  const connection = new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  connection.on('error', () => {});
  return connection;
}

/** The one job queue, with Pavé's default job options. */
export function createJobQueue(connection: Redis, prefix: string): Queue {
  const queue = new Queue(QUEUE_NAME, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  queue.on('error', () => {});
  return queue;
}

/** Rejects after `ms`: BullMQ waits for a Redis connection indefinitely, callers holding locks must not. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'enqueue'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms (Redis unreachable?)`)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
