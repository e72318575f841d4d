import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { Logger } from '../logger';
import { commit } from '../db/pool';
import { withTimeout } from '../queue/queue';
import { lockPendingOutbox, markOutboxFailed, markOutboxSent } from './outbox.repo';

export interface OutboxRelayOptions {
  db: pg.Pool;
  queue: Queue;
  logger: Logger;
  batchSize?: number;
  /** Safety poll: catches missed notifications and retries while Redis is away. */
  pollIntervalMs?: number;
  /**
   * How long one enqueue may wait for Redis. BullMQ waits for a connection indefinitely;
   * the relay must not hold its row locks that long, so it gives up and retries on the next pass.
   */
  enqueueTimeoutMs?: number;
}

/**
 * Moves outbox rows to BullMQ. Woken by `NOTIFY outbox` for low latency and by a poll
 * for safety; several relays can run at once (rows are locked with SKIP LOCKED), and
 * deterministic job ids make a re-sent row harmless.
 */
export class OutboxRelay {
  /** The LISTEN connection, and how to give it back to the pool (once, whoever asks first). */
  private listener: { client: pg.PoolClient; release: (destroy: boolean) => void } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1_000);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (this.listener) {
      const { client, release } = this.listener;
      await client.query('UNLISTEN outbox').catch(() => {});
      release(false);
    }
  }

  /** Runs one pass now (coalescing with a pass already under way); resolves when it is done. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'outbox relay pass failed'))
      .finally(() => {
        this.running = null;
        if (this.rerun && !this.stopped) {
          this.rerun = false;
          void this.wake();
        }
      });
    return this.running;
  }

  private async listen(): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.options.db.connect();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox relay cannot LISTEN; polling only');
      return;
    }
    // Stopping and a connection error (PostgreSQL restarted, the database dropped) can both come, in
    // either order: the client goes back to the pool once, and a second release would throw.
    let isHeld = true;
    const listener = {
      client,
      release: (destroy: boolean) => {
        if (!isHeld) return;
        isHeld = false;
        if (this.listener === listener) this.listener = null;
        client.release(destroy);
      },
    };
    client.on('notification', () => void this.wake());
    // The poll keeps the relay going; it listens again on its next pass.
    client.on('error', () => listener.release(true));
    try {
      await client.query('LISTEN outbox');
      this.listener = listener;
    } catch (error) {
      listener.release(true);
      this.options.logger.warn({ err: error }, 'outbox relay cannot LISTEN; polling only');
    }
  }

  private async drain(): Promise<void> {
    if (!this.listener && !this.stopped) await this.listen();
    const batchSize = this.options.batchSize ?? 100;
    for (;;) {
      const sent = await this.relayBatch(batchSize);
      if (sent < batchSize || this.stopped) return;
    }
  }

  /** Sends one batch; returns how many rows were sent. */
  private async relayBatch(batchSize: number): Promise<number> {
    const client = await this.options.db.connect();
    let ids: string[] = [];
    try {
      await client.query('BEGIN');
      const rows = await lockPendingOutbox(client, batchSize);
      ids = rows.map((r) => r.id);
      if (rows.length === 0) {
        await commit(client);
        return 0;
      }
      // If this times out the jobs may still land later; their deterministic ids make the retry harmless.
      await withTimeout(
        this.options.queue.addBulk(
          rows.map((r) => ({
            name: r.jobName,
            data: r.payload,
            // A row with run_at becomes a delayed job; BullMQ keeps it in Redis until then.
            opts: { jobId: r.jobId, ...(r.runAt ? { delay: Math.max(0, r.runAt.getTime() - Date.now()) } : {}) },
          })),
        ),
        this.options.enqueueTimeoutMs ?? 5_000,
      );
      await markOutboxSent(client, ids);
      await commit(client);
      this.options.logger.debug({ count: rows.length }, 'outbox relayed');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (ids.length > 0) await markOutboxFailed(this.options.db, ids, (error as Error).message).catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}
