import { createPool, findCurrentWalLsn, findMapDataVersion, hasReplayedWal, type Pool } from '@pave/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, POINT_PARIS_11, reportFormFields } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// The API with DATABASE_REPLICA_URL on the streaming replica that `bootstrap.sh --with-replica` runs
// (a real hot standby of the primary, so the lag measured here is PostgreSQL's own).
const stack = useStack({ replica: true, staff: { council: { role: 'council' } } });
const BBOX = `${POINT_PARIS_11.lon - 0.01},${POINT_PARIS_11.lat - 0.01},${POINT_PARIS_11.lon + 0.01},${POINT_PARIS_11.lat + 0.01}`;
// Text of the public map's reads (tiles.repo.ts PUBLIC_HITS), within pg_stat_activity's first 1 kB.
const MAP_QUERY_MARK = 'FROM map_reports m JOIN cats c';

let replica: Pool;
beforeAll(() => {
  replica = createPool({ connectionString: stack.db.replicaUrl, max: 1, applicationName: 'pave-test-replica' });
});
afterAll(async () => {
  await replica?.end();
});

/** What the API's backends on one server last ran in this file's database, by pool name. */
async function lastQueries(pool: Pool, applicationName: string): Promise<string[]> {
  const { rows } = await pool.query<{ query: string }>(
    `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [applicationName],
  );
  return rows.map((r) => r.query);
}

/** Milliseconds from a new write on the primary (the report's description) to its replay on the replica. */
async function replicationLagOf(reportId: string): Promise<number> {
  const marker = `lag ${Date.now()}`;
  const writtenAt = performance.now();
  await stack.pool.query('UPDATE reports SET description = $2 WHERE id = $1', [reportId, marker]);
  await waitFor(
    async () =>
      (await replica.query('SELECT 1 FROM reports WHERE id = $1 AND description = $2', [reportId, marker])).rowCount,
    { timeoutMs: 10_000, intervalMs: 1, what: 'the update on the replica' },
  );
  return performance.now() - writtenAt;
}

async function fileReport(): Promise<{ id: string; ref: string }> {
  const body = await multipart(reportFormFields({ description: 'Nid-de-poule, lu depuis le réplica' }));
  const response = await stack.app.inject({ method: 'POST', url: '/api/reports', ...body });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe('read replica (DATABASE_REPLICA_URL)', () => {
  it('gives the API a second pool on a hot standby, and keeps the first on the primary', async () => {
    const inRecovery = async (pool: Pool) =>
      (await pool.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r;
    expect(stack.app.deps.readDb).not.toBe(stack.app.deps.db);
    expect(await inRecovery(stack.app.deps.readDb)).toBe(true);
    expect(await inRecovery(stack.app.deps.db)).toBe(false);
  });

  it('serves a new report on the map from the replica within the replication lag; the write and the read after it use the primary', async () => {
    // A first read opens the replica pool's connection: not part of the lag.
    expect((await stack.app.inject({ method: 'GET', url: `/api/map/reports?bbox=${BBOX}` })).statusCode).toBe(200);
    const filedAt = performance.now();
    const report = await fileReport();
    // Right after the write, the resident's own page reads the primary: never a 404 from a lagging replica.
    const own = await stack.app.inject({ method: 'GET', url: `/api/reports/${report.id}` });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: report.id, ref: report.ref });

    await waitFor(
      async () => {
        const response = await stack.app.inject({ method: 'GET', url: `/api/map/reports?bbox=${BBOX}` });
        expect(response.statusCode).toBe(200);
        return response.json().features.some((f: { id: string }) => f.id === report.id);
      },
      { timeoutMs: 10_000, intervalMs: 5, what: 'the new report on the replica-served map' },
    );
    const lagMs = performance.now() - filedAt;
    // The replication alone: the row as the replica has it, polled from the time of the 201.
    const rowLagMs = await replicationLagOf(report.id);
    console.log(
      `read replica: report filed → on the replica-served map in ${lagMs.toFixed(1)} ms ` +
        `(POST, GET /api/reports/:id and map polls included); row on the replica ${rowLagMs.toFixed(1)} ms after a fresh write`,
    );
    expect(lagMs).toBeLessThan(10_000);

    // The map query ran on the replica's backends, and on none of the primary's; no write ever reached the replica.
    const onReplica = await lastQueries(replica, 'pave-api-replica');
    expect(onReplica.some((q) => q.includes(MAP_QUERY_MARK))).toBe(true);
    expect(onReplica.filter((q) => /^\s*(INSERT|UPDATE|DELETE)/i.test(q))).toEqual([]);
    const onPrimary = await lastQueries(stack.pool, 'pave-api');
    expect(onPrimary.length).toBeGreaterThan(0);
    expect(onPrimary.filter((q) => q.includes(MAP_QUERY_MARK))).toEqual([]);
    const { rows } = await stack.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'pave-api-replica'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('counts a server out of recovery as caught up, even one whose last crash recovery left a replay position', async () => {
    // After a crash (or a machine restored from a snapshot) the primary keeps pg_last_wal_replay_lsn()
    // at the last record it replayed, for ever behind: reads that fell back to it must not wait on it.
    const ahead = await findCurrentWalLsn(stack.pool);
    await stack.pool.query('SELECT txid_current()');
    expect(await hasReplayedWal(stack.pool, ahead)).toBe(true);
    // The standby is in recovery: a position far past anything written is not replayed yet.
    expect(await hasReplayedWal(replica, 'FFFFFFFF/FFFFFFFF')).toBe(false);
    await waitFor(async () => hasReplayedWal(replica, ahead), {
      what: 'the replica replaying the position',
      timeoutMs: 10_000,
    });
  });

  it('names tiles after the primary data version, served once the replica holds it', async () => {
    await fileReport();
    const primaryVersion = await findMapDataVersion(stack.pool);
    // Why the version is not read on the replica: a standby sees a sequence only as WAL-logged (mostly ahead).
    console.log(
      `map data version: ${primaryVersion} on the primary, ${await findMapDataVersion(replica)} on the replica`,
    );
    const first = await stack.app.inject({ method: 'GET', url: '/api/tiles/reports/12/2074/1408.mvt' });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toMatch(new RegExp(`^"m${primaryVersion}-`));
    const tile = await waitFor(
      async () => {
        const response = await stack.app.inject({ method: 'GET', url: '/api/tiles/reports/12/2074/1408.mvt' });
        return response.headers.etag?.toString().startsWith(`"m${primaryVersion}-`) ? response : null;
      },
      { what: 'a tile ETag at the primary version, read from the replica' },
    );
    expect(tile.headers['cache-control']).toBe('public, max-age=30, stale-while-revalidate=30');
    const again = await stack.app.inject({
      method: 'GET',
      url: '/api/tiles/reports/12/2074/1408.mvt',
      headers: { 'if-none-match': tile.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers analytics and exports from the replica (read-only transactions and cursors on a hot standby)', async () => {
    await fileReport();
    // Checkouts of the replica pool (pool.query and pool.connect alike) during each request.
    let replicaCheckouts = 0;
    const count = () => (replicaCheckouts += 1);
    stack.app.deps.readDb.on('acquire', count);
    try {
      for (const url of ['/api/analytics/summary?by=area', '/api/exports/reports.csv']) {
        replicaCheckouts = 0;
        const response = await stack.app.inject({ url, headers: stack.as('council') });
        expect(response.statusCode, url).toBe(200);
        expect(replicaCheckouts, url).toBeGreaterThan(0);
      }
    } finally {
      stack.app.deps.readDb.off('acquire', count);
    }
  });
});
