import { clusterNodesOf } from '@pave/core';
import { jobIdFor } from '@pave/shared';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRedisTarget } from '../support/config';
import { fixturePhoto, multipart, reportFormFields } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// The API, the worker and a producer queue on the 3-node cluster of `bootstrap.sh --with-redis-cluster`.
const stack = useStack({ redisCluster: true, worker: true, queue: true });

let cluster: Cluster;
beforeAll(async () => {
  cluster = new Cluster(clusterNodesOf(testRedisTarget(stack.settings)));
  await cluster.ping(); // held until the slots are known
});
afterAll(() => cluster?.disconnect());

/** Every key of the file's prefix, with the node that holds it, across the cluster's masters. */
async function prefixKeys(): Promise<{ key: string; node: string }[]> {
  const found: { key: string; node: string }[] = [];
  for (const node of cluster.nodes('master')) {
    for (const key of await node.keys(`${stack.settings.queuePrefix}:*`)) {
      found.push({ key, node: `${node.options.host}:${node.options.port}` });
    }
  }
  return found;
}

async function postReport(app = stack.app, device = 'cluster-device') {
  const form = await multipart(reportFormFields({ description: 'Un trou sur le cluster' }), [
    { name: 'photo.jpg', data: fixturePhoto('jpg_orientation_portrait_6.jpg') },
  ]);
  return app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: { ...form.headers, 'x-pave-device': device },
    payload: form.payload,
  });
}

describe('on a Redis Cluster', () => {
  it('runs on three masters, and the API is healthy on them', async () => {
    expect(cluster.nodes('master')).toHaveLength(3);
    const health = await stack.app.inject('/api/health');
    expect(health.json()).toMatchObject({ status: 'ok', redis: 'up' });
  });

  it('routes a report filed through the API and processes its photo, with every queue key in one slot', async () => {
    const response = await postReport();
    expect(response.statusCode, response.body).toBe(201);
    const reportId = response.json().id as string;

    const state = await waitFor(
      async () => {
        const { rows } = await stack.pool.query(
          `SELECT r.team_id, (SELECT json_agg(p.status) FROM photos p WHERE p.report_id = r.id) AS photos,
                  (SELECT min(p.id::text) FROM photos p WHERE p.report_id = r.id) AS photo_id
             FROM reports r WHERE r.id = $1`,
          [reportId],
        );
        const row = rows[0];
        return row?.team_id && row.photos?.every((s: string) => s === 'ready') ? row : null;
      },
      { timeoutMs: 20_000, what: 'routing and photo processing on the cluster' },
    );
    expect(state.photos).toEqual(['ready']);

    // Both jobs ran through the cluster, and BullMQ still finds them there under their deterministic ids.
    const photoJob = jobIdFor('photo.process', { photoId: state.photo_id });
    expect(await stack.queue.getJobState(photoJob)).toBe('completed');
    expect((await stack.queue.getJobCounts('completed')).completed).toBeGreaterThanOrEqual(2);

    // The hash tag puts every key of the prefix in one slot, hence on one node: BullMQ's scripts and
    // the rate limits' MULTI, which touch several of them at once, are never refused as CROSSSLOT.
    const keys = await prefixKeys();
    expect(keys.some(({ key }) => key.includes(':ratelimit:'))).toBe(true);
    expect(keys.some(({ key }) => key.endsWith(`:${photoJob}`))).toBe(true);
    const slots = new Set(await Promise.all(keys.map(({ key }) => cluster.cluster('KEYSLOT', key))));
    expect(slots.size).toBe(1);
    expect(new Set(keys.map(({ node }) => node)).size).toBe(1);
  });

  it('counts rate limits on the cluster', async () => {
    const limited = await stack.buildApp({ RATE_LIMIT_REPORTS_PER_DEVICE: '2', RATE_LIMIT_REPORTS_PER_IP: '100' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postReport(limited, 'eager-device')).statusCode);
    expect(statuses).toEqual([201, 201, 429]);
    // Another device is counted apart.
    expect((await postReport(limited, 'other-device')).statusCode).toBe(201);
  });

  it('keeps the job sweep marker on the cluster', async () => {
    const result = await stack.worker.sweeper.sweep();
    expect(result).not.toBeNull();
    expect(await cluster.exists(`${stack.settings.queuePrefix}:pave:sweep-marker`)).toBe(1);
  });
});
