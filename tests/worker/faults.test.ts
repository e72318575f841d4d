import { rmSync } from 'node:fs';
import { createLogger, createPool, type Pool } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../../apps/worker/src/runtime';
import { createTestSettings, testApiConfig, testWorkerConfig, type TestSettings } from '../support/config';
import {
  countByStatus,
  isOk,
  routingOf,
  steadyTraffic,
  trafficTo,
  type Answer,
  type TrafficClient,
} from '../support/fault-traffic';
import { privateRedis, type PrivateRedis } from '../support/private-redis';
import { createCityDatabase, startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres';
import { waitFor } from '../support/wait';

// Issue #12: the API and the worker ride out a PostgreSQL restart and a Redis outage under traffic.
// Both servers are this file's own (a throwaway cluster, a private redis-server): the shared ones are
// never stopped.

const logger = createLogger({ level: 'silent', name: 'test' });

let cluster: ThrowawayPostgres | undefined;
let redis: PrivateRedis | undefined;
let settings: TestSettings | undefined;
let db: Pool;
let app: FastifyInstance | undefined;
let traffic: TrafficClient;
let runtime: WorkerRuntime | undefined;
/** The error behind every 500 the API sent: its code is one the error handler does not recognise. */
const causesOf500: { code?: string; message: string }[] = [];

beforeAll(async () => {
  cluster = await startThrowawayPostgres();
  const url = await createCityDatabase(cluster);
  redis = await privateRedis();
  await redis.start();
  settings = { ...createTestSettings(url), redisUrl: redis.url };
  db = createPool({ connectionString: url, max: 2, applicationName: 'pave-test' });
  app = await buildApp(testApiConfig(settings));
  const errors = new Map<string, Error & { code?: string }>();
  app.addHook('onError', async (request, _reply, error) => void errors.set(request.id, error));
  app.addHook('onResponse', async (request, reply) => {
    const error = errors.get(request.id);
    errors.delete(request.id);
    if (reply.statusCode === 500) causesOf500.push({ code: error?.code, message: error?.message ?? '(none)' });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Bounded: a request hanging on a dead connection must show up as a failure, not stall the test.
  traffic = trafficTo(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`, { timeoutMs: 20_000 });
  runtime = await startWorker(
    // A short sweep, so jobs Redis lost are sent again within seconds rather than the production minute.
    testWorkerConfig(settings, { JOB_SWEEP_INTERVAL_MS: '500', JOB_SWEEP_AFTER_MS: '5000' }),
    { logger },
  );
}, 120_000);

afterAll(async () => {
  await runtime?.close().catch(() => {});
  await app?.close().catch(() => {});
  await db?.end().catch(() => {});
  await redis?.stop();
  await cluster?.destroy();
  if (settings) rmSync(settings.storageDir, { recursive: true, force: true });
}, 60_000);

const describeAnswer = (a: Answer) => `${a.request} → ${a.status} ${JSON.stringify(a.body)}`;

/** Waits until every report has its team, then checks that each was routed exactly once. */
async function expectAllRoutedOnce(ids: string[], timeoutMs: number): Promise<void> {
  const routing = await waitFor(
    async () => {
      const r = await routingOf(db, ids);
      return [...r.values()].filter((v) => v.hasTeam).length === ids.length ? r : null;
    },
    { timeoutMs, intervalMs: 200, what: `all ${ids.length} reports routed` },
  );
  expect(
    ids.filter((id) => routing.get(id)!.routed !== 1),
    'reports not routed exactly once',
  ).toEqual([]);
}

describe('a PostgreSQL restart under steady traffic', () => {
  it('answers at most 503 during the restart, succeeds again within 5 s, and loses no accepted report', async () => {
    const answers: Answer[] = [];
    let restartedAt = Number.POSITIVE_INFINITY;
    let isDone = false;
    const running = steadyTraffic(traffic, answers, { lanes: 2, paceMs: 50, maxRequests: 2_000, isDone: () => isDone });
    try {
      await waitFor(async () => answers.filter(isOk).length >= 20, { timeoutMs: 30_000, what: 'steady traffic' });
      const restartStartedAt = Date.now();
      await cluster!.restart();
      restartedAt = Date.now();
      // Traffic goes on until 20 requests made after the restart were answered successfully.
      await waitFor(async () => answers.filter((a) => a.startedAt >= restartedAt && isOk(a)).length >= 20, {
        timeoutMs: 30_000,
        what: 'traffic answered after the restart',
      });
      isDone = true;
      await running;

      // A request overlapping the restart (from pg_ctl's start to its return) may fail; no other may.
      const during = answers.filter((a) => a.endedAt >= restartStartedAt && a.startedAt <= restartedAt);
      const outside = answers.filter((a) => a.endedAt < restartStartedAt || a.startedAt > restartedAt);
      const firstAfter = Math.min(
        ...answers.filter((a) => a.startedAt >= restartedAt && isOk(a)).map((a) => a.endedAt - restartedAt),
      );
      const accepted = answers.filter((a) => a.request === 'POST /api/reports' && a.status === 201);
      console.log(
        `PostgreSQL restart (pg_ctl restart -m fast) took ${restartedAt - restartStartedAt} ms; ${answers.length} answers: ` +
          `${during.length} overlapping it (failed: ${countByStatus(during.filter((a) => !isOk(a)))}), ` +
          `${outside.length} outside (failed: ${countByStatus(outside.filter((a) => !isOk(a)))}); first success ` +
          `${firstAfter} ms after it; ${accepted.length} reports accepted; behind the 500s: ${JSON.stringify(causesOf500)}`,
      );

      expect(firstAfter).toBeLessThanOrEqual(5_000);
      // Outside the restart every request succeeds: no 500, and no stale connection answering 503 either.
      expect(outside.filter((a) => !isOk(a)).map(describeAnswer)).toEqual([]);
      // Every report acknowledged with a 201 is in the database, and the worker routes each one once.
      const ids = accepted.map((a) => a.body!.id!);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE id = ANY($1)', [
        ids,
      ]);
      expect(rows[0]!.n).toBe(ids.length);
      await expectAllRoutedOnce(ids, 60_000);
      // During it, a failure is a 503 { code, message }: never a 500, a dropped connection or a hang.
      for (const a of during.filter((a) => !isOk(a))) {
        expect(a.status, `${describeAnswer(a)}; behind the 500s: ${JSON.stringify(causesOf500)}`).toBe(503);
        expect(a.body, describeAnswer(a)).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
      }
    } finally {
      isDone = true;
      await running;
    }
  }, 180_000);
});

describe('a Redis outage while reports are filed', () => {
  const REPORTS = 100;
  /** Held at least this long, however quickly the reports are filed: the relay and the worker must see it. */
  const OUTAGE_MS = 3_000;

  it(`accepts ${REPORTS} reports while Redis is down, then routes every one exactly once`, async () => {
    await redis!.stop();
    const stoppedAt = Date.now();
    // 25 at a time: while Redis is away each request waits for its rate-limit check to fail open.
    const filed: Answer[] = [];
    for (let i = 0; i < REPORTS; i += 25) {
      filed.push(...(await Promise.all(Array.from({ length: Math.min(25, REPORTS - i) }, () => traffic.postReport()))));
    }
    const filedMs = Date.now() - stoppedAt;
    expect(filed.filter((a) => a.status !== 201).map(describeAnswer)).toEqual([]);
    const ids = filed.map((a) => a.body!.id!);
    // Nothing could reach Redis: every route job waits in the outbox.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox
        WHERE job_name = 'report.route' AND sent_at IS NULL AND payload->>'reportId' = ANY($1)`,
      [ids],
    );
    expect(rows[0]!.n).toBe(REPORTS);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));

    await redis!.start();
    const backAt = Date.now();
    await expectAllRoutedOnce(ids, 60_000);
    const latencies = filed.map((a) => a.endedAt - a.startedAt).sort((a, b) => a - b);
    console.log(
      `Redis outage of ${backAt - stoppedAt} ms: ${REPORTS} reports filed in ${filedMs} ms (all 201; each took ` +
        `${latencies[0]}–${latencies.at(-1)} ms, median ${latencies[latencies.length >> 1]}); all routed, once each, ` +
        `${Date.now() - backAt} ms after Redis was back`,
    );
  }, 120_000);
});
