import { jobIdFor, type JobName, type JobPayload } from '@pave/shared';
import type { Queue } from 'bullmq';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { withTimeout, type RedisConnection } from '../queue/queue';
import { findPendingPhotoIds, findUnroutedReportIds, resetOutboxAfterRedisLoss, type SweepPage } from './jobs.repo';

export interface JobSweepOptions {
  db: Pool;
  queue: Queue;
  /** The queue's Redis, for the marker key (a producer connection: fails fast while Redis is away). */
  redis: RedisConnection;
  logger: Logger;
  /** How often the sweep runs. */
  intervalMs: number;
  /** How long work may stay undone before the sweep re-enqueues its job. */
  staleAfterMs: number;
  /** At most this many candidates are checked per kind and pass, so a backlog never makes one pass long. */
  maxPerPass?: number;
  /** How far back, after Redis lost its data, sent outbox rows are sent again. */
  redisLossLookbackMs?: number;
}

export interface SweepResult {
  redisLost: boolean;
  outboxReset: number;
  requeued: number;
}

const PAGE = 200;

/**
 * Recovers jobs Redis lost. Two checks per pass:
 * - a marker key this sweep writes into Redis: when it is gone, Redis restarted empty (or was
 *   flushed), so the outbox rows of the last day and every pending deadline check are sent again;
 * - reports still without a team and photos still pending after `staleAfterMs`: their job is looked up
 *   and enqueued again under its deterministic id when it is missing (or completed before the report
 *   was re-qualified). A failed job is left alone: it is visible to staff, who retry it.
 * Enqueues are de-duplicated by job id and handlers are idempotent, so several workers sweeping at
 * once, or a job that was only slow, cost a lookup and nothing else.
 */
export class JobSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<SweepResult | null> | null = null;

  constructor(private readonly options: JobSweepOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    void this.sweep();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs one pass now (or joins the one under way); resolves with what it did, null if Redis was away. */
  sweep(): Promise<SweepResult | null> {
    this.running ??= this.pass()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'job sweep failed');
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async pass(): Promise<SweepResult> {
    const { db, queue, redis, logger } = this.options;
    const result: SweepResult = { redisLost: false, outboxReset: 0, requeued: 0 };
    const marker = `${queue.opts.prefix ?? 'bull'}:${queue.name}:sweep-marker`;
    if ((await withTimeout(redis.exists(marker), 2_000, 'marker check')) === 0) {
      result.redisLost = true;
      result.outboxReset = await resetOutboxAfterRedisLoss(db, this.options.redisLossLookbackMs ?? 24 * 3600_000);
      // Set only after the reset is committed: a crash in between makes the next pass reset again.
      await redis.set(marker, new Date().toISOString());
      logger.warn({ outboxReset: result.outboxReset }, 'Redis holds no sweep marker: outbox rows sent again');
    }
    result.requeued += await this.requeue('report.route', (after, limit) =>
      findUnroutedReportIds(db, this.options.staleAfterMs, after, limit).then((page) => ({
        ...page,
        payloads: page.ids.map((reportId) => ({ reportId })),
      })),
    );
    result.requeued += await this.requeue('photo.process', (after, limit) =>
      findPendingPhotoIds(db, this.options.staleAfterMs, after, limit).then((page) => ({
        ...page,
        payloads: page.ids.map((photoId) => ({ photoId })),
      })),
    );
    if (result.requeued > 0) logger.warn({ requeued: result.requeued }, 'job sweep re-enqueued lost jobs');
    return result;
  }

  /** Walks the candidates of one job kind, page by page, and enqueues each whose job is missing. */
  private async requeue<N extends JobName>(
    name: N,
    findPage: (after: SweepPage['next'], limit: number) => Promise<SweepPage & { payloads: JobPayload<N>[] }>,
  ): Promise<number> {
    const { queue } = this.options;
    const max = this.options.maxPerPass ?? 2_000;
    let after: SweepPage['next'] = null;
    let seen = 0;
    let requeued = 0;
    do {
      const page = await findPage(after, Math.min(PAGE, max - seen));
      seen += page.ids.length;
      for (const payload of page.payloads) {
        const jobId = jobIdFor(name, payload);
        const state = await withTimeout(queue.getJobState(jobId), 5_000, 'job lookup');
        if (state === 'failed' || (state !== 'unknown' && state !== 'completed')) continue;
        // Completed, yet the work is undone: the report changed after the job ran (re-qualified).
        if (state === 'completed') await queue.remove(jobId);
        await withTimeout(queue.add(name, payload, { jobId }), 5_000);
        requeued += 1;
      }
      after = page.next;
    } while (after && seen < max);
    return requeued;
  }
}
