// Issue 4 and #18 benchmarks: routing throughput through the outbox, BullMQ and the routing worker,
// against its real baseline (the same routing SQL sent directly with pg, same reports, same concurrency,
// no queue) and, as context, a bare BullMQ queue with a no-op worker; and the staff queue page (the
// default page of a supervisor and of a crew) over 100,000 open reports against its own SQL.
import {
  createJobQueue,
  createLogger,
  createPool,
  createWorkerConnection,
  createProducerConnection,
  listQueue,
  migrate,
  routeReport,
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
import { captureQueries, captureQuery, measurePair, type Stats } from './lib';

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

/**
 * `count` new reports in the 11th, in one statement, with their `report.route` outbox rows as the API
 * writes them (`isQueued`), or without them for the direct baseline, which routes them itself.
 */
async function insertReports(pool: Pool, count: number, isQueued: boolean): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH created AS (
       INSERT INTO reports (category_id, geom, source, description)
       SELECT (SELECT id FROM categories WHERE code = 'nid-de-poule'),
              ST_SetSRID(ST_MakePoint(2.37 + random() * 0.02, 48.855 + random() * 0.008), 4326), 'bench', 'bench'
         FROM generate_series(1, $1) RETURNING id),
     queued AS (
       INSERT INTO outbox (job_name, job_id, payload)
       SELECT 'report.route', 'route-' || id, jsonb_build_object('reportId', id::text) FROM created WHERE $2)
     SELECT id FROM created`,
    [count, isQueued],
  );
  return rows.map((r) => r.id);
}

const rate = (count: number, ms: number) => (count * 1000) / ms;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rounds = (values: number[]) => values.map((r) => r.toFixed(0)).join(', ');

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
  const rates = { routed: [] as number[], direct: [] as number[], bare: [] as number[] };
  let statementsPerReport = 0;
  try {
    // Measured until every report's job has completed and the deadline checks routing wrote are handed
    // to BullMQ too: that relay is part of what a routed report costs. Completions are counted from the
    // worker's events, not by polling the reports, so the wait itself loads neither the database nor the CPU.
    let routedCount = 0;
    runtime.worker.on('completed', (job) => {
      if (job.name === 'report.route' && (job.returnvalue as { outcome?: string }).outcome === 'routed') routedCount++;
    });
    const routed = async () => {
      await runtime.relay.stop();
      const ids = await insertReports(db.pool, REPORTS, true);
      routedCount = 0;
      const start = performance.now();
      await runtime.relay.start();
      await until(async () => {
        if (routedCount < ids.length) return false;
        const { rows } = await db.pool.query<{ pending: number }>(
          'SELECT count(*)::int AS pending FROM outbox WHERE sent_at IS NULL',
        );
        return rows[0]!.pending === 0;
      });
      rates.routed.push(rate(ids.length, performance.now() - start));
    };
    // The same routing SQL (routeReport's statements) sent directly with pg by as many lanes as the
    // worker's concurrency: no outbox, relay, BullMQ or job bookkeeping. The relay stays stopped meanwhile,
    // and the deadline checks these statements write are marked sent afterwards, outside the timing.
    const direct = async () => {
      await runtime.relay.stop();
      const ids = await insertReports(db.pool, REPORTS, false);
      let next = 0;
      const lane = async () => {
        while (next < ids.length) {
          const outcome = await routeReport(db.pool, ids[next++]!);
          if (outcome.outcome !== 'routed') throw new Error(`direct routing: ${outcome.outcome}`);
        }
      };
      const start = performance.now();
      await Promise.all(Array.from({ length: Number(CONCURRENCY) }, lane));
      rates.direct.push(rate(ids.length, performance.now() - start));
      await db.pool.query(`UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND job_name = 'report.late'`);
      await runtime.relay.start();
    };
    const bare = async () => {
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
      rates.bare.push(rate(REPORTS, performance.now() - start));
    };
    // One warm-up round, then each round runs the three in a rotated order, so drifting machine load
    // falls on all three alike.
    const runs = [routed, direct, bare];
    for (let round = 0; round <= ROUNDS; round += 1) {
      for (let k = 0; k < runs.length; k += 1) await runs[(round + k) % runs.length]!();
    }
    // How many statements routing sends for one report, counted on one more report.
    const [probeId] = await insertReports(db.pool, 1, false);
    statementsPerReport = (await captureQueries(db.pool, (pool) => routeReport(pool, probeId!))).sql.length;
  } finally {
    await bareWorker.close();
    bareWorkerConnection.disconnect();
    await bareQueue.obliterate({ force: true }).catch(() => {});
    await bareQueue.close();
    producer.disconnect();
    await runtime.close();
    await db.drop();
  }
  // The warm-up round is first in each array; keep the timed ones.
  const [routedRates, directRates, bareRates] = [rates.routed, rates.direct, rates.bare].map((r) => r.slice(1));
  const s = median(routedRates!);
  const d = median(directRates!);
  const b = median(bareRates!);
  console.log(
    `routing ${REPORTS.toLocaleString('en')} reports (outbox → relay → BullMQ → report.route, concurrency ${CONCURRENCY}, ` +
      `${statementsPerReport} statements per report): median ${s.toFixed(0)} reports/s (rounds: ${rounds(routedRates!)})`,
  );
  console.log(
    `  baseline, the same routing SQL sent directly with pg, same concurrency: median ${d.toFixed(0)} reports/s (rounds: ${rounds(directRates!)})`,
  );
  console.log(`  ratio routed/direct: ${(s / d).toFixed(2)}× (target ≥ 0.5×: ${s / d >= 0.5 ? 'within' : 'UNDER'})`);
  console.log(
    `  context, bare BullMQ addBulk + no-op worker, same count and concurrency: median ${b.toFixed(0)} jobs/s (rounds: ${rounds(bareRates!)}); routed/bare ${(s / b).toFixed(2)}×`,
  );
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
