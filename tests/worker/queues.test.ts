import { createJobQueue, createLogger, createProducerConnection, type JobQueue } from '@pave/core';
import { PHOTO_QUEUE_NAME, QUEUE_NAME } from '@pave/shared';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ENV } from '../support/env';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// Photo jobs have a queue of their own (docs/adr/0013): a report is routed however many photos wait.
const stack = useStack({
  api: false,
  queue: true,
  worker: { logger: createLogger({ level: 'silent', name: 'test' }) },
});

async function photoStatuses(reportIds: string[]): Promise<string[]> {
  const { rows } = await stack.pool.query<{ status: string }>(
    'SELECT status FROM photos WHERE report_id = ANY($1) ORDER BY id',
    [reportIds],
  );
  return rows.map((r) => r.status);
}

describe('routing and photos in separate queues', () => {
  it('routes reports while every photo waits, and processes the photos once their worker runs', async () => {
    // A photo backlog no worker takes: with one queue, the route jobs queued behind it would wait too.
    await stack.worker.photoWorker.pause();
    try {
      const filed = [];
      for (let i = 0; i < 3; i += 1) {
        filed.push(await fileReport(stack.deps, { category: 'nid-de-poule', photos: ['jpg_gps_DSCN0010.jpg'] }));
      }
      const ids = filed.map((r) => r.id);
      await waitFor(
        async () => {
          const { rows } = await stack.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM reports WHERE id = ANY($1) AND team_id IS NOT NULL',
            [ids],
          );
          return rows[0]!.n === ids.length;
        },
        { what: 'the three reports routed', timeoutMs: 20_000 },
      );
      expect(await photoStatuses(ids)).toEqual(['pending', 'pending', 'pending']);
      expect((await (stack.queue as JobQueue).photos.getJobCounts('waiting')).waiting).toBe(3);

      stack.worker.photoWorker.resume();
      await waitFor(async () => (await photoStatuses(ids)).every((s) => s === 'ready'), {
        what: 'the photos processed',
        timeoutMs: 60_000,
      });
    } finally {
      stack.worker.photoWorker.resume();
    }
  }, 90_000);
});

describe('JobQueue', () => {
  const prefix = `{pave-test-${randomBytes(4).toString('hex')}}`;
  const connection = createProducerConnection(TEST_ENV.redisUrl);
  let queue: JobQueue;

  beforeAll(() => {
    queue = createJobQueue(connection, prefix);
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.photos.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });

  it('sends photo jobs to their own queue and answers for both, under one hash-tagged prefix', async () => {
    const photoId = randomUUID();
    const reportId = randomUUID();
    const added = await queue.addBulk([
      { name: 'photo.process', data: { photoId }, opts: { jobId: `photo-${photoId}` } },
      { name: 'report.route', data: { reportId }, opts: { jobId: `route-${reportId}` } },
    ]);
    expect(added.map((j) => [j.name, j.queueName])).toEqual([
      ['photo.process', PHOTO_QUEUE_NAME],
      ['report.route', QUEUE_NAME],
    ]);
    const single = await queue.add('photo.process', { photoId: randomUUID() });
    expect(single.queueName).toBe(PHOTO_QUEUE_NAME);

    // Lookups by id find a job in either queue, as the job sweep and the staff retry expect.
    expect((await queue.getJob(`photo-${photoId}`))?.name).toBe('photo.process');
    expect(await queue.getJobState(`photo-${photoId}`)).toBe('waiting');
    expect(await queue.getJobState(`route-${reportId}`)).toBe('waiting');
    expect(await queue.getJobState('missing')).toBe('unknown');
    expect((await queue.getJobCounts('waiting')).waiting).toBe(3);
    expect((await queue.photos.getJobCounts('waiting')).waiting).toBe(2);

    expect(await queue.remove(`photo-${photoId}`)).toBe(1);
    expect(await queue.getJobState(`photo-${photoId}`)).toBe('unknown');

    // Both queues' keys carry the prefix's hash tag: one slot on a Redis Cluster.
    const keys = await connection.keys(`${prefix}:*`);
    expect(keys.some((k) => k.startsWith(`${prefix}:${PHOTO_QUEUE_NAME}:`))).toBe(true);
    expect(keys.some((k) => k.startsWith(`${prefix}:${QUEUE_NAME}:`))).toBe(true);
  });
});
