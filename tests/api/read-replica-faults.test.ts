import { createServer, connect, type Server, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fileReport } from '../support/factories';
import { freePort } from '../support/private-redis';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// Nothing listens on port 1 of the loopback: the replica is down, its connections refused at once.
// (The shared replica of `bootstrap.sh --with-replica` is left alone.)
const DOWN_REPLICA = 'postgres://pave:pave@127.0.0.1:1/pave';
const stack = useStack({ env: { DATABASE_REPLICA_URL: DOWN_REPLICA }, staff: { council: { role: 'council' } } });
const BBOX = `${POINT_PARIS_11.lon - 0.01},${POINT_PARIS_11.lat - 0.01},${POINT_PARIS_11.lon + 0.01},${POINT_PARIS_11.lat + 0.01}`;

/** One sample's value from a Prometheus text page, by metric name and labels; undefined if absent. */
function sample(page: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = page
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.slice(0, l.indexOf('}')).includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the read replica down (DATABASE_REPLICA_URL unreachable)', () => {
  it('answers the map, tiles, analytics and exports from the primary, and the metrics say so', async () => {
    const port = await freePort();
    const app = await stack.buildApp({ METRICS_PORT: String(port) });
    await app.ready();
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(app.deps.readDb).not.toBe(app.deps.db);
    const before = await scrape();
    expect(sample(before, 'pave_replica_up')).toBe(1);
    expect(sample(before, 'pave_replica_fallbacks_total', { reason: 'down' })).toBe(0);

    const report = await fileReport(stack.deps);
    const map = await app.inject({ url: `/api/map/reports?bbox=${BBOX}` });
    expect(map.statusCode).toBe(200);
    // Current, from the primary: the report just filed is on the map.
    expect(map.json().features.map((f: { id: string }) => f.id)).toContain(report.id);
    const tile = await app.inject({ url: '/api/tiles/reports/12/2074/1408.mvt' });
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=30');
    for (const url of ['/api/analytics/summary?by=area', '/api/exports/reports.csv']) {
      const answer = await app.inject({ url, headers: stack.as('council') });
      expect(answer.statusCode, url).toBe(200);
    }
    const csv = await app.inject({ url: '/api/exports/reports.csv', headers: stack.as('council') });
    expect(csv.body).toContain(report.ref);

    const after = await scrape();
    expect(sample(after, 'pave_replica_up')).toBe(0);
    // The first read found the replica down; the others, within the pause, went straight to the primary.
    expect(sample(after, 'pave_replica_fallbacks_total', { reason: 'down' })).toBeGreaterThanOrEqual(5);
    expect(sample(after, 'pave_replica_fallbacks_total', { reason: 'lagging' })).toBe(0);
    // Every read was answered: no 5xx in the API's own figures.
    expect(after).not.toMatch(/pave_http_request_duration_seconds_count\{[^}]*status="5\d\d"/);
  });

  it('keeps the primary’s pool to itself: no connection of the primary is left checked out', async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await stack.app.inject({ url: `/api/map/reports?bbox=${BBOX}` })).statusCode).toBe(200);
    }
    expect(stack.app.deps.db.waitingCount).toBe(0);
    expect(stack.app.deps.db.totalCount - stack.app.deps.db.idleCount).toBe(0);
  });
});

describe('the read replica coming back', () => {
  it('is used again once the pause after its failure is over', async () => {
    // A port that refuses until a forwarder opens on it, standing for a replica that restarts. The
    // forwarder leads to the primary (this file's database): what matters is which pool connects.
    const port = await freePort();
    const primary = new URL(stack.db.url);
    const replicaUrl = new URL(stack.db.url);
    replicaUrl.host = `127.0.0.1:${port}`;
    const app = await stack.buildApp({ DATABASE_REPLICA_URL: replicaUrl.toString() });
    const map = () => app.inject({ url: `/api/map/reports?bbox=${BBOX}` });
    let replicaConnections = 0;
    app.deps.readDb.on('connect', () => (replicaConnections += 1));

    expect((await map()).statusCode).toBe(200);
    expect(app.deps.replica!.isUp()).toBe(false);
    const sockets = new Set<Socket>();
    const forwarder: Server = createServer((socket) => {
      const upstream = connect(Number(primary.port || 5432), primary.hostname);
      sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve));
    onTestFinished(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => forwarder.close(resolve));
    });
    // Still paused: the primary answers, the replica is not tried yet.
    expect((await map()).statusCode).toBe(200);
    expect(replicaConnections).toBe(0);
    await waitFor(async () => app.deps.replica!.isUp(), { what: 'the end of the pause (5 s)', timeoutMs: 10_000 });
    expect((await map()).statusCode).toBe(200);
    expect(replicaConnections).toBe(1);
    expect(app.deps.replica!.isUp()).toBe(true);
  });
});

describe('the read replica lagging', () => {
  const onReplica = useStack({ replica: true });

  it('sends the map to the primary while the replica is paused for lag, and counts it', async () => {
    const port = await freePort();
    const app = await onReplica.buildApp({ METRICS_PORT: String(port) });
    await app.ready();
    const scrape = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    let replicaCheckouts = 0;
    app.deps.readDb.on('acquire', () => (replicaCheckouts += 1));
    expect((await app.inject({ url: `/api/map/reports?bbox=${BBOX}` })).statusCode).toBe(200);
    expect(replicaCheckouts).toBeGreaterThan(0);
    // What the tile routes do when the replica has not replayed the primary's position within 2 s
    // (the shared replica is never made to lag for real: other files read it).
    app.deps.replica!.markLagging();
    replicaCheckouts = 0;
    const report = await fileReport(onReplica.deps);
    const map = await app.inject({ url: `/api/map/reports?bbox=${BBOX}` });
    expect(map.statusCode).toBe(200);
    expect(map.json().features.map((f: { id: string }) => f.id)).toContain(report.id);
    expect(replicaCheckouts).toBe(0);
    const page = await scrape();
    expect(sample(page, 'pave_replica_up')).toBe(0);
    expect(sample(page, 'pave_replica_fallbacks_total', { reason: 'lagging' })).toBeGreaterThan(0);
    expect(sample(page, 'pave_replica_fallbacks_total', { reason: 'down' })).toBe(0);
  });
});
