import { createLogger } from '@pave/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startWorker } from '../../apps/worker/src/runtime';
import { testWorkerConfig } from '../support/config';
import { openEventStream } from '../support/event-stream';
import { fileReport } from '../support/factories';
import { freePort } from '../support/private-redis';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({ api: false });

/** One sample's value from a Prometheus text page, by metric name and exact label set; undefined if absent. */
function sample(page: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = page
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.slice(0, l.indexOf('}')).includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const scrape = async (url: string) => {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
};

describe("the API's metrics (METRICS_PORT)", () => {
  it('serves request durations by route pattern and status, live streams, the pool and the outbox, apart from the API', async () => {
    const port = await freePort();
    const app = await stack.buildApp({ METRICS_PORT: String(port) });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const api = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const metricsUrl = `http://127.0.0.1:${port}/metrics`;

    const report = await fileReport(stack.deps);
    for (let i = 0; i < 3; i += 1) expect((await app.inject(`/api/reports/${report.id}`)).statusCode).toBe(200);
    expect((await app.inject('/api/reports/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const stream = await openEventStream(`${api}/api/events`);
    await stream.next();

    const page = await scrape(metricsUrl);
    // The pattern, not the URL: one series for every report, whatever its id.
    const route = { method: 'GET', route: '/api/reports/:id' };
    expect(sample(page, 'pave_http_request_duration_seconds_count', { ...route, status: '200' })).toBe(3);
    expect(sample(page, 'pave_http_request_duration_seconds_count', { ...route, status: '404' })).toBe(1);
    expect(page).not.toContain(report.id);
    expect(sample(page, 'pave_sse_clients', { stream: 'public' })).toBe(1);
    expect(sample(page, 'pave_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    // The filed report's route and photo jobs wait in the outbox: no worker runs in this test.
    expect(sample(page, 'pave_outbox_pending', { app: 'api' })).toBeGreaterThanOrEqual(1);
    // From the same scrape's read, not the previous one (the first scrape has no previous one).
    expect(sample(page, 'pave_outbox_oldest_age_seconds', { app: 'api' })).toBeGreaterThan(0);
    expect(sample(page, 'pave_process_resident_memory_bytes', { app: 'api' })).toBeGreaterThan(0);

    stream.close();
    await waitFor(async () => sample(await scrape(metricsUrl), 'pave_sse_clients', { stream: 'public' }) === 0);
    // The public port knows nothing of /metrics.
    expect((await fetch(`${api}/metrics`)).status).toBe(404);
    await app.close();
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });

  it('serves no metrics port unless METRICS_PORT is set', async () => {
    const app = await stack.buildApp();
    await app.ready();
    expect(app.metrics.registry).toBeDefined();
    expect((await app.inject('/metrics')).statusCode).toBe(404);
  });
});

describe("the worker's metrics", () => {
  it('counts jobs by name and outcome with their durations, and the queue by state', async () => {
    const port = await freePort();
    const worker = await startWorker(testWorkerConfig(stack.settings, { METRICS_PORT: String(port) }), {
      logger: createLogger({ level: 'silent', name: 'test' }),
    });
    onTestFinished(() => worker.close());
    expect(worker.metricsUrl).toBe(`http://127.0.0.1:${port}/metrics`);
    const report = await fileReport(stack.deps);
    await waitFor(async () => {
      const { rows } = await stack.pool.query('SELECT 1 FROM reports WHERE id = $1 AND team_id IS NOT NULL', [
        report.id,
      ]);
      return rows.length === 1;
    });
    const labels = { job: 'report.route', outcome: 'completed' };
    const page = await waitFor(async () => {
      const text = await scrape(worker.metricsUrl!);
      return (sample(text, 'pave_jobs_total', labels) ?? 0) >= 1 ? text : null;
    });
    expect(sample(page, 'pave_job_duration_seconds_count', labels)).toBeGreaterThanOrEqual(1);
    // Routing's queue and the photos' apart (docs/adr/0013).
    expect(sample(page, 'pave_queue_jobs', { queue: 'pave', state: 'waiting' })).toEqual(expect.any(Number));
    expect(sample(page, 'pave_queue_jobs', { queue: 'pave-photos', state: 'waiting' })).toEqual(expect.any(Number));
    expect(sample(page, 'pave_outbox_pending', { app: 'worker' })).toEqual(expect.any(Number));
  });
});
