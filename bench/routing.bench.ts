// Issue 4 benchmarks: routing throughput through the outbox, BullMQ and the routing worker, against a
// bare BullMQ queue and no-op worker on the same Redis with the same concurrency; and the staff queue
// page (the default page of a supervisor and of a crew) over 100,000 open reports against its own SQL.
import {
  createJobQueue,
  createLogger,
  createPool,
  createWorkerConnection,
  createProducerConnection,
  listQueue,
  migrate,
  type Pool,
  type StaffUser,
} from '@pave/core';
import { seedBenchReports, seedCity } from '@pave/core/seed';
import { Worker } from 'bullmq';
import { startWorker } from '../apps/worker/src/runtime';
import { createTestSettings, testWorkerConfig } from '../tests/support/config';
import { createTestDatabase } from '../tests/support/db';
import globalSetup from '../tests/support/global-setup';
import { TEST_ENV } from '../tests/support/env';
import { captureQuery, measurePair, type Stats } from './lib';

const REPORTS = Number(process.env.BENCH_ROUTING_REPORTS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUTING_ROUNDS ?? 3);
const OPEN_REPORTS = 100_000;
const QUEUE_BENCH_URL = process.env.BENCH_QUEUE_DATABASE_URL ?? 'postgres://pave:pave@127.0.0.1:5432/pave_bench_queue';
const CONCURRENCY = '2';

/** Resolves when `probe` is true, polling every 10 ms (benchmarks measure until state, never a fixed sleep). */
async function until(probe: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > giveUpAt) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `count` new reports in the 11th with their `report.route` outbox rows, as the API writes them, in one statement. */
async function insertReports(pool: Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH created AS (
       INSERT INTO reports (category_id, geom, source, description)
       SELECT (SELECT id FROM categories WHERE code = 'nid-de-poule'),
              ST_SetSRID(ST_MakePoint(2.37 + random() * 0.02, 48.855 + random() * 0.008), 4326), 'bench', 'bench'
         FROM generate_series(1, $1) RETURNING id),
     queued AS (
       INSERT INTO outbox (job_name, job_id, payload)
       SELECT 'report.route', 'route-' || id, jsonb_build_object('reportId', id::text) FROM created)
     SELECT id FROM created`,
    [count],
  );
  return rows.map((r) => r.id);
}

const rate = (count: number, ms: number) => (count * 1000) / ms;

export async function routingThroughput(): Promise<void> {
  await globalSetup();
  const db = await createTestDatabase();
  const settings = createTestSettings(db.url);
  const logger = createLogger({ level: 'silent', name: 'bench' });
  // The sweep would only look at old unrouted reports; keep it out of the measured minutes.
  const runtime = await startWorker(
    testWorkerConfig(settings, {
      WORKER_CONCURRENCY: CONCURRENCY,
      OUTBOX_POLL_MS: '1000',
      JOB_SWEEP_INTERVAL_MS: '3600000',
    }),
    { logger },
  );
  const baselinePrefix = `${settings.queuePrefix}-bare`;
  const producer = createProducerConnection(TEST_ENV.redisUrl);
  const bareQueue = createJobQueue(producer, baselinePrefix);
  let done = 0;
  // BullMQ leaves a connection it was given open on close(): it is closed below, or the bench never exits.
  const bareWorkerConnection = createWorkerConnection(TEST_ENV.redisUrl);
  const bareWorker = new Worker(bareQueue.name, async () => void done++, {
    connection: bareWorkerConnection,
    prefix: baselinePrefix,
    concurrency: Number(CONCURRENCY),
  });
  const subjectRates: number[] = [];
  const baselineRates: number[] = [];
  try {
    const subject = async () => {
      await runtime.relay.stop();
      const ids = await insertReports(db.pool, REPORTS);
      const start = performance.now();
      await runtime.relay.start();
      await until(async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM reports WHERE id = ANY($1) AND team_id IS NOT NULL',
          [ids],
        );
        return rows[0]!.n === ids.length;
      });
      subjectRates.push(rate(ids.length, performance.now() - start));
    };
    const baseline = async () => {
      done = 0;
      const start = performance.now();
      for (let i = 0; i < REPORTS; i += 500) {
        await bareQueue.addBulk(
          Array.from({ length: Math.min(500, REPORTS - i) }, () => ({
            name: 'noop',
            data: { reportId: crypto.randomUUID() },
          })),
        );
      }
      await until(async () => done === REPORTS);
      baselineRates.push(rate(REPORTS, performance.now() - start));
    };
    await measurePair(subject, baseline, { iterations: ROUNDS, warmup: 1 });
  } finally {
    await bareWorker.close();
    bareWorkerConnection.disconnect();
    await bareQueue.obliterate({ force: true }).catch(() => {});
    await bareQueue.close();
    producer.disconnect();
    await runtime.close();
    await db.drop();
  }
  // Warm-up rounds are in the arrays first; keep the timed ones.
  const timedSubject = subjectRates.slice(-ROUNDS);
  const timedBaseline = baselineRates.slice(-ROUNDS);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const s = median(timedSubject);
  const b = median(timedBaseline);
  console.log(
    `routing ${REPORTS.toLocaleString('en')} reports (outbox → relay → BullMQ → report.route, concurrency ${CONCURRENCY}): ` +
      `median ${s.toFixed(0)} reports/s (rounds: ${timedSubject.map((r) => r.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  bare BullMQ addBulk + no-op worker, same count and concurrency: median ${b.toFixed(0)} jobs/s (rounds: ${timedBaseline.map((r) => r.toFixed(0)).join(', ')})`,
  );
  console.log(`  ratio routed/bare: ${(s / b).toFixed(2)}×`);
}

/** A database with the reference city and exactly 100,000 open reports (the fixture, every report re-opened). */
async function queueDatabase(): Promise<Pool> {
  const url = new URL(QUEUE_BENCH_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = createPool({ connectionString: adminUrl.toString(), max: 1 });
  try {
    const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  // Seeding and re-opening 100k rows takes longer than the default statement timeout.
  const pool = createPool({
    connectionString: url.toString(),
    max: 2,
    applicationName: 'pave-bench',
    statementTimeoutMs: 600_000,
  });
  // PostGIS must already exist (created by a superuser, as infra/bootstrap.sh does for pave_bench).
  await migrate(pool);
  const { rows } = await pool.query<{ open: number; total: number }>(
    `SELECT count(*) FILTER (WHERE closed_at IS NULL)::int AS open, count(*)::int AS total FROM reports`,
  );
  if (rows[0]!.open !== OPEN_REPORTS || rows[0]!.total !== OPEN_REPORTS) {
    console.log(`queue bench: seeding ${OPEN_REPORTS.toLocaleString('en')} open reports into ${name}…`);
    await seedCity(pool);
    await pool.query('TRUNCATE reports CASCADE');
    await seedBenchReports(pool, { count: OPEN_REPORTS, seed: 2026 });
    // The fixture ages most reports into closed states; a backlog of 100k open reports is the case to measure.
    // Statuses spread over the open ones, deadlines kept: most are late, as in a real backlog.
    await pool.query(
      `UPDATE reports SET closed_at = NULL,
              status = (ARRAY['new', 'acknowledged', 'scheduled', 'in_progress', 'reopened'])[1 + abs(hashtext(id::text)) % 5]
        WHERE closed_at IS NOT NULL OR status NOT IN ('new', 'acknowledged', 'scheduled', 'in_progress', 'reopened')`,
    );
    await pool.query('VACUUM ANALYZE reports');
  }
  return pool;
}

export async function queuePage(): Promise<void> {
  const pool = await queueDatabase();
  try {
    const { rows: team } = await pool.query<{ id: number; code: string; n: number }>(
      `SELECT t.id, t.code, count(*)::int AS n FROM reports r JOIN teams t ON t.id = r.team_id
        GROUP BY t.id, t.code ORDER BY n DESC LIMIT 1`,
    );
    const busiest = team[0]!;
    const { rows: inService } = await pool.query<{ n: number; service: string }>(
      `SELECT count(*)::int AS n, t.service FROM reports r JOIN teams t ON t.id = r.team_id
        WHERE t.service = (SELECT service FROM teams WHERE id = $1) GROUP BY t.service`,
      [busiest.id],
    );
    const service = inService[0]!.service;
    const users: [string, StaffUser, number][] = [
      [
        `supervisor of "${service}"`,
        { id: 0, email: 's@bench', displayName: 's', role: 'supervisor', teamId: null, service, townCode: null },
        inService[0]!.n,
      ],
      [
        `crew of "${busiest.code}"`,
        { id: 0, email: 'c@bench', displayName: 'c', role: 'crew', teamId: busiest.id, service, townCode: null },
        busiest.n,
      ],
    ];
    console.log(
      `queue page: ${OPEN_REPORTS.toLocaleString('en')} open reports in ${QUEUE_BENCH_URL.replace(/\/\/[^@]*@/, '//')}`,
    );
    for (const [who, user, inScope] of users) {
      // The exact SQL and parameters the service sends, captured once, are the raw baseline.
      const { result: page, sql } = await captureQuery(pool, (db) => listQueue({ db }, user, {}));
      const { subject, baseline } = await measurePair(
        () => listQueue({ db: pool }, user, {}),
        () => pool.query(sql.text, sql.values),
        { iterations: 200, warmup: 10 },
      );
      const { rows: plan } = await pool.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.text}`,
        sql.values,
      );
      const json = (plan[0]!['QUERY PLAN'] as { 'Execution Time': number; Plan: { 'Node Type': string } }[])[0]!;
      console.log(
        `  ${who} (${inScope.toLocaleString('en')} open reports in scope, page of ${page.reports.length}): ` +
          `listQueue ${line(subject)} vs raw SQL ${line(baseline)} → ${(subject.p50 / baseline.p50).toFixed(2)}×; ` +
          `EXPLAIN ANALYZE execution ${json['Execution Time'].toFixed(1)} ms (top node ${json.Plan['Node Type']})`,
      );
    }
  } finally {
    await pool.end();
  }
}

function line(stats: Stats): string {
  return `p50 ${stats.p50.toFixed(1)} ms / p95 ${stats.p95.toFixed(1)} ms`;
}

export async function run(): Promise<void> {
  await routingThroughput();
  await queuePage();
}
