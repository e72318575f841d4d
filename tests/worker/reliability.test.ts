import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createJobQueue,
  createLocalGeocoder,
  createLocalStorage,
  createLogger,
  createProducerConnection,
  createReport,
  createTokenSigner,
  requalifyReport,
  type PoolClient,
} from '@pave/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { createTestSettings, testApiConfig, testWorkerConfig, type TestSettings } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { TEST_ENV } from '../support/env';
import { fixturePhoto, multipart, POINT_PARIS_11, reportFormFields } from '../support/multipart';
import { privateRedis } from '../support/private-redis';
import { waitFor } from '../support/wait';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const logger = createLogger({ level: 'silent', name: 'test' });
/** Short locks and checks, so a dead worker's job is handed over in seconds rather than the default minute. */
const FAST_RECOVERY = { WORKER_LOCK_MS: '2000', WORKER_STALLED_CHECK_MS: '1000' };

let db: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

afterAll(async () => {
  await db?.drop();
});

function storageOf(settings: TestSettings) {
  return createLocalStorage(settings.storageDir);
}

async function fileReport(settings: TestSettings, photos: string[] = []) {
  return createReport(
    {
      db: db.pool,
      storage: storageOf(settings),
      tokens: createTokenSigner('reliability-secret'),
      geocoder: createLocalGeocoder(db.pool),
    },
    {
      category: 'nid-de-poule',
      lat: String(POINT_PARIS_11.lat),
      lon: String(POINT_PARIS_11.lon),
      description: 'test',
      email: 'private@example.org',
      photos: photos.map((name) => ({ data: fixturePhoto(name), filename: name })),
    },
  );
}

/** How many times each report was routed (history entries) and how many deadline checks it got. */
async function routingCounts(reportIds: string[]): Promise<Map<string, { routed: number; lateJobs: number }>> {
  const { rows } = await db.pool.query<{ id: string; routed: number; late_jobs: number }>(
    `SELECT r.id,
            (SELECT count(*)::int FROM report_history h WHERE h.report_id = r.id AND h.event = 'routed') AS routed,
            (SELECT count(*)::int FROM outbox o WHERE o.job_name = 'report.late' AND o.payload->>'reportId' = r.id::text)
              AS late_jobs
       FROM reports r WHERE r.id = ANY($1)`,
    [reportIds],
  );
  return new Map(rows.map((r) => [r.id, { routed: r.routed, lateJobs: r.late_jobs }]));
}

function queueOn(redisUrl: string, prefix: string): Queue {
  const connection = createProducerConnection(redisUrl);
  const queue = createJobQueue(connection, prefix);
  cleanups.push(async () => {
    await queue.close();
    connection.disconnect();
  });
  return queue;
}

async function dropKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** The worker as it runs in production: its own process, started from apps/worker/src/main.ts. */
function spawnWorker(settings: TestSettings, env: Record<string, string>) {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl ?? TEST_ENV.redisUrl,
      QUEUE_PREFIX: settings.queuePrefix,
      STORAGE_DIR: settings.storageDir,
      LOG_LEVEL: 'info',
      OUTBOX_POLL_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return {
    child,
    exited,
    log: () => output.join(''),
    started: () =>
      waitFor(async () => output.join('').includes('"worker started"'), {
        timeoutMs: 20_000,
        what: 'the worker process to start',
      }),
  };
}

/** Worker backends of the test database waiting for a row lock (their pids). */
async function workerPidsWaitingOnLock(): Promise<number[]> {
  const { rows } = await db.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'pave-worker' AND wait_event_type = 'Lock'`,
  );
  return rows.map((r) => r.pid);
}

describe('a worker killed with SIGKILL mid-job', () => {
  it('hands the job to the next worker: the report is routed once, its photo processed once', async () => {
    const settings = createTestSettings(db.url);
    cleanups.push(() => dropKeys(TEST_ENV.redisUrl, settings.queuePrefix));
    const report = await fileReport(settings, ['jpg_gps_DSCN0010.jpg']);

    // Hold the report's row: the route job will start, then wait on this lock at its write until we let go.
    const holder: PoolClient = await db.pool.connect();
    cleanups.push(async () => holder.release());
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM reports WHERE id = $1 FOR UPDATE', [report.id]);

    const first = spawnWorker(settings, FAST_RECOVERY);
    await first.started();
    const queue = queueOn(TEST_ENV.redisUrl, settings.queuePrefix);
    const routeJobId = `route-${report.id}`;
    const firstPids = await waitFor(
      async () => {
        const pids = await workerPidsWaitingOnLock();
        return pids.length === 1 ? pids : null;
      },
      { timeoutMs: 20_000, what: 'the route job blocked' },
    );
    expect(await queue.getJobState(routeJobId)).toBe('active');

    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    // The job is still "active" in Redis, owned by a dead worker: only the stalled check can free it.
    expect(await queue.getJobState(routeJobId)).toBe('active');

    const second = spawnWorker(settings, FAST_RECOVERY);
    await second.started();
    // The second worker takes the job over once the dead worker's lock expires, and waits on our lock in turn.
    // (PostgreSQL notices the dead worker's backend only once the lock is granted, so look for a new one.)
    await waitFor(async () => (await workerPidsWaitingOnLock()).some((pid) => !firstPids.includes(pid)), {
      timeoutMs: 20_000,
      what: 'the job taken over',
    });
    await holder.query('COMMIT');

    const job = await waitFor(
      async () => {
        // State first, then the job: a job read before it completes carries no return value yet.
        return (await queue.getJobState(routeJobId)) === 'completed' ? queue.getJob(routeJobId) : null;
      },
      { timeoutMs: 20_000, what: 'the route job completed by the second worker' },
    );
    // Routing takes no lock between its read and its write: the dead worker's write was already sent and
    // waiting on our lock, and PostgreSQL, which notices the dead client only when it answers, may apply it.
    // Either worker may then have written the decision; it is written once, to the right team.
    expect(['routed', 'already-routed']).toContain(job.returnvalue.outcome);
    const { rows: routedTo } = await db.pool.query<{ name: string }>(
      'SELECT t.name FROM reports r JOIN teams t ON t.id = r.team_id WHERE r.id = $1',
      [report.id],
    );
    expect(routedTo).toEqual([{ name: 'Voirie — Paris 11e' }]);
    expect(job.stalledCounter).toBe(1);
    expect((await routingCounts([report.id])).get(report.id)).toEqual({ routed: 1, lateJobs: 2 });

    const { rows: photos } = await db.pool.query('SELECT id FROM photos WHERE report_id = $1', [report.id]);
    expect(photos).toHaveLength(1);
    const photoJob = await waitFor(
      async () => {
        const jobId = `photo-${photos[0].id}`;
        return (await queue.getJobState(jobId)) === 'completed' ? queue.getJob(jobId) : null;
      },
      { timeoutMs: 20_000, what: 'the photo job completed' },
    );
    // Processed once. The killed worker may have run the photo job too (concurrency 2): killed before
    // marking the photo ready, it left it pending and the finishing run made the renditions
    // ('processed'); killed after, but before BullMQ recorded the job as completed, the next run finds
    // it ready and does nothing ('already-done'). Either way, no second set of renditions.
    expect(['processed', 'already-done']).toContain(photoJob.returnvalue.outcome);
    const { rows: ready } = await db.pool.query('SELECT status, processed_at FROM photos WHERE id = $1', [
      photos[0].id,
    ]);
    expect(ready[0].status).toBe('ready');
    expect(ready[0].processed_at).not.toBeNull();
    // And the upload, with its EXIF, is gone in both cases.
    expect(await storageOf(settings).exists(`originals/${photos[0].id}`)).toBe(false);

    second.child.kill('SIGTERM');
    await second.exited;
    expect(second.child.exitCode).toBe(0);
  }, 120_000);
});

async function postReport(app: FastifyInstance) {
  const form = await multipart(reportFormFields());
  const response = await app.inject({ method: 'POST', url: '/api/reports', ...form });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; ref: string };
}

describe('a Redis restart that loses every job', () => {
  it('keeps accepting reports and routes every one of them exactly once, deadline checks included', async () => {
    const redis = await privateRedis();
    await redis.start();
    cleanups.push(redis.stop);
    const settings = { ...createTestSettings(db.url), redisUrl: redis.url };
    const app = await buildApp(testApiConfig(settings));
    cleanups.push(() => app.close());
    const runtime = await startWorker(
      testWorkerConfig(settings, { ...FAST_RECOVERY, JOB_SWEEP_INTERVAL_MS: '300', JOB_SWEEP_AFTER_MS: '3000' }),
      { logger },
    );
    cleanups.push(() => runtime.close());
    const queue = queueOn(redis.url, settings.queuePrefix);

    // Routed before the crash: their deadline checks wait in Redis as delayed jobs.
    const routedBefore = [await postReport(app), await postReport(app)];
    await waitFor(async () =>
      [...(await routingCounts(routedBefore.map((r) => r.id))).values()].every((c) => c.routed),
    );
    const lateJobIds = (
      await db.pool.query<{ job_id: string }>(
        `SELECT job_id FROM outbox WHERE job_name = 'report.late' AND payload->>'reportId' = ANY($1) ORDER BY id`,
        [routedBefore.map((r) => r.id)],
      )
    ).rows.map((r) => r.job_id);
    expect(lateJobIds).toHaveLength(4);
    const allDelayed = async () =>
      (await Promise.all(lateJobIds.map((id) => queue.getJobState(id)))).every((s) => s === 'delayed');
    await waitFor(allDelayed, { what: 'deadline checks in Redis' });

    // Queued in Redis but not yet run when it dies.
    await runtime.worker.pause();
    const queuedBefore = [await postReport(app), await postReport(app), await postReport(app)];
    for (const r of queuedBefore) {
      await waitFor(async () => (await queue.getJobState(`route-${r.id}`)) === 'waiting', { what: 'job queued' });
    }

    await redis.stop();
    // Redis is gone: the API still accepts reports, the outbox keeps their jobs.
    const acceptedWhileDown = [await postReport(app), await postReport(app)];
    const { rows: unsent } = await db.pool.query(
      `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND job_name = 'report.route' AND payload->>'reportId' = ANY($1)`,
      [acceptedWhileDown.map((r) => r.id)],
    );
    expect(unsent[0].n).toBe(2);

    await redis.start();
    runtime.worker.resume();

    const all = [...routedBefore, ...queuedBefore, ...acceptedWhileDown];
    const counts = await waitFor(
      async () => {
        const c = await routingCounts(all.map((r) => r.id));
        return [...c.values()].every((v) => v.routed > 0) ? c : null;
      },
      { timeoutMs: 30_000, what: 'every report routed after the restart' },
    );
    for (const r of all) expect(counts.get(r.id), r.ref).toEqual({ routed: 1, lateJobs: 2 });
    // The jobs that died with Redis were sent a second time from the outbox, under the same ids.
    const { rows: resent } = await db.pool.query<{ job_id: string; attempts: number }>(
      `SELECT job_id, attempts FROM outbox WHERE job_id = ANY($1)`,
      [[...queuedBefore.map((r) => `route-${r.id}`), ...lateJobIds]],
    );
    expect(resent).toHaveLength(queuedBefore.length + lateJobIds.length);
    for (const row of resent) expect(row.attempts, row.job_id).toBeGreaterThanOrEqual(2);
    // The deadline checks of the reports routed before the crash are scheduled again.
    await waitFor(allDelayed, { what: 'deadline checks re-scheduled' });
  }, 90_000);
});

describe('the job sweep', () => {
  let settings: TestSettings;
  let runtime: WorkerRuntime;
  let queue: Queue;

  beforeAll(async () => {
    settings = createTestSettings(db.url);
    runtime = await startWorker(
      testWorkerConfig(settings, { JOB_SWEEP_INTERVAL_MS: '200', JOB_SWEEP_AFTER_MS: '1500' }),
      { logger },
    );
    queue = createJobQueue(createProducerConnection(TEST_ENV.redisUrl), settings.queuePrefix);
  });

  afterAll(async () => {
    await runtime?.close();
    await queue?.close();
    await dropKeys(TEST_ENV.redisUrl, settings.queuePrefix);
  });

  it('re-enqueues a route job that vanished from Redis, once the report has waited long enough', async () => {
    await runtime.worker.pause();
    const report = await fileReport(settings);
    const jobId = `route-${report.id}`;
    await waitFor(async () => (await queue.getJobState(jobId)) === 'waiting', { what: 'job queued' });
    expect(await queue.remove(jobId)).toBe(1);
    runtime.worker.resume();

    await waitFor(async () => (await routingCounts([report.id])).get(report.id)!.routed === 1, {
      what: 'routing by the sweep',
    });
    const { rows } = await db.pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM routed_at - created_at) * 1000 AS ms FROM reports WHERE id = $1`,
      [report.id],
    );
    // Not before JOB_SWEEP_AFTER_MS: the sweep leaves young work to its own job.
    expect(Number(rows[0]!.ms)).toBeGreaterThan(1500);
    expect((await routingCounts([report.id])).get(report.id)).toEqual({ routed: 1, lateJobs: 2 });
  });

  it('routes a re-qualified report again even though its route job id already completed', async () => {
    const report = await fileReport(settings);
    await waitFor(async () => (await routingCounts([report.id])).get(report.id)!.routed === 1, { what: 'routing' });
    expect(await queue.getJobState(`route-${report.id}`)).toBe('completed');
    const admin = {
      id: 0,
      email: 'admin@ville.test',
      displayName: 'Admin',
      role: 'admin' as const,
      teamId: null,
      service: null,
      townCode: null,
    };
    await requalifyReport({ db: db.pool, geocoder: createLocalGeocoder(db.pool) }, admin, report.id, {
      category: 'encombrant',
    });
    const team = await waitFor(
      async () => {
        const { rows } = await db.pool.query(
          'SELECT t.name FROM reports r JOIN teams t ON t.id = r.team_id WHERE r.id = $1',
          [report.id],
        );
        return rows[0]?.name as string | undefined;
      },
      { what: 're-routing after requalification' },
    );
    expect(team).toBe('Propreté — Paris 11e');
    expect((await routingCounts([report.id])).get(report.id)!.routed).toBe(2);
    // Routed by the requalification's own job, not later by the sweep.
    const { rows: jobs } = await db.pool.query<{ job_id: string }>(
      `SELECT job_id FROM outbox WHERE job_name = 'report.route' AND payload->>'reportId' = $1 ORDER BY id`,
      [report.id],
    );
    expect(jobs.map((j) => j.job_id)).toEqual([`route-${report.id}`, expect.stringMatching(/^route-.+-\d+$/)]);
    expect(await queue.getJobState(jobs[1]!.job_id)).toBe('completed');
  });

  it('leaves a failed job failed (visible to staff) instead of re-running it forever', async () => {
    const { rows: disabled } = await db.pool.query<{ id: number }>(
      `UPDATE routing_rules SET is_active = false WHERE is_active RETURNING id`,
    );
    try {
      const report = await fileReport(settings);
      const jobId = `route-${report.id}`;
      await waitFor(async () => (await queue.getJobState(jobId)) === 'failed', { what: 'the job failed' });
      await waitFor(
        async () => {
          const { rows } = await db.pool.query(
            `SELECT now() - created_at > interval '2 s' AS old FROM reports WHERE id = $1`,
            [report.id],
          );
          return rows[0].old as boolean;
        },
        { what: 'the report old enough for the sweep (JOB_SWEEP_AFTER_MS)' },
      );
      // A pass that sees the unrouted report, finds its job failed, and leaves it there.
      expect(await runtime.sweeper.sweep()).toMatchObject({ requeued: 0 });
      const job = await queue.getJob(jobId);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
    } finally {
      await db.pool.query('UPDATE routing_rules SET is_active = true WHERE id = ANY($1)', [disabled.map((r) => r.id)]);
    }
  });
});
