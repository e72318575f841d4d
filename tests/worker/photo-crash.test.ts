import { createLogger, originalKey, privateOriginalKey, processPhoto, renditionKey, type Storage } from '@pave/core';
import { jobIdFor } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

// A short sweep, so the photo's lost job is sent again within seconds rather than the production minutes.
const stack = useStack({
  api: false,
  storage: 's3',
  queue: true,
  worker: { env: { JOB_SWEEP_INTERVAL_MS: '200', JOB_SWEEP_AFTER_MS: '1500' } },
});
const logger = createLogger({ level: 'silent', name: 'test' });

/** The storage, until the process "dies" just after the last rendition reached the bucket. */
function dyingAfterLastRendition(storage: Storage, photoId: string): Storage {
  const last = renditionKey(photoId, 'thumb');
  return {
    ...storage,
    async put(key, data) {
      await storage.put(key, data);
      if (key === last) throw new Error('worker killed after the renditions were uploaded');
    },
  };
}

describe('a worker killed between the rendition upload and the database update', () => {
  it('leaves, after the sweep, each rendition once, the row pointing at them, and no upload', async () => {
    // Photo jobs have a worker of their own (docs/adr/0013). Held, so the photo's job waits in the queue
    // while this test plays the worker that dies.
    const worker = stack.worker.photoWorker;
    await worker.pause();
    const report = await fileReport(stack.deps, { photos: ['jpg_gps_DSCN0010.jpg'] });
    const { rows } = await stack.pool.query<{ id: string }>('SELECT id FROM photos WHERE report_id = $1', [report.id]);
    const photoId = rows[0]!.id;
    const jobId = jobIdFor('photo.process', { photoId });
    await waitFor(async () => (await stack.queue.getJobState(jobId)) === 'waiting', { what: 'the photo job queued' });

    const dying = dyingAfterLastRendition(stack.deps.storage, photoId);
    await expect(processPhoto({ db: stack.pool, storage: dying, logger }, photoId)).rejects.toThrow(/worker killed/);
    // The crash window: renditions in the bucket, the row still pending, the original still there.
    const large = renditionKey(photoId, 'large');
    const thumb = renditionKey(photoId, 'thumb');
    const kept = privateOriginalKey(photoId);
    expect(await stack.bucket.keys()).toEqual([originalKey(photoId), kept, large, thumb].sort());
    const pending = await stack.pool.query('SELECT status FROM photos WHERE id = $1', [photoId]);
    expect(pending.rows[0].status).toBe('pending');
    const firstThumb = await stack.deps.storage.get(thumb);

    // The job died with its worker and Redis forgot it: only the sweep can bring it back.
    expect(await stack.queue.remove(jobId)).toBe(1);
    worker.resume();
    const photo = await waitFor(
      async () => {
        const { rows: found } = await stack.pool.query<{ status: string; width: number; height: number }>(
          'SELECT status, width, height FROM photos WHERE id = $1',
          [photoId],
        );
        return found[0]?.status === 'ready' ? found[0] : null;
      },
      { what: 'the photo made ready by the re-enqueued job', timeoutMs: 20_000 },
    );
    expect(photo.width).toBeGreaterThan(0);
    // The job the sweep re-enqueued under the photo's own id is what finished it.
    await waitFor(async () => (await stack.queue.getJobState(jobId)) === 'completed', { what: 'the job completed' });
    await waitFor(async () => !(await stack.deps.storage.exists(originalKey(photoId))), {
      what: 'the original deleted',
    });
    // Same deterministic keys, written again: each rendition once, nothing orphaned, no upload (only
    // the private original, without its metadata, kept for the staff's boxes).
    expect(await stack.bucket.keys()).toEqual([kept, large, thumb].sort());
    expect((await stack.deps.storage.get(thumb)).equals(firstThumb)).toBe(true);
  });
});
