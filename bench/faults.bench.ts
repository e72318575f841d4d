// Issue 12 benchmarks: faults under load, the long version of tests/worker/faults.test.ts. A PostgreSQL
// restart during steady traffic, and Redis down for 60 s while 1,000 reports are filed, against the real API
// (over HTTP) and worker. Both servers are the bench's own (a throwaway cluster, a private redis-server): the
// shared ones are never stopped. Baselines from the same run: the traffic's own latency away from the restart,
// and 1,000 reports filed and routed with Redis up.
import { rmSync } from 'node:fs';
import { createLogger, createPool, type Pool } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/api/src/app';
import { startWorker, type WorkerRuntime } from '../apps/worker/src/runtime';
import { createTestSettings, testApiConfig, testWorkerConfig } from '../tests/support/config';
import {
  countByStatus,
  isOk,
  routingOf,
  steadyTraffic,
  trafficTo,
  type Answer,
  type TrafficClient,
} from '../tests/support/fault-traffic';
import { privateRedis, type PrivateRedis } from '../tests/support/private-redis';
import {
  createCityDatabase,
  startThrowawayPostgres,
  type ThrowawayPostgres,
} from '../tests/support/throwaway-postgres';
import { summarise } from './lib';

const REPORTS = Number(process.env.BENCH_FAULTS_REPORTS ?? 1_000);
const OUTAGE_MS = Number(process.env.BENCH_FAULTS_OUTAGE_MS ?? 60_000);
/** Steady traffic before the PostgreSQL restart, and after it. */
const TRAFFIC_MS = Number(process.env.BENCH_FAULTS_TRAFFIC_MS ?? 10_000);
/** Requests filing reports at once while Redis is down: each waits for its rate-limit check to fail open. */
const FILING_LANES = 100;

interface Stack {
  cluster: ThrowawayPostgres;
  redis: PrivateRedis;
  db: Pool;
  app: FastifyInstance;
  baseUrl: string;
  runtime: WorkerRuntime;
  /** The error behind every 500 the API sent: its code is what the error handler did not recognise. */
  causesOf500: string[];
}

/** Files `count` reports, `lanes` at a time. */
async function fileReports(client: TrafficClient, count: number, lanes: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      answers.push(await client.postReport());
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return answers;
}

const is5xx = (a: Answer) => a.status >= 500 || a.status === 0;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const latency = (answers: Answer[]) => {
  if (answers.length === 0) return 'n=0';
  const s = summarise(answers.map((a) => a.endedAt - a.startedAt));
  return `p50 ${s.p50.toFixed(0)} ms, p90 ${s.p90.toFixed(0)} ms (n=${s.n})`;
};

function countStrings(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n}× ${v}`).join(', ') || 'none';
}

/** Per report: in the database at all, routed (has a team), and routed more than once. */
async function routingSummary(db: Pool, ids: string[]) {
  const routing = [...(await routingOf(db, ids)).values()];
  return {
    found: routing.length,
    routed: routing.filter((r) => r.hasTeam).length,
    routedTwice: routing.filter((r) => r.routed > 1).length,
  };
}

/** Resolves with the milliseconds until every report has its team, polling every 100 ms; gives up after `timeoutMs`. */
async function timeUntilRouted(db: Pool, ids: string[], timeoutMs: number): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if ((await routingSummary(db, ids)).routed === ids.length) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function startStack(): Promise<Stack> {
  const cluster = await startThrowawayPostgres();
  const stack: Partial<Stack> = { cluster };
  try {
    const url = await createCityDatabase(cluster);
    stack.redis = await privateRedis();
    await stack.redis.start();
    const settings = { ...createTestSettings(url), redisUrl: stack.redis.url };
    stack.db = createPool({ connectionString: url, max: 2, applicationName: 'pave-bench' });
    const app = await buildApp(testApiConfig(settings));
    stack.app = app;
    const causesOf500: string[] = [];
    const errors = new Map<string, Error & { code?: string }>();
    app.addHook('onError', async (request, _reply, error) => void errors.set(request.id, error));
    app.addHook('onResponse', async (request, reply) => {
      const error = errors.get(request.id);
      errors.delete(request.id);
      if (reply.statusCode === 500) causesOf500.push(`${error?.code ?? '(no code)'} ${error?.message ?? ''}`.trim());
    });
    app.addHook('onClose', async () => rmSync(settings.storageDir, { recursive: true, force: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    // The production outbox poll and job sweep (testWorkerConfig shortens the poll for tests).
    stack.runtime = await startWorker(testWorkerConfig(settings, { OUTBOX_POLL_MS: '1000' }), {
      logger: createLogger({ level: 'silent', name: 'bench' }),
    });
    return {
      ...(stack as Stack),
      baseUrl: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
      causesOf500,
    };
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
}

async function stopStack(stack: Partial<Stack>): Promise<void> {
  await stack.runtime?.close().catch(() => {});
  await stack.app?.close().catch(() => {});
  await stack.db?.end().catch(() => {});
  await stack.redis?.stop();
  await stack.cluster?.destroy();
}

async function postgresRestart(stack: Stack): Promise<void> {
  const answers: Answer[] = [];
  let isDone = false;
  const traffic = steadyTraffic(trafficTo(stack.baseUrl, { timeoutMs: 30_000 }), answers, {
    lanes: 4,
    paceMs: 100,
    maxRequests: 100_000,
    isDone: () => isDone,
  });
  let restartStartedAt = 0;
  let restartedAt = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
    restartStartedAt = Date.now();
    await stack.cluster.restart();
    restartedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
  } finally {
    isDone = true;
    await traffic;
  }

  const during = answers.filter((a) => a.endedAt >= restartStartedAt && a.startedAt <= restartedAt);
  const before = answers.filter((a) => a.endedAt < restartStartedAt);
  const after = answers.filter((a) => a.startedAt > restartedAt);
  const firstOkAfter = Math.min(...after.filter(isOk).map((a) => a.endedAt));
  const lastFailure = Math.max(restartStartedAt, ...answers.filter((a) => !isOk(a)).map((a) => a.endedAt));
  const accepted = answers.filter((a) => a.request === 'POST /api/reports' && a.status === 201).map((a) => a.body!.id!);
  const routedIn = await timeUntilRouted(stack.db, accepted, 180_000);
  const routing = await routingSummary(stack.db, accepted);

  console.log(
    `PostgreSQL restart under steady traffic (4 lanes, POST a report then GET it, one request per lane per 100 ms at most; ` +
      `${seconds(TRAFFIC_MS)} before, ${seconds(TRAFFIC_MS)} after): pg_ctl restart -m fast took ${seconds(restartedAt - restartStartedAt)}`,
  );
  console.log(
    `  API answering again: ${seconds(firstOkAfter - restartedAt)} after the restart completed ` +
      `(last failed answer ${lastFailure >= restartedAt ? `${seconds(lastFailure - restartedAt)} after` : `${seconds(restartedAt - lastFailure)} before`} it)`,
  );
  console.log(
    `  answers: ${answers.length}; outside the restart ${before.length + after.length}, of which 5xx: ` +
      `${[...before, ...after].filter(is5xx).length} (not OK: ${countByStatus([...before, ...after].filter((a) => !isOk(a)))}); ` +
      `overlapping it ${during.length} (not OK: ${countByStatus(during.filter((a) => !isOk(a)))})`,
  );
  console.log(`  causes of the 500s: ${countStrings(stack.causesOf500)}`);
  console.log(
    `  reports accepted (201): ${accepted.length}; lost (not in the database): ${accepted.length - routing.found}; ` +
      `routed: ${routing.routed} (${routedIn === null ? 'NOT ALL within 180 s' : `all within ${seconds(routedIn)} after the traffic stopped`}); ` +
      `routed twice: ${routing.routedTwice}`,
  );
  console.log(
    `  latency of OK answers: before the restart ${latency(before.filter(isOk))}; after ${latency(after.filter(isOk))}`,
  );
}

async function redisOutage(stack: Stack): Promise<void> {
  await stack.redis.stop();
  const stoppedAt = Date.now();
  const filed = await fileReports(trafficTo(stack.baseUrl, { timeoutMs: 30_000 }), REPORTS, FILING_LANES);
  const filedMs = Date.now() - stoppedAt;
  // The outage lasts OUTAGE_MS, or as long as the filing if that takes longer.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
  await stack.redis.start();
  const backAt = Date.now();
  const accepted = filed.filter((a) => a.status === 201).map((a) => a.body!.id!);
  const routedIn = await timeUntilRouted(stack.db, accepted, 600_000);
  const routing = await routingSummary(stack.db, accepted);

  // Baseline, same machine and same run: as many reports filed with Redis up while the relay is held,
  // then routed from that backlog once the relay starts.
  await stack.runtime.relay.stop();
  const baselineFiled = await fileReports(trafficTo(stack.baseUrl, { timeoutMs: 30_000 }), REPORTS, FILING_LANES);
  const baselineIds = baselineFiled.filter((a) => a.status === 201).map((a) => a.body!.id!);
  await stack.runtime.relay.start();
  const baselineRoutedIn = await timeUntilRouted(stack.db, baselineIds, 600_000);
  const baselineRouting = await routingSummary(stack.db, baselineIds);

  console.log(
    `Redis down for ${seconds(backAt - stoppedAt)} (SIGKILL, nothing persisted) while ${REPORTS.toLocaleString('en')} reports were filed ` +
      `(${FILING_LANES} at a time, in ${seconds(filedMs)}):`,
  );
  console.log(
    `  accepted (201): ${accepted.length}; not accepted: ${countByStatus(filed.filter((a) => a.status !== 201))}; ` +
      `lost (not in the database): ${accepted.length - routing.found}`,
  );
  console.log(
    `  all routed ${routedIn === null ? 'NOT within 600 s' : seconds(routedIn)} after Redis returned ` +
      `(${routing.routed} routed); routed twice: ${routing.routedTwice}`,
  );
  console.log(
    `  baseline, Redis up: ${baselineIds.length} reports routed from a held backlog in ` +
      `${baselineRoutedIn === null ? 'NOT within 600 s' : seconds(baselineRoutedIn)}; routed twice: ${baselineRouting.routedTwice}` +
      (routedIn !== null && baselineRoutedIn !== null
        ? ` → outage recovery / baseline ${(routedIn / baselineRoutedIn).toFixed(2)}×`
        : ''),
  );
  console.log(
    `  POST /api/reports latency with Redis down ${latency(filed)}; with Redis up (baseline) ${latency(baselineFiled)}`,
  );
}

export async function run(): Promise<void> {
  // A pg client that loses its connection while checked out from the pool emits 'error' with no listener,
  // which crashes the process: count such errors instead, so the bench finishes and reports them.
  const uncaught: string[] = [];
  const onUncaught = (error: Error & { code?: string }) =>
    void uncaught.push(`${error.code ?? ''} ${error.message}`.trim());
  process.on('uncaughtException', onUncaught);
  const stack = await startStack();
  try {
    await postgresRestart(stack);
    await redisOutage(stack);
  } finally {
    await stopStack(stack);
    process.off('uncaughtException', onUncaught);
  }
  console.log(
    `uncaught errors (each would have stopped an API or worker process): ${uncaught.length}` +
      (uncaught.length ? ` — ${countStrings(uncaught)}` : ''),
  );
}
