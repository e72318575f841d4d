import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Queue } from 'bullmq';
import type { Pool } from '../db/pool';
import type { ReplicaHealth } from '../db/read-pool';
import { findOutboxBacklog } from '../outbox/outbox.repo';
import { JobQueue } from '../queue/queue';

/** Buckets in seconds: from a cached tile (a few ms) to a 12 MP photo upload on a slow link. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * What an operator watches (Prometheus text format, prom-client): the process (CPU, memory, event
 * loop), the pool, the outbox backlog, and the read replica's fallbacks when there is one; then the API's requests and live streams, or the worker's
 * jobs and queue depth. One registry per process, so several apps in one test process stay apart.
 */
export interface Metrics {
  registry: Registry;
  /** API: request durations by method, route pattern (never the raw URL: bounded labels) and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** API: open server-sent event streams, by stream. */
  sseClients: Gauge<'stream'>;
  /** Worker: job durations by job name and outcome (`completed` or `failed`). */
  jobDuration: Histogram<'job' | 'outcome'>;
  jobsTotal: Counter<'job' | 'outcome'>;
}

/**
 * The metrics of one process. `queue`, for the worker, adds the queue's depth by state. Gauges read
 * the pool, the outbox and the queue when scraped, not on a timer: nothing runs between scrapes.
 */
export function createMetrics(deps: {
  db: Pool;
  app: 'api' | 'worker';
  queue?: Queue;
  replica?: ReplicaHealth | null;
}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: deps.app });
  collectDefaultMetrics({ register: registry, prefix: 'pave_' });
  const { db, queue, replica } = deps;
  if (replica) {
    // A replica that is down or lagging costs nothing visible (the primary answers): only these say so.
    new Gauge({
      name: 'pave_replica_up',
      help: 'Whether public reads go to the read replica (1) or, while it is down or lagging, to the primary (0).',
      registers: [registry],
      collect() {
        this.set(replica.isUp() ? 1 : 0);
      },
    });
    const fallbacks = new Counter({
      name: 'pave_replica_fallbacks_total',
      help: 'Reads meant for the read replica that went to the primary, by reason (down, lagging).',
      labelNames: ['reason'],
      registers: [registry],
    });
    // Present at 0 from the start, so a rate() over them has a baseline before the first fallback.
    for (const reason of ['down', 'lagging']) fallbacks.inc({ reason }, 0);
    replica.onFallback((reason) => fallbacks.inc({ reason }));
  }
  new Gauge({
    name: 'pave_db_pool_connections',
    help: 'PostgreSQL pool connections, by state (total, idle, waiting requests).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, db.totalCount);
      this.set({ state: 'idle' }, db.idleCount);
      this.set({ state: 'waiting' }, db.waitingCount);
    },
  });
  // Both outbox gauges come from one query: prom-client runs a scrape's collects concurrently, so the
  // second gauge joins the read the first one started instead of querying again (or reading stale).
  let backlog: Promise<{ pending: number; oldestAgeSeconds: number }> | null = null;
  const readBacklog = () =>
    (backlog ??= findOutboxBacklog(db)
      .catch(() => ({ pending: NaN, oldestAgeSeconds: NaN }))
      .finally(() => {
        backlog = null;
      }));
  new Gauge({
    name: 'pave_outbox_pending',
    help: 'Outbox rows not yet handed to the queue (jobs written with a report, waiting for the relay).',
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).pending);
    },
  });
  new Gauge({
    name: 'pave_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not yet handed to the queue (0 when none).',
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).oldestAgeSeconds);
    },
  });
  if (queue) {
    new Gauge({
      name: 'pave_queue_jobs',
      help: 'Jobs in each BullMQ queue (pave: routing, mails, deadlines; pave-photos: photos), by state.',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        const states = ['waiting', 'active', 'delayed', 'failed', 'prioritized'] as const;
        // Each queue apart: a photo backlog (docs/adr/0013) and a routing backlog call for different fixes.
        const queues: Queue[] = queue instanceof JobQueue ? [queue.photos, queue] : [queue];
        for (const q of queues) {
          // The base class's count: JobQueue's own adds its photo queue's.
          const counts = await Queue.prototype.getJobCounts.apply(q, [...states]).catch(() => null);
          if (!counts) continue;
          for (const [state, count] of Object.entries(counts)) this.set({ queue: q.name, state }, count);
        }
      },
    });
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'pave_http_request_duration_seconds',
      help: 'API request durations, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    sseClients: new Gauge({
      name: 'pave_sse_clients',
      help: 'Open server-sent event streams, by stream.',
      labelNames: ['stream'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'pave_job_duration_seconds',
      help: 'Job durations, by job name and outcome.',
      labelNames: ['job', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    }),
    jobsTotal: new Counter({
      name: 'pave_jobs_total',
      help: 'Jobs run, by job name and outcome.',
      labelNames: ['job', 'outcome'],
      registers: [registry],
    }),
  };
}

/**
 * Serves `GET /metrics` on its own address (METRICS_HOST:METRICS_PORT, loopback by default), apart
 * from the public API: the figures are for the operator's Prometheus, not for the internet.
 */
export async function startMetricsServer(
  registry: Registry,
  options: { host: string; port: number },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${options.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
