import {
  createJobQueue,
  createMailer,
  createTokenSigner,
  createStorageFromConfig,
  createLogger,
  isPrettyLog,
  createPool,
  createProducerConnection,
  createWorkerConnection,
  JobSweeper,
  OutboxRelay,
  createMetrics,
  startMetricsServer,
  type Logger,
  type Metrics,
} from '@pave/core';
import { JOBS, PHOTO_QUEUE_NAME, QUEUE_NAME, type JobName } from '@pave/shared';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Value } from 'typebox/value';
import { retentionPeriodsOf, type WorkerConfig } from './config';
import type { JobDeps } from './jobs/job';
import { assertRegistryComplete, JOB_REGISTRY, upsertJobSchedules } from './jobs/registry';

export interface WorkerRuntime {
  /** The light jobs' worker (routing, mails, deadlines, schedules). */
  worker: Worker;
  /** The photo jobs' worker, on a queue of its own with its own concurrency (docs/adr/0013). */
  photoWorker: Worker;
  relay: OutboxRelay;
  sweeper: JobSweeper;
  logger: Logger;
  metrics: Metrics;
  /** Where the metrics are served, when METRICS_PORT is set. */
  metricsUrl: string | null;
  close(): Promise<void>;
}

/** Wires the database, storage, the outbox relay and the BullMQ worker; `close()` stops them all. */
export async function startWorker(config: WorkerConfig, options: { logger?: Logger } = {}): Promise<WorkerRuntime> {
  assertRegistryComplete();
  const logger =
    options.logger ??
    createLogger({
      level: config.LOG_LEVEL,
      name: 'pave-worker',
      pretty: isPrettyLog(config.LOG_PRETTY),
    });
  const db = createPool({
    connectionString: config.DATABASE_URL,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    applicationName: 'pave-worker',
    max: config.WORKER_CONCURRENCY + config.PHOTO_WORKER_CONCURRENCY + 3,
  });
  const mailer = createMailer({
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    log: (mail) => logger.info({ to: mail.to, subject: mail.subject }, 'mail (SMTP_URL not set, not sent)'),
  });
  const deps: JobDeps = {
    db,
    storage: createStorageFromConfig(config),
    logger,
    mailer,
    tokens: createTokenSigner(config.TOKEN_SECRET),
    publicBaseUrl: config.PUBLIC_BASE_URL,
    notifyCoalesceMs: config.NOTIFY_COALESCE_MS,
    retention: retentionPeriodsOf(config),
  };

  const producer = createProducerConnection(config);
  const queue = createJobQueue(producer, config.QUEUE_PREFIX);
  const relay = new OutboxRelay({
    db,
    queue,
    logger: logger.child({ component: 'outbox' }),
    pollIntervalMs: config.OUTBOX_POLL_MS,
  });
  const sweeper = new JobSweeper({
    db,
    queue,
    redis: producer,
    logger: logger.child({ component: 'job-sweep' }),
    intervalMs: config.JOB_SWEEP_INTERVAL_MS,
    staleAfterMs: config.JOB_SWEEP_AFTER_MS,
  });

  const metrics = createMetrics({ db, app: 'worker', queue });
  const run = async (job: Job, token?: string): Promise<unknown> => {
    const jobLogger = logger.child({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    const definition = JOB_REGISTRY.get(job.name as JobName);
    if (!definition) throw new UnrecoverableError(`unknown job ${job.name}`);
    const schema = JOBS[definition.name];
    if (!Value.Check(schema, job.data)) throw new UnrecoverableError(`invalid payload for ${job.name}`);
    return definition.handler(job.data as never, { deps, job, token, logger: jobLogger });
  };
  const process = async (job: Job, token?: string): Promise<unknown> => {
    // Unknown job names share one label: a label per name a client could invent would be unbounded.
    const labels = { job: JOB_REGISTRY.has(job.name as JobName) ? job.name : 'unknown', outcome: 'completed' };
    const started = performance.now();
    try {
      return await run(job, token);
    } catch (error) {
      // A job that moved itself to the delayed set (report.notify's window) has not failed.
      labels.outcome = error instanceof DelayedError ? 'delayed' : 'failed';
      throw error;
    } finally {
      metrics.jobDuration.observe(labels, (performance.now() - started) / 1000);
      metrics.jobsTotal.inc(labels);
    }
  };
  // One connection per worker: BullMQ blocks on it while it waits for a job.
  const workerConnections = [createWorkerConnection(config), createWorkerConnection(config)];
  const startQueueWorker = (name: string, concurrency: number, connection: (typeof workerConnections)[number]) => {
    const queueWorker = new Worker(name, process, {
      connection,
      prefix: config.QUEUE_PREFIX,
      concurrency,
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_STALLED_CHECK_MS,
      // A job whose worker died twice is more likely the cause than the victim: fail it, visibly.
      maxStalledCount: 2,
    });
    queueWorker.on('failed', (job, error) =>
      logger.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'job failed'),
    );
    queueWorker.on('error', (error) => logger.warn({ err: error, queue: name }, 'worker error'));
    return queueWorker;
  };
  const worker = startQueueWorker(QUEUE_NAME, config.WORKER_CONCURRENCY, workerConnections[0]!);
  const photoWorker = startQueueWorker(PHOTO_QUEUE_NAME, config.PHOTO_WORKER_CONCURRENCY, workerConnections[1]!);

  await relay.start();
  // Alert digests and the hourly upkeep; a Redis outage at start-up only delays them to the next start.
  await upsertJobSchedules(queue).catch((error: unknown) => logger.warn({ err: error }, 'job schedules not set'));
  sweeper.start();
  const metricsServer =
    config.METRICS_PORT === 0
      ? null
      : await startMetricsServer(metrics.registry, { host: config.METRICS_HOST, port: config.METRICS_PORT });
  return {
    worker,
    photoWorker,
    relay,
    sweeper,
    logger,
    metrics,
    metricsUrl: metricsServer?.url ?? null,
    async close() {
      await metricsServer?.close();
      await sweeper.stop();
      await relay.stop();
      await Promise.all([worker.close(), photoWorker.close()]);
      await queue.close();
      producer.disconnect();
      for (const connection of workerConnections) connection.disconnect();
      mailer.close();
      deps.storage.close();
      await db.end();
    },
  };
}
