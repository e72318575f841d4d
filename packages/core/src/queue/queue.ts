import { Queue, type Job, type JobsOptions } from 'bullmq';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { PHOTO_QUEUE_NAME, QUEUE_NAME, queueOfJob } from '@pave/shared';

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

type JobState = Awaited<ReturnType<Queue['getJobState']>>;

/**
 * Pavé's jobs, as one queue to whoever adds, looks up or counts them: the light jobs' queue (`pave`),
 * which hands photo jobs to a queue of their own (`pave-photos`, `photos`). Workers take each queue
 * with its own concurrency, so a report is routed within seconds however many photos wait
 * (docs/adr/0013). Producers (the outbox relay, the job sweep, staff retries) stay unaware of the
 * split: adds go by job name, and lookups and counts cover both queues. Both share the prefix, so
 * on a Redis Cluster their keys hash to the same slot.
 */
export class JobQueue extends Queue {
  readonly photos: Queue;

  constructor(connection: RedisConnection, prefix: string) {
    super(QUEUE_NAME, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    this.on('error', () => {});
    this.photos = new Queue(PHOTO_QUEUE_NAME, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    this.photos.on('error', () => {});
  }

  override add(name: string, data: unknown, opts?: JobsOptions): Promise<Job> {
    return queueOfJob(name) === PHOTO_QUEUE_NAME ? this.photos.add(name, data, opts) : super.add(name, data, opts);
  }

  override async addBulk(jobs: Parameters<Queue['addBulk']>[0]): Promise<Job[]> {
    const isPhoto = jobs.map((job) => queueOfJob(job.name) === PHOTO_QUEUE_NAME);
    const [light, photos] = await Promise.all([
      super.addBulk(jobs.filter((_, i) => !isPhoto[i])),
      this.photos.addBulk(jobs.filter((_, i) => isPhoto[i])),
    ]);
    // In the order given, as one queue would answer.
    return isPhoto.map((photo) => (photo ? photos.shift()! : light.shift()!));
  }

  override async getJob(jobId: string): Promise<Job | undefined> {
    return (await super.getJob(jobId)) ?? (await this.photos.getJob(jobId));
  }

  override async getJobState(jobId: string): Promise<JobState> {
    const state = await super.getJobState(jobId);
    return state === 'unknown' ? this.photos.getJobState(jobId) : state;
  }

  override async remove(jobId: string, opts?: { removeChildren?: boolean }): Promise<number> {
    // BullMQ answers 1 for an id it does not hold: ask the queue that holds it.
    const isLight = (await super.getJobState(jobId)) !== 'unknown';
    return isLight ? super.remove(jobId, opts) : this.photos.remove(jobId, opts);
  }

  override async getJobCounts(...types: Parameters<Queue['getJobCounts']>): Promise<Record<string, number>> {
    const [light, photos] = await Promise.all([super.getJobCounts(...types), this.photos.getJobCounts(...types)]);
    return Object.fromEntries(Object.entries(light).map(([state, n]) => [state, n + (photos[state] ?? 0)]));
  }

  // No getFailedCount here: BullMQ's counts through getJobCounts, which covers both queues above;
  // adding the photo queue's again counted its failed jobs twice.

  /** The failed jobs of both queues, newest first (as each queue lists its own). */
  override async getFailed(start = 0, end = -1): Promise<Job[]> {
    const [light, photos] = await Promise.all([super.getFailed(0, end), this.photos.getFailed(0, end)]);
    const merged = [...light, ...photos].sort((a, b) => (b.finishedOn ?? 0) - (a.finishedOn ?? 0));
    return merged.slice(start, end < 0 ? undefined : end + 1);
  }

  override async close(): Promise<void> {
    await Promise.all([super.close(), this.photos.close()]);
  }
}

/** Pavé's job queue (photo jobs in a queue of their own behind it), with the default job options. */
export function createJobQueue(connection: RedisConnection, prefix: string): JobQueue {
  return new JobQueue(connection, prefix);
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
