import { Queue, type JobsOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
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

/** A connection to one Redis server or to a Redis Cluster: every Redis user in Pavé takes either. */
export type RedisConnection = Redis | Cluster;

/** Where Redis is: a URL, or the REDIS_URL and REDIS_CLUSTER_NODES of a configuration (config/env.ts). */
export type RedisTarget = string | { REDIS_URL: string; REDIS_CLUSTER_NODES: string };

/** The seed nodes of REDIS_CLUSTER_NODES (already checked by its schema pattern); empty for one server. */
export function clusterNodesOf(target: RedisTarget): { host: string; port: number }[] {
  if (typeof target === 'string') return [];
  return target.REDIS_CLUSTER_NODES.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      return { host: entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(entry.slice(colon + 1)) };
    });
}

/**
 * Opens one server (REDIS_URL), or the cluster of REDIS_CLUSTER_NODES with REDIS_URL's user, password and
 * TLS applied to each node. On a cluster the offline queue and retries are the cluster's: ioredis gives
 * its node connections their own (always queue, never reconnect: a lost node is found again by slot).
 */
function connect(target: RedisTarget, options: RedisOptions): RedisConnection {
  const url = typeof target === 'string' ? target : target.REDIS_URL;
  const nodes = clusterNodesOf(target);
  const connection: RedisConnection =
    nodes.length === 0
      ? new Redis(url, options)
      : new Cluster(nodes, {
          redisOptions: { ...credentialsOf(url), maxRetriesPerRequest: options.maxRetriesPerRequest },
          enableOfflineQueue: options.enableOfflineQueue ?? true,
          clusterRetryStrategy: (times) => Math.min(times * 200, 2_000),
        });
  connection.on('error', () => {});
  return connection;
}

function credentialsOf(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    username: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/**
 * A Redis connection for producers: commands fail fast while Redis is away
 * (the outbox keeps the work) instead of piling up in ioredis's offline queue.
 */
export function createProducerConnection(target: RedisTarget): RedisConnection {
  return connect(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

/** A connection for quick checks (health): commands wait briefly for a reconnect, then fail. */
export function createClientConnection(target: RedisTarget): RedisConnection {
  return connect(target, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 200, 2_000) });
}

/** A connection for workers: blocking commands, retried forever as BullMQ requires. */
export function createWorkerConnection(target: RedisTarget): RedisConnection {
  return connect(target, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2_000) });
}

/** The one job queue, with Pavé's default job options. */
export function createJobQueue(connection: RedisConnection, prefix: string): Queue {
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
